"""Fault drills: what an operator's bad day does to the service, rehearsed on every CI run.

- PostgreSQL restarted under traffic: while it is down every request answers at once with "Sorry, the service
  is unavailable" (503), never hangs and never shows a broken page; once it is back, requests work again
  without restarting the app, and people stay signed in.
- Redis stopped and started again: pages that queue work (an export, an email) still work and lose nothing;
  once Redis is back the work is done, once.
- A worker killed mid-task: the task is delivered again to a new worker process; nothing is lost and no
  reminder or email is doubled.

Each drill runs on its own PostgreSQL cluster or database and its own redis-server, never the suite's."""

import contextlib
import json
import os
import re
import signal
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.brokers import restore_broker, use_broker
from tests.integration.conftest import RedisServer, Worker, finished, free_port, wait_for

from .conftest import ROOT, Browser, FormFields, drop_database, person_id, restore_demo, server_url

pytestmark = pytest.mark.integration

UNAVAILABLE = "Sorry, the service is unavailable"


@dataclass
class Answer:
    at: float
    path: str
    status: int  # 0: no answer in time (a hang) or the connection failed
    seconds: float
    text: str


@dataclass
class Traffic:
    """A person's browser asking for pages in a loop, on a thread, every answer kept."""

    browser: Browser
    paths: list[str]
    answers: list[Answer] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.is_set():
            for path in self.paths:
                started = time.monotonic()
                try:
                    status, _url, body = self.browser.request(path)
                    text = body.decode(errors="replace")
                except OSError as exc:  # a timeout or a refused connection: the app did not answer
                    status, text = 0, repr(exc)
                self.answers.append(Answer(started, path, status, time.monotonic() - started, text))
            time.sleep(0.05)

    def since(self, moment: float) -> list[Answer]:
        return [a for a in self.answers if a.at >= moment]

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.at and a.at + a.seconds <= end]


def test_postgresql_restarted_under_traffic(demo_backup, postgres_cluster, app_server, tmp_path):
    env = restore_demo(
        demo_backup,
        server=postgres_cluster.server_url,
        files=tmp_path / "files",
        DJANGO_SETTINGS_MODULE="tests.operations.drill_settings",
    )
    server = app_server(env)
    browser = Browser(server.url, timeout=10)
    browser.sign_in("practitioner.north@example.org")
    margaret = f"/people/{person_id(env['DATABASE_URL'], 'DEMO-001')}/"
    # Readiness (msp_cases/core/health.py) is asked too: it must say the database failed, not hang.
    paths = [margaret, "/readyz/"]
    traffic = Traffic(browser, paths)
    thread = threading.Thread(target=traffic.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(traffic.answers) >= 6, timeout=30, what="traffic before the restart")
        before = list(traffic.answers)

        down_at = time.monotonic()
        postgres_cluster.stop()
        stopped_at = time.monotonic()
        # A partner's system calling the API meanwhile gets a problem it can read, not an HTML page.
        api = urllib.request.Request(server.url + "/api/v1/people/", headers={"Authorization": "Bearer x"})  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(api, timeout=10)  # noqa: S310 (the drill's own server)
        time.sleep(max(0, 3 - (time.monotonic() - stopped_at)))
        up_at = time.monotonic()
        postgres_cluster.start()
        started_at = time.monotonic()

        def recovered():
            return [a for a in traffic.since(started_at) if a.path == margaret and a.status == 200]

        wait_for(recovered, timeout=30, what="a page to work again after PostgreSQL came back")
        back_at = recovered()[0].at
        time.sleep(1.5)
    finally:
        traffic.stop.set()
        thread.join(timeout=30)

    # Before: the person's page and readiness are fine.
    assert {(a.path, a.status) for a in before} == {(margaret, 200), ("/readyz/", 200)}
    assert all("Hughes" in a.text for a in before if a.path == margaret)

    # While PostgreSQL was down: every request answered, at once, and said so plainly.
    during = traffic.between(stopped_at, up_at)
    assert len(during) >= 4, during
    pages = [a for a in during if a.path == margaret]
    assert pages and {a.status for a in pages} == {503}, [(a.status, a.text[:200]) for a in pages]
    assert all(UNAVAILABLE in a.text and "Try again in a few minutes" in a.text for a in pages)
    assert all(a.status == 503 and '"database": "failed"' in a.text for a in during if a.path == "/readyz/")
    assert max(a.seconds for a in during) < 5  # nobody waits on a hung page
    assert all(a.status for a in traffic.answers), "a request got no answer at all"

    problem = refused.value
    assert problem.code == 503
    assert problem.headers["Content-Type"] == "application/problem+json"
    assert problem.headers["Retry-After"] == "30"  # when to try again, for the partner's client
    assert json.loads(problem.read()) == {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The service cannot take requests now. Try again in a few minutes.",
    }

    # After: the same app (never restarted) serves the page again, and the person is still signed in.
    assert back_at - started_at < 10
    after = traffic.since(back_at)
    assert after and all(a.status == 200 for a in after), [(a.path, a.status) for a in after]
    assert all("Hughes" in a.text for a in after if a.path == margaret)
    assert server.process.poll() is None
    assert server.output().count("Booting worker") == 1  # gunicorn never had to replace its worker
    assert down_at < stopped_at
    drop_database(postgres_cluster.server_url, env["DATABASE_URL"].rsplit("/", 1)[1])


# ---- Redis and the workers ----------------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def drill_database(demo_backup, tmp_path, redis_server):
    """The demo data in a database of its own on the suite's server, the app and its workers queueing through
    a private redis-server and writing each email as a file."""
    server = server_url()
    env = restore_demo(
        demo_backup,
        server=server,
        files=tmp_path / "files",
        CELERY_BROKER_URL=redis_server.url,
        CELERY_TASK_ALWAYS_EAGER="false",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    yield env
    drop_database(server, env["DATABASE_URL"].rsplit("/", 1)[1])


@pytest.fixture
def workers(tmp_path):
    """Celery workers on the drill's database and Redis (this process asks them for a ping there)."""
    from msp_cases.celery import app

    started: list[Worker] = []
    eager = app.conf.task_always_eager

    def start(env: dict[str, str], **options) -> Worker:
        use_broker(env["CELERY_BROKER_URL"])
        worker = Worker(env["CELERY_BROKER_URL"], env, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker.start(**options)

    yield start
    for worker in started:
        # The drill is over: no warm shutdown to wait for (it can take the whole grace period).
        if worker.process and worker.process.poll() is None:
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(timeout=10)
        worker.stop()
        print(f"---- {worker.log_path.name} ----\n{worker.output()[-6000:]}")
    restore_broker(eager=eager)


def beat(env: dict[str, str], *tasks: str) -> None:
    """What celery beat does on schedule (django-celery-beat's periodic tasks): publish the task by name."""
    for task in tasks:
        manage_celery(env, "call", task)


def manage_celery(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "msp_cases", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )


def query(env: dict[str, str], sql: str, *params) -> list[tuple]:
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return conn.execute(sql, params).fetchall()


def emails(env: dict[str, str]) -> list[tuple[str, str]]:
    """(to, subject) of every email the workers sent (the file backend writes one file for each send)."""
    sent = []
    for path in sorted(Path(env["EMAIL_FILE_PATH"]).glob("*.log")):
        for message in path.read_text().split("-" * 79):
            to = re.search(r"^To: (.+)$", message, re.M)
            subject = re.search(r"^Subject: (.+)$", message, re.M)
            if to and subject:
                sent.append((to.group(1).strip(), subject.group(1).strip()))
    return sent


def test_redis_stopped_and_started_again(drill_database, redis_server, app_server, workers):
    env = drill_database
    server = app_server(env)
    manager = Browser(server.url, timeout=10)
    manager.sign_in("manager.south@example.org")
    # Kwame Boateng's concern, waiting in South's queue for someone to look at it; and a South enquiry.
    concern = query(
        env,
        "SELECT c.id FROM enquiries_safeguardingconcern c JOIN enquiries_person p ON p.id = c.person_id"
        " WHERE p.local_identifier = 'DEMO-002' AND c.allocated_to_id IS NULL",
    )[0][0]
    enquiry = query(
        env,
        "SELECT id FROM enquiries_enquiry WHERE team_id = (SELECT team_id FROM"
        " enquiries_safeguardingconcern WHERE id = %s) ORDER BY id LIMIT 1",
        concern,
    )[0][0]
    # The seeder's own notifications were emailed as it ran (to memory), and its export is in the store:
    # only this drill's count here.
    first_new = query(env, "SELECT coalesce(max(id), 0) + 1 FROM notifications_notification")[0][0]
    pdfs_before = set(Path(env["EXPORTS_ROOT"]).rglob("*.pdf"))
    manager_id = query(env, "SELECT id FROM accounts_user WHERE email = 'manager.south@example.org'")[0][0]

    redis_server.stop()  # Redis is down

    # An export asked for: saved, and the person told it will be prepared when the service is back.
    started = time.monotonic()
    status, _url, page = manager.submit(
        f"/enquiries/{enquiry}/",
        {"kind": "case_summary", "enquiry": str(enquiry)},
        action="/exports/request/",
    )
    assert status == 200 and time.monotonic() - started < 8
    assert "it will be prepared when the service is back" in page.decode()

    # The concern allocated to a practitioner: saved, and their notification kept for its email.
    allocate = f"/concerns/{concern}/allocate/"
    _status, _url, form = manager.request(allocate)
    practitioner = FormFields(form).options["practitioner"][0]
    status, url, page = manager.submit(allocate, {"practitioner": practitioner})
    assert status == 200 and url.endswith(f"/concerns/{concern}/"), (status, url, page[:300])
    assert query(env, "SELECT allocated_to_id FROM enquiries_safeguardingconcern WHERE id = %s", concern) == [
        (int(practitioner),)
    ]

    # Nothing lost: both are in the database, waiting.
    exports = query(
        env, "SELECT status, enqueued_at FROM exports_export WHERE requested_by_id = %s", manager_id
    )
    assert exports == [("queued", None)]
    waiting = query(
        env,
        "SELECT n.id, u.email FROM notifications_notification n JOIN accounts_user u ON u.id = n.user_id"
        " WHERE n.email_state = 'pending' AND n.kind = 'allocated'",
    )
    assert [email for _id, email in waiting] == [
        query(env, "SELECT email FROM accounts_user WHERE id = %s", int(practitioner))[0][0]
    ]

    # Redis is back, a worker starts, and beat runs its catch-up jobs: twice, as two runs would.
    redis_server.start()
    worker = workers(env)
    beat(env, "exports.requeue_unsent", "notifications.send_pending_emails")

    def done():
        export_ready = query(
            env, "SELECT status FROM exports_export WHERE requested_by_id = %s", manager_id
        ) == [("ready",)]
        pending = query(env, "SELECT count(*) FROM notifications_notification WHERE email_state = 'pending'")
        return export_ready and pending[0][0] == 0

    wait_for(done, timeout=90, what="the kept export and emails to go once Redis is back")
    beat(env, "exports.requeue_unsent", "notifications.send_pending_emails")
    wait_for(
        lambda: (
            finished(worker, "notifications.send_pending_emails") >= 3
            and finished(worker, "exports.requeue_unsent") >= 2
        ),
        timeout=60,
        what="the second catch-up run",
    )

    sent = emails(env)
    notified = query(
        env,
        "SELECT u.email FROM notifications_notification n JOIN accounts_user u ON u.id = n.user_id"
        " WHERE n.email_state = 'sent' AND n.id >= %s",
        first_new,
    )
    # One email for each notification, to its person: none lost, none twice.
    assert sorted(to for to, _subject in sent) == sorted(email for (email,) in notified)
    kinds = {
        kind
        for (kind,) in query(
            env,
            "SELECT kind FROM notifications_notification WHERE email_state = 'sent' AND id >= %s",
            first_new,
        )
    }
    assert {"allocated", "export_ready"} <= kinds
    assert len(set(Path(env["EXPORTS_ROOT"]).rglob("*.pdf")) - pdfs_before) == 1  # rendered once
    assert server.process.poll() is None


class SlowMailServer(socketserver.ThreadingTCPServer):
    """A mail server that takes every message it is given, counting them, and can be held: while held it
    accepts a connection and says nothing (a slow mail server), so a send is in progress for as long as a
    drill needs."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.messages: list[bytes] = []
        self.held_connections = 0
        self.release = threading.Event()
        super().__init__(("127.0.0.1", free_port()), _SmtpSession)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.server_address[1]}"


class _SmtpSession(socketserver.StreamRequestHandler):
    def handle(self):
        server: SlowMailServer = self.server
        if not server.release.is_set():
            server.held_connections += 1
            server.release.wait()
        # The worker killed while it waited took its connection with it.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            self._converse(server)

    def _converse(self, server: SlowMailServer) -> None:
        self.wfile.write(b"220 drill ESMTP\r\n")
        data, in_data = [], False
        for line in self.rfile:
            if in_data:
                if line in (b".\r\n", b".\n"):
                    server.messages.append(b"".join(data))
                    data, in_data = [], False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # EHLO, MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


def test_a_worker_killed_while_sending_an_email(drill_database, workers):
    env = drill_database
    mail = SlowMailServer()
    try:
        # The anti-drift scan: the demo's enquiries past their agreed next contact get reminders, each
        # reminder a notification, each notification an email.
        # The seeder's notifications were emailed as it ran (to memory): only this drill's count here.
        first_new = query(env, "SELECT coalesce(max(id), 0) + 1 FROM notifications_notification")[0][0]
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(
                "UPDATE enquiries_enquiry SET next_contact_on = current_date - 10"
                " WHERE next_contact_on IS NOT NULL"
            )
        worker = workers(
            {**env, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_URL": mail.url}
        )
        beat(env, "enquiries.scan_drift")

        # An email is being sent (the mail server has the connection and is slow): kill the pool process
        # running it, as the OOM killer would.
        wait_for(lambda: mail.held_connections >= 1, timeout=60, what="an email send to start")
        worker.kill_child()
        mail.release.set()

        def all_sent():
            counts = dict(
                query(
                    env,
                    "SELECT email_state, count(*) FROM notifications_notification WHERE id >= %s"
                    " GROUP BY email_state",
                    first_new,
                )
            )
            return counts.get("sent", 0) > 0 and counts.get("pending", 0) == 0

        wait_for(all_sent, timeout=90, what="the killed send to be delivered again and every email to go")
        assert "WorkerLostError" in worker.output() or "exited with" in worker.output()

        # Beat runs on: the scan and the email catch-up again. Nothing new, nothing sent twice.
        beat(env, "enquiries.scan_drift", "notifications.send_pending_emails")
        wait_for(
            lambda: (
                finished(worker, "notifications.send_pending_emails") >= 2
                and finished(worker, "enquiries.scan_drift") >= 2
            ),
            timeout=60,
            what="beat's second run",
        )

        reminders = query(
            env,
            "SELECT rule, enquiry_id, count(*) FROM enquiries_reminder"
            " GROUP BY rule, enquiry_id, recipient_id HAVING count(*) > 1",
        )
        assert reminders == []  # no reminder raised twice
        notifications = query(
            env,
            "SELECT count(*) FROM notifications_notification WHERE email_state = 'sent' AND id >= %s",
            first_new,
        )
        assert notifications[0][0] >= 1
        assert len(mail.messages) == notifications[0][0]  # one email for each notification, none twice
        # Each sent at its first counted attempt: the killed one was rolled back with its worker.
        assert query(
            env,
            "SELECT count(*) FROM notifications_notification WHERE email_attempts > 1 AND id >= %s",
            first_new,
        ) == [(0,)]
    finally:
        mail.release.set()
        mail.shutdown()
        mail.server_close()


# A partner's system that sent a referral to the front door (a demo referral, as if through the API) and
# listens for what became of it; then the front door routes the referral to North, which records the event.
PARTNER_AND_ROUTE = """
import django, hashlib, os
django.setup()
from enquiries.models import Person
from msp_cases.accounts.models import Team, User
from msp_cases.api.models import ApiReferral
from msp_cases.api.services import api_client_create
from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral
from msp_cases.frontdoor.services import screening
from msp_cases.partners.services import webhook_subscription_create

client, _ = api_client_create(actor=None, name="Police referrals", scopes=["referrals:write"], team_names=[])
webhook_subscription_create(
    actor=Actor.of(User.objects.get(email="unit@example.org")), client=client,
    url=os.environ["RECEIVER_URL"], events=["referral.received"],
)
referral = Referral.objects.filter(state="waiting").order_by("pk").first()
ApiReferral.objects.create(
    client=client, idempotency_key="drill-1", request_hash=hashlib.sha256(b"{}").hexdigest(),
    referral=referral,
)
screening.referral_route(
    actor=Actor.of(User.objects.get(email="frontdoor@example.org")), referral=referral,
    expected_version=referral.version, team=Team.objects.get(name="North Locality"),
    person=Person.objects.get(local_identifier="DEMO-001"),
)
"""


class SlowReceiver(socketserver.ThreadingTCPServer):
    """A partner's webhook receiver that is slow to answer: it reads each request, keeps it, and while held
    waits before answering 204."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.received: list[tuple[str, bytes]] = []  # (Webhook-Id, body)
        self.release = threading.Event()
        super().__init__(("127.0.0.1", free_port()), _ReceiverRequest)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/msp"


class _ReceiverRequest(socketserver.StreamRequestHandler):
    def handle(self):
        server: SlowReceiver = self.server
        headers = {}
        self.rfile.readline()  # POST /hooks/msp HTTP/1.1
        for line in iter(self.rfile.readline, b"\r\n"):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self.rfile.read(int(headers.get("content-length", 0)))
        server.received.append((headers.get("webhook-id", ""), body))
        server.release.wait()
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            self.wfile.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def test_a_worker_killed_while_delivering_a_webhook(drill_database, workers):
    env = drill_database
    receiver = SlowReceiver()
    try:
        worker = workers(env)
        subprocess.run(
            [sys.executable, "-c", PARTNER_AND_ROUTE],
            cwd=ROOT,
            env={**env, "RECEIVER_URL": receiver.url},
            check=True,
            capture_output=True,
            timeout=60,
        )
        # The partner's server has the event and has not answered yet: kill the pool process waiting on it.
        wait_for(lambda: receiver.received, timeout=60, what="the webhook to be sent")
        worker.kill_child()
        receiver.release.set()

        def delivered():
            return query(env, "SELECT status, attempts FROM partners_webhookdelivery") == [("delivered", 1)]

        wait_for(delivered, timeout=90, what="the webhook to be delivered again by a new pool process")
        beat(env, "webhooks.requeue_pending")
        wait_for(lambda: finished(worker, "webhooks.requeue_pending") >= 1, timeout=60, what="the sweep")

        # One event, one delivery, never lost. The partner saw it twice, the first time from the process
        # killed before it could record the answer: the same Webhook-Id both times, for the partner to
        # recognise, and the same signed body.
        assert query(env, "SELECT count(*) FROM partners_webhookevent") == [(1,)]
        ids = {webhook_id for webhook_id, _body in receiver.received}
        assert len(ids) == 1 and ids != {""}
        assert len(receiver.received) == 2
        assert receiver.received[0][1] == receiver.received[1][1]
    finally:
        receiver.release.set()
        receiver.shutdown()
        receiver.server_close()
