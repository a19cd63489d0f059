"""The Celery figures, against the real broker: a task queued raises its queue's length; a real worker's
successes and failures are counted by task, in Redis, and read by the web's /metrics at scrape time."""

import functools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as project_settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.brokers import broker_to_myself

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "a-long-random-metrics-token-for-the-tests-0123456789"

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def broker_url(settings):
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must set CELERY_BROKER_URL to a real Redis")
        pytest.skip("needs a real Redis: set CELERY_BROKER_URL (CI does)")
    settings.METRICS_TOKEN = TOKEN
    with broker_to_myself(url):  # no other test's worker takes this test's tasks, nor purges its queue
        publisher.cache_clear()
        publisher(url).control.purge()
        yield url
        publisher(url).control.purge()


@functools.cache
def publisher(url: str):
    """A Celery client of its own on the broker, knowing the project's queues (to purge them), so the
    project app's connections are left as they were. Never the current app: `shared_task`s would follow it."""
    from celery import Celery

    client = Celery(broker=url, set_as_current=False)
    client.conf.task_queues = project_settings.CELERY_TASK_QUEUES
    return client


def scrape() -> str:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return response.content.decode()


def value(text: str, name: str, **labels) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def test_a_queued_task_raises_its_queues_length(broker_url):
    before = scrape()
    assert value(before, "msp_cases_celery_broker_up") == 1
    client = publisher(broker_url)
    # Each to the queue the project routes it to.
    assert project_settings.CELERY_TASK_ROUTES["msp_cases.ping"] == {"queue": "interactive"}
    assert project_settings.CELERY_TASK_ROUTES["documents.scan"] == {"queue": "long"}
    client.send_task("msp_cases.ping", queue="interactive")
    # Kept by Redis in a list of its own, still the "interactive" queue.
    client.send_task("msp_cases.ping", queue="interactive", priority=6)
    client.send_task("documents.scan", args=[0], queue="long")
    after = scrape()
    assert value(after, "msp_cases_celery_queue_length", queue="interactive") == (
        value(before, "msp_cases_celery_queue_length", queue="interactive") + 2
    )
    assert value(after, "msp_cases_celery_queue_length", queue="long") == (
        value(before, "msp_cases_celery_queue_length", queue="long") + 1
    )


def test_a_workers_task_outcomes_are_counted_by_task(broker_url):
    from celery import Celery

    before = scrape()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,  # results for this test only, to wait for them
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.dev",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "msp_cases", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-Q", "interactive", "-n", f"metrics-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        client = Celery(broker=broker_url, backend=broker_url, set_as_current=False)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not client.control.ping(timeout=1.0):
            assert worker.poll() is None, worker.stdout.read()
        assert client.send_task("msp_cases.ping", queue="interactive").get(timeout=30) == "pong"
        # Called with an argument it does not take: the task fails, for good.
        failing = client.send_task("msp_cases.ping", args=["unexpected"], queue="interactive")
        with pytest.raises(TypeError):
            failing.get(timeout=30)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    after = scrape()
    for outcome in ("succeeded", "failed"):
        labels = {"task": "msp_cases.ping", "outcome": outcome}
        assert value(after, "msp_cases_celery_tasks_total", **labels) == (
            value(before, "msp_cases_celery_tasks_total", **labels) + 1
        ), outcome
