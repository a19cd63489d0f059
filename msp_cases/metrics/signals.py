"""Counters fed by signals: sign-in failures and lockouts (in the web processes: prometheus_client counters,
shared between gunicorn's workers through PROMETHEUS_MULTIPROC_DIR), and Celery task outcomes (in the
workers: counted in the broker's Redis, msp_cases.metrics.broker). Nothing about who: no email, no address."""

from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from celery.signals import task_failure, task_retry, task_success
from django.contrib.auth.signals import user_login_failed
from prometheus_client import Counter

from . import broker

SIGN_IN_FAILURES = Counter(
    "msp_cases_sign_in_failures",
    "Sign-in attempts refused: a wrong password, a wrong two-factor code, or any attempt while locked out.",
    ["step"],
)
SIGN_IN_LOCKOUTS = Counter(
    "msp_cases_sign_in_lockouts",
    "Lockouts begun: an email was locked from a client address after AXES_FAILURE_LIMIT failures.",
)
for _step in ("password", "second_step"):
    SIGN_IN_FAILURES.labels(step=_step)  # both series exist from the start, at 0


def _sign_in_failed(sender, credentials=None, request=None, **kwargs) -> None:
    # The second step sends the signal itself, as the sign-in does for a wrong password (django.contrib.auth).
    step = "second_step" if "two_factor" in str(sender) else "password"
    SIGN_IN_FAILURES.labels(step=step).inc()


def _locked_out(sender, request=None, **kwargs) -> None:
    # django-axes says "locked out" for the failure that reaches the limit and again for every attempt after
    # it while the lockout lasts; only the first begins one.
    if request is None:
        return
    limit = get_failure_limit(request, getattr(request, "axes_credentials", None))
    if getattr(request, "axes_failures_since_start", None) == limit:
        SIGN_IN_LOCKOUTS.inc()


def _task_succeeded(sender=None, **kwargs) -> None:
    broker.count_task_outcome(getattr(sender, "name", ""), "succeeded")


def _task_failed(sender=None, **kwargs) -> None:
    broker.count_task_outcome(getattr(sender, "name", ""), "failed")


def _task_retried(sender=None, **kwargs) -> None:
    broker.count_task_outcome(getattr(sender, "name", ""), "retried")


def connect() -> None:
    user_login_failed.connect(_sign_in_failed, dispatch_uid="metrics.sign_in_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="metrics.locked_out")
    task_success.connect(_task_succeeded, weak=False, dispatch_uid="metrics.task_succeeded")
    task_failure.connect(_task_failed, weak=False, dispatch_uid="metrics.task_failed")
    task_retry.connect(_task_retried, weak=False, dispatch_uid="metrics.task_retried")
