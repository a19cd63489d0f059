"""Counting report figures off the request path: plain values in, counting.py does the work.

`reports.recount` runs on the long queue (a unit's year takes seconds at national scale). It is safe to run
twice (a redelivery after a worker died): a count only replaces the entry with newer figures. It is not
retried: whatever went wrong, the claim is released and the next viewer, who still sees the figures counted
before, queues the count again."""

import logging

import redis.exceptions
from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from msp_cases.accounts.models import User

from . import counting
from .scope import ReportScope

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, redis.exceptions.ConnectionError, OSError)


@shared_task(name="reports.recount", acks_late=True, reject_on_worker_lost=True)
def recount(*, kind: str, start: str, end: str, team_ids: list[int], user_id: int | None, claim: str) -> None:
    counting.kept_recount(kind=kind, start=start, end=end, team_ids=team_ids, user_id=user_id, claim=claim)


def recount_enqueue(*, kind: str, scope: ReportScope, user: User | None, claim: str) -> bool:
    """Hand the count to a worker (without a broker, Celery runs it here, now). False when the broker cannot
    be reached: the caller counts for itself, as it would with no worker at all."""
    try:
        recount.apply_async(
            kwargs={
                "kind": kind,
                "start": scope.start.isoformat(),
                "end": scope.end.isoformat(),
                "team_ids": list(scope.team_ids),
                "user_id": user.pk if user is not None else None,
                "claim": claim,
            },
            retry=False,
        )
    except BROKER_ERRORS:
        logger.warning("Report count of %s not queued (broker unreachable): counted in the request", kind)
        return False
    return True
