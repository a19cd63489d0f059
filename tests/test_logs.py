"""The application's log lines as an operator reads them (docs/operations.md "Logs"): one JSON object a line
with the request id, the user's id, the route, the status and the duration; never a query string, an email,
a client's address or an exception's message. The whole journey, with gunicorn and a Celery worker, is in
tests/browser/test_logs_journey.py."""

import io
import json
import logging
from contextlib import contextmanager

import pytest
import structlog

pytestmark = pytest.mark.django_db

SECRET = "Marchbanks"  # what a person typed; in no line


@contextmanager
def log_lines():
    """The lines the configured console handler writes while the block runs (not pytest's capture)."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and not type(h).__module__.startswith("_pytest")
    ]
    assert handlers, "the settings configure a console handler on the root logger"
    out = io.StringIO()
    streams = [h.setStream(out) for h in handlers]
    lines: list[dict] = []
    try:
        yield lines
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
        lines.extend(json.loads(text) for text in out.getvalue().splitlines())


def _finished(lines: list[dict]) -> dict:
    return next(line for line in lines if line["event"] == "request_finished")


def test_a_request_is_one_line_with_its_id_user_route_status_and_duration(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="lines@example.org", password="x" * 20, full_name=SECRET
    )
    client.force_login(user)
    with log_lines() as lines:
        response = client.get(f"/people/search/?q={SECRET}")
    line = _finished(lines)
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == user.pk
    assert line["route"] == "enquiries:person_search"
    assert line["request"] == "GET /people/search/"
    assert line["code"] == response.status_code and line["duration_ms"] > 0
    assert line["level"] == ("info" if response.status_code < 400 else "warning")  # a refusal: a warning
    assert line["timestamp"].endswith("Z")
    text = json.dumps(lines)
    assert SECRET not in text and "lines@example.org" not in text and "127.0.0.1" not in text


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("4f1c2a9e-8b7d-4e6f-9a01-23456789abcd", True),  # a UUID
        ("0123456789abcdef0123456789abcdef", True),  # nginx's $request_id
        ("Margaret-Hughes-1941", False),  # anything a name could hide in
        ("abc", False),
        ("0123456789abcdef\nforged line", False),
    ],
)
def test_a_proxys_request_id_is_used_only_when_it_is_hex_digits(client, sent, kept):
    with log_lines() as lines:
        response = client.get("/sign-in/", HTTP_X_REQUEST_ID=sent)
    returned = response["X-Request-ID"]
    assert (returned == sent) is kept
    assert _finished(lines)["request_id"] == returned
    if not kept:
        assert len(returned) == 36  # one made here


def test_an_exception_is_logged_as_its_type_and_where_never_its_message():
    logger = structlog.get_logger("tests")
    with log_lines() as lines:
        try:
            try:
                raise KeyError(f"what happened: {SECRET}")
            except KeyError as cause:
                raise ValueError(f"duplicate key value (email)=({SECRET}@example.org)") from cause
        except ValueError as error:
            logger.exception("save_failed", error=str(error))
            logging.getLogger("django.request").error("Internal Server Error: /people/1/", exc_info=True)
    assert SECRET not in json.dumps(lines)
    for line in lines:
        assert line["exception"] == "ValueError" and line["caused_by"] == ["KeyError"]
        assert any("test_an_exception_is_logged" in frame for frame in line["traceback"])
    assert lines[0]["error"] == "ValueError"


def test_query_strings_leave_every_line_whoever_wrote_it():
    with log_lines() as lines:
        logging.getLogger("django.server").info('"GET /people/search/?q=%s HTTP/1.1" 200 512', SECRET)
        structlog.get_logger("tests").info("redirected", to=f"/sign-in/?next=/people/search/%3Fq%3D{SECRET}")
    assert lines[0]["event"] == '"GET /people/search/ HTTP/1.1" 200 512'
    assert lines[1]["to"] == "/sign-in/"
    assert SECRET not in json.dumps(lines)


def test_probes_are_not_logged_by_the_application(client):
    with log_lines() as lines:
        client.get("/healthz/")
        client.get("/readyz/")
    assert not [line for line in lines if line["event"] == "request_finished"]
