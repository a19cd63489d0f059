"""/metrics under gunicorn as production runs it: several worker processes, each answering some of the
requests and some of the scrapes. With PROMETHEUS_MULTIPROC_DIR (set in the Kubernetes manifests) every
scrape reports every worker's requests added up, whichever worker answers it; and Prometheus's plain-HTTP
request is not redirected to https:// (the production settings exempt /metrics only)."""

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = secrets.token_urlsafe(32)
WORKERS = 3
REQUESTS = 12

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http://127.0.0.1 only)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _requests_counted(text: str) -> float:
    name = "django_http_requests_latency_seconds_by_view_method_count"
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == {"view": "api:people", "method": "GET"}:
                return sample.value
    return 0.0


def _database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("serves from the suite's PostgreSQL test database (CI has one)")
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


@contextlib.contextmanager
def gunicorn(tmp_path: Path, *, database_url: str, multiproc: Path) -> Iterator[str]:
    """gunicorn as the image runs it, under the production settings; yields its address once it answers."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.production",
        "DJANGO_READ_DOT_ENV": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "",
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        "PYTHONPATH": str(ROOT),
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--config", "python:msp_cases.gunicorn_conf",
             "msp_cases.wsgi:application", "--bind", f"127.0.0.1:{port}", "-w", str(WORKERS)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text()
            try:
                _get(f"{base}/metrics")
                break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_every_scrape_adds_up_every_gunicorn_worker(tmp_path):
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    # The suite's own (migrated, empty) test database.
    with gunicorn(tmp_path, database_url=_database_url(), multiproc=multiproc) as base:
        # A partner's request without a token (a page would need the image's collected static files).
        for _ in range(REQUESTS):
            assert _get(f"{base}/api/v1/people/", **{"X-Forwarded-Proto": "https"})[0] == 401
        # Plain HTTP, as Prometheus asks a pod: anything else is sent to https://, /metrics answers.
        assert _get(f"{base}/api/v1/people/")[0] == 301
        seen = set()
        for _ in range(2 * WORKERS):
            status, text = _get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")
            assert status == 200
            seen.add(_requests_counted(text))
        assert seen == {REQUESTS}, "every scrape counts every worker's requests"
    # The workers really were several processes, each keeping its own file of counts.
    assert len(list(multiproc.glob("*.db"))) > 1


def test_with_the_database_away_a_scrape_still_answers_and_says_so(tmp_path):
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    nowhere = f"postgres://postgres@127.0.0.1:{_free_port()}/msp_cases"
    with gunicorn(tmp_path, database_url=nowhere, multiproc=multiproc) as base:
        status, text = _get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")
    assert status == 200
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert families["msp_cases_database_up"].samples[0].value == 0
    assert "msp_cases_drift_reminders_open" not in families
    assert "django_http_requests_latency_seconds_by_view_method" in families
