"""gunicorn on a free loopback port, started as the Dockerfile starts it (msp_cases/gunicorn_conf.py, sync
workers) with the benchmark settings (production's, plus the floor view), against the database this process
uses; stopped when the block ends, however it ends."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

# The TLS-terminating proxy in front of production says the request came over HTTPS (SECURE_PROXY_SSL_HEADER):
# the secure cookies, the SSL redirect and CSRF's origin check then behave as they do in production.
FORWARDED = {"X-Forwarded-Proto": "https"}


class ServerFailed(Exception):
    pass


def database_url() -> str:
    """The database this process is connected to, as a URL for the server's environment: the same one
    whether it came from DATABASE_URL or is the test database pytest-django made."""
    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        raise ServerFailed(
            "benchmark_pages measures PostgreSQL, as production runs: set DATABASE_URL to a PostgreSQL one."
        )
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{quote(s['NAME'], safe='')}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    request = urllib.request.Request(url, headers=FORWARDED)  # noqa: S310 (our own http:// loopback server)
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def gunicorn_server(
    *, workers: int = 3, ready_timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Yields the server's base URL (http://127.0.0.1:PORT) once /readyz/ answers (its database reached).
    `env` adds to (or overrides) the server's environment: a setting read from it, such as a rate limit or
    the cache."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.benchmark",
        "DATABASE_URL": database_url(),
        # Production refuses to start without a key; this one exists for this server only.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "msp_cases.wsgi:application",
        "--config",
        "python:msp_cases.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]
    with tempfile.TemporaryDirectory(prefix="benchmark-pages-") as folder:
        log_path = Path(folder) / "gunicorn.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped with its workers
            )
            try:
                _wait_until_ready(process, f"{base_url}/readyz/", ready_timeout, log_path)
                yield base_url
            finally:
                _stop(process)


def _wait_until_ready(process: subprocess.Popen, url: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"gunicorn stopped before answering:\n{log_path.read_text()[-4000:]}")
        if _answers(url):
            return
        time.sleep(0.2)
    raise ServerFailed(f"gunicorn did not answer within {timeout:.0f} s:\n{log_path.read_text()[-4000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # gunicorn's graceful stop, for the workers too
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
