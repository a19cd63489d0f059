"""A real Celery worker starts with the project's configuration, connects to Redis and runs a task."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.brokers import broker_to_myself

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.integration


@pytest.fixture
def broker_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must set CELERY_BROKER_URL to a real Redis")
        pytest.skip("needs a real Redis: set CELERY_BROKER_URL (CI does)")
    with broker_to_myself(url):  # no integration test's worker answers this test's ping or takes its task
        yield url


def test_worker_runs_a_task_sent_through_redis(broker_url, tmp_path):
    from celery import Celery

    # Results come back through Redis too, for this test only (the app itself keeps no results).
    result_backend = broker_url
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": result_backend,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.dev",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "msp_cases",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Not the current app: the project's shared tasks, sent later by other tests in this process, must
        # keep publishing through the project's own app, not through this client once it is closed.
        client = Celery(broker=broker_url, backend=result_backend, set_as_current=False)
        deadline = time.monotonic() + 60
        replies = []
        while time.monotonic() < deadline and not replies:
            replies = client.control.ping(timeout=1.0)
            assert worker.poll() is None, worker.stdout.read()
        assert replies, "the worker never answered a ping"
        # On the queue the project routes it to (CELERY_TASK_ROUTES); this bare client knows no routes.
        result = client.send_task("msp_cases.ping", queue="interactive")
        assert result.get(timeout=30) == "pong"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_without_a_broker_tasks_run_in_process():
    """make run needs no Redis: with no CELERY_BROKER_URL a task runs eagerly in the calling process."""
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "msp_cases.settings.dev"
    code = "import django; django.setup(); from msp_cases.celery import ping; print(ping.delay().get())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pong"
