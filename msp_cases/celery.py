"""The Celery app. Broker: Redis at CELERY_BROKER_URL. With no broker configured (make run, quick tests)
tasks run eagerly in the calling process (CELERY_TASK_ALWAYS_EAGER in settings)."""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

# Like wsgi.py: a worker started without DJANGO_SETTINGS_MODULE must not run with debug and demo settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp_cases.settings.production")

app = Celery("msp_cases")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each task's lines carry the request id (and user id) of the request that queued it (msp_cases/logs.py).
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def _log_as_the_web_does(**kwargs) -> None:
    """The worker writes the same JSON lines as the web processes (settings LOGGING), not Celery's own."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@app.task(name="msp_cases.ping")
def ping() -> str:
    """A health check for the worker: `celery -A msp_cases call msp_cases.ping`."""
    return "pong"
