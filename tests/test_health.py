"""Liveness (/healthz/) and readiness (/readyz/) as an orchestrator sees them: liveness answers even when
PostgreSQL is down, so nobody restarts the app for a database fault; readiness says which dependency failed,
without a host, address or error text; both answer a probe that comes to the pod's own address over plain
HTTP, with no session, sign-in or two-factor."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "python:msp_cases.gunicorn_conf"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_liveness_answers_without_touching_the_database():
    """No `db` fixture: any query would raise here, so this 200 proves /healthz/ makes none."""
    for path in ("/healthz/", "/healthz"):
        response = Client().get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert response["Cache-Control"] == "no-store"


def test_liveness_and_readiness_need_no_sign_in_and_set_no_cookie(db, settings):
    settings.MSP_REQUIRE_2FA = True
    for path in ("/healthz/", "/readyz/"):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert not response.cookies  # no session is opened for a probe every few seconds


def test_readiness_checks_each_dependency_this_configuration_uses(db, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL at a Redis server (CI sets it)")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = broker
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": broker}}
    try:
        response = Client().get("/readyz/")
    finally:
        caches["default"].close()
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "broker": "ok",
            "cache": "ok",
            "exports_storage": "ok",
            "documents_storage": "ok",
        },
    }


def test_readiness_names_what_failed_and_nothing_about_where_it_is(db, settings, tmp_path):
    dead = f"redis://127.0.0.1:{_closed_port()}/0"
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = dead
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": dead}}
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_directory / "exports")},
        },
    }
    started = time.monotonic()
    response = Client().get("/readyz")
    assert time.monotonic() - started < 5  # a probe's timeout: unreachable things fail fast
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {
            "database": "ok",
            "broker": "failed",
            "cache": "failed",
            "exports_storage": "failed",
            "documents_storage": "ok",
        },
    }
    body = response.content.decode()
    assert "127.0.0.1" not in body and str(tmp_path) not in body


def test_probes_accept_only_get_and_head(db):
    assert Client().head("/readyz/").status_code == 200
    assert Client().post("/healthz/").status_code in (403, 405)  # CSRF or method: never served


@pytest.fixture(scope="module")
def server_without_its_database(tmp_path_factory):
    """gunicorn as production runs it (HTTPS redirect on, its own host names only), with PostgreSQL down."""
    tmp = tmp_path_factory.mktemp("probes")
    port = _closed_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.production",
        "DJANGO_READ_DOT_ENV": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "cases.example.org",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/nowhere",
        "CELERY_BROKER_URL": "",
        "EXPORTS_ROOT": str(tmp / "exports"),
        "DOCUMENTS_ROOT": str(tmp / "documents"),
        "XDG_RUNTIME_DIR": str(tmp),
    }
    log = tmp / "server.log"
    bind = f"127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(gunicorn), "--config", CONFIG, "msp_cases.wsgi:application", "-w", "1", "--bind", bind],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}", process, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def _probe(url: str) -> tuple[int, dict, float]:
    """As a kubelet probes: the pod's own address in Host, plain HTTP, no X-Forwarded-Proto."""
    request = urllib.request.Request(url, headers={"Host": "10.1.2.3:8000"})  # noqa: S310 (loopback)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, json.load(error), time.monotonic() - started


def test_with_postgresql_down_the_app_is_alive_but_not_ready(server_without_its_database):
    base, process, log = server_without_its_database
    deadline = time.monotonic() + 60
    while True:  # the worker imports Django before it answers
        assert process.poll() is None, log.read_text()
        try:
            status, body, _ = _probe(f"{base}/healthz/")
            break
        except (ConnectionError, urllib.error.URLError):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    assert (status, body) == (200, {"status": "ok"})
    status, body, seconds = _probe(f"{base}/readyz/")
    assert status == 503
    assert body["status"] == "unavailable" and body["checks"]["database"] == "failed"
    assert body["checks"]["exports_storage"] == "ok"
    assert seconds < 5
    # The log says which check failed and the kind of error, not where the database is.
    assert process.poll() is None
    failed = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{") and '"readiness_check_failed"' in line
    ]
    assert failed and failed[0]["check"] == "database" and failed[0]["error_type"] == "OperationalError"
    assert "nowhere" not in log.read_text()
