"""Search words never reach a log: the servers log a request's path, never its query string
(`/people/search/?q=…`) nor the Referer (which carries the previous page's query string).

Production runs gunicorn with `--config python:msp_cases.gunicorn_conf` (Dockerfile, docker-compose.yml);
one test starts it for real, as the image does, and reads what it wrote. runserver's request lines go
through Django's LOGGING, checked on the handlers the settings configured."""

import io
import json
import logging
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "python:msp_cases.gunicorn_conf"
SECRET = "Distinctive-Searchname"  # the search words; must appear in no log
# Every gunicorn access-log atom that can carry a query string: the request line, the query, the referer,
# and any request header or environ variable.
UNSAFE_ATOMS = re.compile(r"%\((r|q|f|\{[^}]*\}[ie])\)s", re.IGNORECASE)


def _config_args(words: list[str]) -> str | None:
    for flag in ("--config", "-c"):
        if flag in words:
            return words[words.index(flag) + 1]
    return next((w.split("=", 1)[1] for w in words if w.startswith("--config=")), None)


def test_the_image_and_compose_run_gunicorn_with_the_project_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    assert cmd[0] == "gunicorn" and _config_args(cmd) == CONFIG

    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    line = web[-1] if isinstance(web, list) else web
    words = shlex.split(line.split("exec ", 1)[-1])
    assert words[0] == "gunicorn" and _config_args(words) == CONFIG


def test_the_access_log_format_has_the_path_and_no_query_string():
    from gunicorn.config import Config

    from msp_cases import gunicorn_conf

    config = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        config.set(name, getattr(gunicorn_conf, name))
    assert config.accesslog == "-"  # on, to standard output (the container's log)
    assert "%(U)s" in config.access_log_format
    assert not UNSAFE_ATOMS.search(config.access_log_format), config.access_log_format


def test_runserver_request_lines_lose_their_query_string():
    """django.server logs runserver's request lines ('"GET /people/search/?q=… HTTP/1.1" 200 512')."""
    logger = logging.getLogger("django.server")
    # The handlers the settings configured (not pytest's capture handlers).
    handlers = [
        h
        for h in logger.handlers
        if isinstance(h, logging.StreamHandler) and not type(h).__module__.startswith("_pytest")
    ]
    assert handlers and not logger.propagate
    out = io.StringIO()
    streams = [h.setStream(out) for h in handlers]
    try:
        logger.info('"%s" %s %s', f"GET /people/search/?q={SECRET}&page=2 HTTP/1.1", "200", "512")
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
    assert "GET /people/search/ HTTP/1.1" in out.getvalue()
    assert SECRET not in out.getvalue() and "page=2" not in out.getvalue()


def test_gunicorn_errors_that_name_the_request_keep_only_its_path():
    """A request the application fails on is logged with its URI; the project's logger drops the query."""
    from gunicorn.config import Config

    from msp_cases import gunicorn_conf

    config = Config()
    config.set("logger_class", gunicorn_conf.logger_class)
    logger = config.logger_class(config)
    out = io.StringIO()
    streams = [h.setStream(out) for h in logger.error_log.handlers]
    try:
        try:
            raise RuntimeError("the view failed")
        except RuntimeError:
            logger.exception("Error handling request %s %s", "GET", f"/people/search/?q={SECRET}")
    finally:
        for handler, stream in zip(logger.error_log.handlers, streams, strict=True):
            handler.setStream(stream)
    line = json.loads(out.getvalue())
    assert line["event"] == "Error handling request GET /people/search/"
    # The kind of failure and where, never its message (which can carry what a person typed).
    assert line["exception"] == "RuntimeError" and "the view failed" not in out.getvalue()
    assert SECRET not in out.getvalue()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers) -> int:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http://127.0.0.1 only)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        return urllib.request.build_opener(NoRedirect).open(request, timeout=10).status
    except urllib.error.HTTPError as e:
        return e.code


def _wait_for(path: Path, text: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while text not in path.read_text(errors="replace"):
        assert process.poll() is None, path.read_text(errors="replace")
        assert time.monotonic() < deadline, f"{text!r} never appeared in {path.name}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def gunicorn_logs(tmp_path_factory):
    """gunicorn as the image starts it (production settings, the project config, its own logs), serving a
    search, a page opened from the search results, and a malformed request line carrying search words."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.production",
        "DJANGO_READ_DOT_ENV": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "",
        "PYTHONPATH": str(ROOT),
        "XDG_RUNTIME_DIR": str(tmp),  # gunicorn's control socket, away from any other gunicorn's
    }
    access, errors = tmp / "stdout.log", tmp / "stderr.log"
    bind = f"127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with access.open("w") as out, errors.open("w") as err:
        process = subprocess.Popen(
            [str(gunicorn), "--config", CONFIG, "msp_cases.wsgi:application", "--bind", bind, "-w", "1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        _wait_for(errors, "Booting worker", process)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # the worker imports Django before it answers
            try:
                status = _get(f"{base}/people/search/?q={SECRET}")
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        assert status == 302  # to sign in: the request is served and logged
        _get(f"{base}/accounts/login/?next=/people/search/%3Fq%3D{SECRET}")
        _get(f"{base}/healthz/", Referer=f"{base}/people/search/?q={SECRET}")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            # A control character makes gunicorn refuse the request line, and log it as a warning.
            raw.sendall(f"GET /people/search/?q={SECRET}\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            raw.recv(4096)
        _wait_for(access, "/healthz/", process)
        _wait_for(errors, "Invalid request", process)
    finally:
        process.terminate()
        process.wait(timeout=20)
    return access.read_text(), errors.read_text()


def _lines(text: str, logger: str) -> list[dict]:
    """Every line is one JSON object; those `logger` wrote."""
    return [line for line in map(json.loads, text.splitlines()) if line["logger"] == logger]


def test_gunicorn_access_log_has_each_request_path_but_never_the_search_words(gunicorn_logs):
    access, _ = gunicorn_logs
    lines = _lines(access, "gunicorn.access")
    search = next(line for line in lines if line["path"] == "/people/search/")
    assert search["event"].startswith('"GET /people/search/ HTTP/1.1" 302')
    assert search["method"] == "GET" and search["code"] == 302
    # The same request id as the application's own line for that request.
    app = _lines(access, "django_structlog.middlewares.request")
    app_line = next(line for line in app if line["request"] == "GET /people/search/")
    assert app_line["route"] == "enquiries:person_search" and search["request_id"] == app_line["request_id"]
    assert any(line["path"] == "/accounts/login/" for line in lines)
    assert SECRET not in access and "q=" not in access and "next=" not in access


def test_gunicorn_error_log_never_has_the_search_words(gunicorn_logs):
    _, errors = gunicorn_logs
    assert "Invalid request from ip=127.0.0.1" in errors
    assert "/people/search/" in errors  # the path is kept, for diagnosis
    assert SECRET not in errors
