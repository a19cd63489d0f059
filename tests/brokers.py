"""Pointing this test process's Celery app at a broker, for tests that publish for real; holding the suite's
broker for one test at a time across pytest-xdist's processes."""

import contextlib
import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path


def use_broker(broker_url: str, *, eager: bool = False) -> None:
    """Publish through `broker_url` (not eagerly, unless `eager`).

    Publishing uses `broker_write_url`: setting `broker_url` would lose to the CELERY_BROKER_URL variable,
    which Celery prefers (and CI sets). Cached connections and producers (kombu keeps a process-wide registry
    of pools) are dropped so the next publish connects to the new URL."""
    from kombu import pools

    from msp_cases.celery import app

    app.conf.task_always_eager = eager
    app.conf.broker_write_url = broker_url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def restore_broker(*, eager: bool) -> None:
    """Back to the configured broker and eagerness."""
    from kombu import pools

    from msp_cases.celery import app

    app.conf.broker_write_url = None
    app.conf.task_always_eager = eager
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_to_myself(broker_url: str) -> Iterator[None]:
    """Hold the broker for this test alone, across processes.

    A test that starts a real Celery worker on the suite's broker purges its queue first and expects its
    worker to take its tasks. Under pytest-xdist (`make test` runs a process per core) another process's
    test could otherwise purge that queue, or start a worker that takes the tasks and runs them against its
    own test database. An exclusive lock on a file named for the broker makes such tests wait for one
    another; every other test runs on in parallel."""
    digest = hashlib.sha256(broker_url.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"msp-cases-broker-{digest}.lock"
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
