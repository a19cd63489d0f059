"""What the logs hold after a day's work, read line by line: no name, no search words, no free text.

gunicorn serves the app as production does (msp_cases/gunicorn_conf.py) and a real Celery worker takes its
tasks through Redis; both write their logs to files. In Chromium a practitioner signs in, searches for
Joseph Wright by name, opens him from the results and records a conversation in his words on his enquiry;
a member of the public reports a concern about someone new, giving their own name and email address (which
queues the acknowledgement email). Then every line both processes wrote is read:

- each is one JSON object; each request's line has its request id, the user's id (never an email), the
  route's name, the status and the duration;
- none holds any demo person's name, a member of staff's name or email, the search words, or anything typed
  into a form;
- the worker's lines for the acknowledgement carry the request id of the request that queued it, the one the
  browser was given in X-Request-ID."""

import datetime
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from enquiries.models import Person
from msp_cases.accounts.models import User
from tests.integration.conftest import broker_url, free_port, wait_for, worker_factory  # noqa: F401

from .conftest import ACTION_TIMEOUT_MS, UI
from .steps import record_conversation

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SEARCH_WORDS = "Joseph Wright"
CONVERSATION = "Zephyrine-says the lodger reads her letters aloud to the whole street"
WANTS = "Quillon-wants the locks changed before the weekend"
PUBLIC = {
    "adult": "Ottoline Marchbanks",
    "happened": "Gorvanna-saw her neighbour shouting through the letterbox at night",
    "referrer": "Barnaby Thistlewood",
    "email": "barnaby.thistlewood@example.net",
    "phone": "01632 960999",
}


@pytest.fixture
def server(demo_cases, worker_factory, broker_url, tmp_path):  # noqa: F811 (fixtures imported above)
    """gunicorn with the project's config on the test database, publishing to the worker's broker; a worker
    taking every queue. Yields (base URL, the server's log, the worker)."""
    worker = worker_factory(env={"CELERY_QUIET": "1"})  # as compose runs it: no banner among the lines
    from django.db import connection

    s = connection.settings_dict
    database_url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "LOG_FORMAT": "json",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "XDG_RUNTIME_DIR": str(tmp_path),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--config", "python:msp_cases.gunicorn_conf", "msp_cases.wsgi:application"]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"

    def ready():
        assert process.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"{base}/readyz/", timeout=5) as response:  # noqa: S310 (loopback)
                return response.status == 200
        except (urllib.error.URLError, OSError):  # not listening yet, or still loading
            return False

    try:
        wait_for(ready, timeout=60, what="gunicorn to be ready", every=0.2)
        yield base, log, worker
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _lines(path: Path) -> list[dict]:
    """Every line of the file, each of which must be one JSON object."""
    lines = []
    for number, text in enumerate(path.read_text().splitlines(), 1):
        try:
            line = json.loads(text)
        except json.JSONDecodeError:
            pytest.fail(f"{path.name} line {number} is not JSON: {text[:200]}")
        assert isinstance(line, dict), text
        lines.append(line)
    return lines


def _forbidden_words() -> list[str]:
    """Everything personal this journey could have leaked: every demo person's names, every member of
    staff's name and email address, the search words and what was typed into the forms."""
    words = {SEARCH_WORDS, CONVERSATION, WANTS, *PUBLIC.values()}
    for given, family, preferred, other in Person.objects.values_list(
        "given_name", "family_name", "preferred_name", "other_names"
    ):
        words |= {given, family, f"{given} {family}", preferred, other}
    for email, full_name in User.objects.values_list("email", "full_name"):
        words |= {email, full_name, *full_name.split()}
    # Each distinctive word typed, too, so a line with part of a sentence is caught.
    words |= {word for text in (CONVERSATION, WANTS, PUBLIC["happened"]) for word in text.split("-")[:1]}
    return sorted(word for word in words if word and len(word) > 2)


def test_the_logs_of_a_days_work_hold_no_names_and_nothing_typed(
    chromium_browser, server, demo_cases, tmp_path
):
    base, server_log, worker = server
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    ui = UI(page=context.new_page(), base_url=base, shots_dir=tmp_path)
    page = ui.page

    # A practitioner finds Joseph Wright by name and opens him from the results.
    ui.sign_in("practitioner.north@example.org")
    ui.goto("/people/search/")
    page.get_by_label("Name, date of birth, NHS number").fill(SEARCH_WORDS)
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert "Joseph" in page.url  # the search words are in the address: the logs must drop them
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=re.compile("Joseph Wright")).first.click()
    expect(page.locator("h1")).to_contain_text("Joseph Wright")

    # A conversation on his enquiry, in his words.
    joseph = demo_cases["DEMO-004"]
    ui.goto(f"/enquiries/{joseph.enquiry}/")
    today = datetime.date.today()
    record_conversation(
        page,
        on=today,
        at="10:00",
        matters=CONVERSATION,
        wants=WANTS,
        next_on=today + datetime.timedelta(days=7),
    )
    context.close()

    # A member of the public reports a concern, giving their name and email address.
    public = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    public.set_default_timeout(ACTION_TIMEOUT_MS)
    page = public.new_page()

    def next_page():
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()

    page.goto(f"{base}/report-a-concern/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No").check()
    next_page()
    page.get_by_label("No, I am a member of the public").check()
    next_page()
    page.get_by_label("Their full name").fill(PUBLIC["adult"])
    next_page()
    page.get_by_label("Where does the adult live?").fill("3 Elm Road")
    next_page()
    page.get_by_label("If you do not know their date of birth, how old are they?").fill("about 70")
    next_page()
    next_page()  # communication: nothing needed
    page.get_by_label("What happened?").fill(PUBLIC["happened"])
    next_page()
    next_page()  # when and where: not known
    next_page()  # who caused it: not known
    page.get_by_label("I do not know").check()
    next_page()
    next_page()  # what the adult wants: not known
    page.get_by_label("I do not know").check()
    next_page()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    page.get_by_label("Your name").fill(PUBLIC["referrer"])
    page.get_by_label("Your phone number").fill(PUBLIC["phone"])
    page.get_by_label("Your email address").fill(PUBLIC["email"])
    next_page()
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Send report").click()
    expect(page.locator(".govuk-panel")).to_be_visible()
    request_id = sent.value.header_value("x-request-id")
    assert request_id
    public.close()

    # The worker sends the acknowledgement: its lines, and the server's, are read once it has.
    def acknowledged() -> bool:
        return any(
            line.get("event") == "task_succeeded" and line.get("request_id") == request_id
            for line in _lines(worker.log_path)
        )

    wait_for(acknowledged, timeout=30, what="the worker to send the acknowledgement", every=0.5)
    server_lines, worker_lines = _lines(server_log), _lines(worker.log_path)

    # Nothing personal, in any line of either.
    text = server_log.read_text() + worker.log_path.read_text()
    leaked = [word for word in _forbidden_words() if re.search(rf"\b{re.escape(word)}\b", text)]
    assert not leaked, f"in the logs: {leaked}"
    assert "?" not in "".join(str(line.get("request", "")) for line in server_lines)  # no query string

    # Each request's line: its id, who (by id), which route, the status and how long it took.
    requests = [line for line in server_lines if line.get("event") == "request_finished"]
    assert len(requests) > 20
    for line in requests:
        assert {"request_id", "user_id", "route", "code", "duration_ms", "request"} <= line.keys(), line
    priya = User.objects.get(email="practitioner.north@example.org")
    search = next(line for line in requests if line["route"] == "enquiries:person_search")
    assert search["user_id"] == priya.pk and search["request"] == "GET /people/search/"
    assert search["code"] == 200 and search["duration_ms"] > 0

    # The acknowledgement's task: queued by the report's request, whose id its lines in the worker carry.
    sending = next(line for line in requests if line["request_id"] == request_id)
    assert sending["request"].startswith("POST /report-a-concern/") and sending["user_id"] is None
    queued = next(
        line
        for line in server_lines
        if line.get("event") == "task_enqueued"
        and line.get("child_task_name") == "frontdoor.send_acknowledgement"
    )
    assert queued["request_id"] == request_id
    task_lines = [line for line in worker_lines if line.get("task_id") == queued["child_task_id"]]
    assert {line["event"] for line in task_lines} >= {"task_started", "task_succeeded"}
    assert all(line["request_id"] == request_id for line in task_lines)
