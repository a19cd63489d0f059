"""The Celery app. Broker: Redis at CELERY_BROKER_URL. With no broker configured (make run, quick tests)
tasks run eagerly in the calling process (CELERY_TASK_ALWAYS_EAGER in settings)."""

import os

from celery import Celery

# Like wsgi.py: a worker started without DJANGO_SETTINGS_MODULE must not run with debug and demo settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp_cases.settings.production")

app = Celery("msp_cases")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="msp_cases.ping")
def ping() -> str:
    """A health check for the worker: `celery -A msp_cases call msp_cases.ping`."""
    return "pong"
