"""Pointing this test process's Celery app at a broker, for tests that publish for real."""


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
