"""Real components: a Celery worker process consuming from a real Redis, against the test PostgreSQL database.

Each test that uses `worker` runs with committed data (`transactional_db`), because the worker is another
process with its own connection. The test process publishes through the same broker (tasks not eager).
Locally these tests skip unless CELERY_BROKER_URL and DATABASE_URL are set; CI sets both and never skips.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from tests.brokers import broker_to_myself, restore_broker, use_broker

ROOT = Path(__file__).resolve().parent.parent.parent
IN_CI = os.environ.get("CI") == "true"


def _need(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        if IN_CI:
            pytest.fail(f"CI must set {name} (real services)")
        pytest.skip(f"needs {name}: a real service (CI sets it)")
    return value


def wait_for(predicate: Callable[[], object], *, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Worker:
    """`celery worker` in a subprocess, with the project's configuration and the test database."""

    def __init__(self, broker_url: str, env: dict[str, str], log: Path):
        self.broker_url = broker_url
        self.env = env
        self.log_path = log
        self.name = f"itest-{uuid.uuid4().hex[:8]}@%h"
        self.process: subprocess.Popen | None = None

    def start(
        self, *, pool: str = "prefork", concurrency: int = 1, args: tuple[str, ...] = (), **extra_env: str
    ) -> "Worker":
        """`args`: more worker options, e.g. ("-Q", "long", "-O", "fair"): one queue (without -Q, all)."""
        self.log = open(self.log_path, "a")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "msp_cases",
                "worker",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                self.name,
                *args,
            ],
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        from msp_cases.celery import app

        hostname = self.name.replace("%h", socket.gethostname())

        def answered():
            assert self.process.poll() is None, f"the worker died:\n{self.output()}"
            with app.connection_for_write(self.broker_url) as conn:
                return app.control.ping(destination=[hostname], timeout=0.5, connection=conn)

        wait_for(answered, timeout=60, what="the worker to answer a ping", every=0.2)
        return self

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill_child(self) -> int:
        """SIGKILL the pool process running the task (what the OOM killer does)."""
        children = wait_for(self.children, timeout=10, what="a pool process")
        os.kill(children[0], signal.SIGKILL)
        return children[0]

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()
        self.process = None

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


def _database_url() -> str:
    _need("DATABASE_URL")
    s = connection.settings_dict
    if s["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker needs a shared database: run with DATABASE_URL at PostgreSQL")
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def broker_url() -> Iterator[str]:
    """CI's Redis, held by this test until its workers have stopped (tests/brokers.py)."""
    url = _need("CELERY_BROKER_URL")
    with broker_to_myself(url):
        yield url


@pytest.fixture
def worker_factory(
    broker_url, transactional_db, django_db_serialized_rollback, tmp_path
) -> Iterator[Callable[..., Worker]]:
    """Start workers on the given broker (default: CI's Redis); they are stopped after the test. Committed
    data is flushed afterwards and the migrations' data (roles, drift policies, schedules) restored
    (serialized rollback), as for the browser tests."""
    from msp_cases.celery import app

    database_url = _database_url()
    started: list[Worker] = []
    saved_eager = app.conf.task_always_eager

    def start(*, broker: str | None = None, **options) -> Worker:
        url = broker or broker_url
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "msp_cases.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        }
        env.update({k: str(v) for k, v in options.pop("env", {}).items()})
        worker = Worker(url, env, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)  # before it starts: stopped even if it never answers
        return worker.start(**options)

    use_broker(broker_url)
    with app.connection_for_write(broker_url) as conn:
        app.control.purge(connection=conn)  # nothing left over from an earlier run reaches these tests
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
            # Shown by pytest only when the test fails.
            print(f"---- {worker.log_path.name} ----\n{worker.output()[-6000:]}")
        restore_broker(eager=saved_eager)


class RedisServer:
    """A private redis-server on a free port, which a test may stop and start again (Redis down)."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server") or pytest.fail("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def up():
            with socket.socket() as s:
                return s.connect_ex(("127.0.0.1", self.port)) == 0

        wait_for(up, timeout=10, what="redis-server to listen")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(broker_url, tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


def finished(worker: Worker, task: str) -> int:
    """How many runs of `task` the worker has finished, from its log: JSON lines (django-structlog's
    task_started names the task, task_succeeded only its id), or Celery's own plain lines."""
    started, succeeded = set(), []
    for line in worker.output().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        if event.get("event") == "task_started" and event.get("task") == task:
            started.add(event.get("task_id"))
        elif event.get("event") == "task_succeeded":
            succeeded.append(event.get("task_id"))
    plain = len(re.findall(rf"{re.escape(task)}\[[^]]+\] succeeded", worker.output()))
    return plain + sum(1 for task_id in succeeded if task_id in started)
