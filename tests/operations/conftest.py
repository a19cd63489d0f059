"""Operations drills: the app as an operator runs it, in subprocesses, against databases these tests make.

Nothing here touches the suite's own test database or restarts the shared PostgreSQL and Redis: a drill
creates its own databases on the shared server (dropped afterwards), or starts its own PostgreSQL cluster and
redis-server on free ports. Locally these skip unless DATABASE_URL points at PostgreSQL; CI never skips."""

import fcntl
import html.parser
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.integration.conftest import free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
IN_CI = os.environ.get("CI") == "true"
DEMO_PASSWORD = "safeguarding-demo-2026"


def server_url() -> str:
    """The PostgreSQL server the suite uses (DATABASE_URL), without a database name."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        if IN_CI:
            pytest.fail("CI must set DATABASE_URL to PostgreSQL")
        pytest.skip("needs DATABASE_URL at PostgreSQL (CI sets it)")
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def database_url(server: str, name: str) -> str:
    return f"{server}/{name}"


def create_database(server: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def drop_database(server: str, name: str) -> None:
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def app_env(*, db_url: str, files: Path, **extra: str) -> dict[str, str]:
    """The environment an operator gives the app: its database and its two file stores."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.test",
        "DATABASE_URL": db_url,
        "DOCUMENTS_ROOT": str(files / "documents"),
        "EXPORTS_ROOT": str(files / "exports"),
        # The test settings keep these stores as given (they make throwaway ones only for a new process).
        "MSP_TEST_FILES_OF": worker,
        "PYTEST_XDIST_WORKER": worker,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        **extra,
    }


def run(args: list[str], env: dict[str, str], *, timeout: float = 180) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def manage(*args: str, env: dict[str, str], timeout: float = 180) -> str:
    return run([sys.executable, "manage.py", *args], env, timeout=timeout)


# A document and an export, added through the product's own services as the demo's Priya Shah, so the file
# stores hold something to back up.
ADD_FILES = """
import django
django.setup()
from django.core.files.base import ContentFile
from enquiries.models import Enquiry, Person
from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor
from msp_cases.documents.services import Upload, document_upload
from msp_cases.exports.models import Export
from msp_cases.exports.services import export_request

user = User.objects.get(email="practitioner.north@example.org")
person = Person.objects.get(local_identifier="DEMO-001")
document_upload(
    actor=Actor.of(user), record=person, title="Letter from the GP", kind="letter",
    uploads=[Upload(name="gp-letter.txt", file=ContentFile(b"Dear colleague, Margaret was seen today."))],
)
enquiry = Enquiry.objects.filter(lead_practitioner=user).order_by("pk").first()
export = export_request(actor=Actor.of(user), kind="case_summary", enquiry=enquiry)
export.refresh_from_db()
assert export.status == Export.Status.READY, export.status
"""


@dataclass
class DemoBackup:
    path: Path  # the directory scripts/backup.sh wrote
    contents: dict[str, list]  # each table of the database it was taken from: [row count, digest of its rows]
    source_files: Path  # the file stores it was taken from


EVERY_ROW = sql.SQL(
    "SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM {} t"
)


def table_contents(db_url: str) -> dict[str, list]:
    """Every table: its row count and a digest of every row's every value (in a fixed order)."""
    with psycopg.connect(db_url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        return {
            table: list(conn.execute(EVERY_ROW.format(sql.Identifier(table))).fetchone())
            for (table,) in tables
        }


@pytest.fixture(scope="session")
def demo_backup(tmp_path_factory) -> DemoBackup:
    """The demo data (migrate, seed_demo, a document and an export) in a fresh database of its own, backed up
    with scripts/backup.sh, the documented way; the database is dropped once its contents are noted.

    Made once per run: under pytest-xdist the first process to need it makes it in the run's shared temporary
    directory, holding a lock, and the others wait for it and read it (migrating takes most of a minute)."""
    server = server_url()
    base = tmp_path_factory.getbasetemp()
    work = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "demo-backup"
    work.mkdir(exist_ok=True)
    with (work / "lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = work / "made.json"
        if not made.exists():
            name = create_database(server, "msp_backup_source")
            try:
                env = app_env(db_url=database_url(server, name), files=work / "files")
                manage("migrate", "--no-input", "--verbosity", "0", env=env, timeout=300)
                manage("seed_demo", env=env)
                run([sys.executable, "-c", ADD_FILES], env)
                out = run(["bash", "scripts/backup.sh", str(work / "backups")], env)
                contents = table_contents(env["DATABASE_URL"])
            finally:
                drop_database(server, name)
            made.write_text(json.dumps({"path": out.strip().splitlines()[-1], "contents": contents}))
        recorded = json.loads(made.read_text())
    return DemoBackup(Path(recorded["path"]), recorded["contents"], work / "files")


class FormFields(html.parser.HTMLParser):
    """The named fields of a page's forms as a browser would send them untouched: hidden inputs with their
    values; and the choices of each set of radios or select."""

    def __init__(self, page: bytes):
        super().__init__()
        self.values: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self.feed(page.decode())

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.values.setdefault(a["name"], a.get("value") or "")
        elif tag == "input" and a.get("type") == "radio" and a.get("name"):
            self.options.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
            self.options.setdefault(self._select, [])
        elif tag == "option" and self._select and a.get("value"):
            self.options[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


class Browser:
    """A person's browser against a real server: cookies kept, redirects followed, every answer read (an
    error page included), never waiting longer than `timeout` seconds."""

    def __init__(self, base_url: str, *, timeout: float = 10):
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(
        self, path: str, data: dict | None = None, *, headers: dict[str, str] | None = None
    ) -> tuple[int, str, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read()

    def submit(self, path: str, answers: dict[str, str], *, action: str = "") -> tuple[int, str, bytes]:
        """Open the page at `path` and send its form (to `action`, if not the page itself) with these
        answers and the form's hidden fields, as a person would."""
        status, _url, page = self.request(path)
        assert status == 200, f"{path}: {status}"
        return self.request(action or path, {**FormFields(page).values, **answers})

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> str:
        status, _url, page = self.request("/sign-in/")
        assert status == 200, page[:500]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, url, page = self.request(
            "/sign-in/", {"csrfmiddlewaretoken": token, "username": email, "password": password}
        )
        assert status == 200 and "/sign-in/" not in url, f"sign-in failed ({status} at {url})"
        return page.decode()


class AppServer:
    """The app under gunicorn, as production serves it (one sync worker; the project's gunicorn config)."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env = env
        self.log_path = log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "AppServer":
        self.log = open(self.log_path, "a")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "msp_cases.wsgi:application",
                "--config",
                "python:msp_cases.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def answers():
            assert self.process.poll() is None, f"the server died:\n{self.output()}"
            try:
                with urllib.request.urlopen(self.url + "/sign-in/", timeout=5) as response:  # noqa: S310
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False

        wait_for(answers, timeout=60, what="the server to answer", every=0.2)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        if self.process:
            self.log.close()
        self.process = None

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


@pytest.fixture
def app_server(tmp_path) -> Iterator[Callable[[dict[str, str]], AppServer]]:
    started: list[AppServer] = []

    def start(env: dict[str, str]) -> AppServer:
        server = AppServer(env, tmp_path / f"server-{len(started)}.log")
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
        print(f"---- {server.log_path.name} ----\n{server.output()[-4000:]}")


def person_id(db_url: str, local_identifier: str) -> int:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT id FROM enquiries_person WHERE local_identifier = %s", [local_identifier]
        ).fetchone()[0]


def elapsed(since: float) -> float:
    return time.monotonic() - since


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free port, which a drill may stop and start (the suite's own server
    on 5432 is never touched). initdb refuses to run as root: as root it runs as the postgres user, in a
    directory of its own under /tmp (pytest's tmp_path is private to root)."""

    def __init__(self):
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
        if not binaries:
            pytest.fail("PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin)")
        self.bin = binaries[-1].parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="msp-drill-pg-"))
        self.data = self.dir / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def server_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _pg(self, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}\n{self.log()}"

    def init(self) -> "PostgresCluster":
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        return self

    def start(self) -> "PostgresCluster":
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        """A fast shutdown, as a restart or a failover does: every connection is ended at once."""
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def log(self) -> str:
        path = self.dir / "log"
        return path.read_text() if path.exists() else ""

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def postgres_cluster() -> Iterator[PostgresCluster]:
    server_url()  # skipped, like every drill, where the suite has no PostgreSQL
    cluster = PostgresCluster().init().start()
    try:
        yield cluster
    finally:
        cluster.remove()


def restore_demo(backup: "DemoBackup", *, server: str, files: Path, **extra: str) -> dict[str, str]:
    """A new database on `server` holding the demo data, restored from the backup by scripts/restore.sh;
    returns the app's environment for it."""
    name = create_database(server, "msp_drill")
    env = app_env(db_url=database_url(server, name), files=files, **extra)
    run(["bash", "scripts/restore.sh", str(backup.path)], env)
    return env
