"""Figures read at scrape time: from the broker (queue lengths, task outcomes) and from the database (drift
reminders, exports and documents by state, lockouts in force).

The database figures are a handful of grouped counts, one query per table, kept in the cache for
METRICS_CACHE_SECONDS so that several Prometheus servers, or several web pods scraped at once, count them
once between them (with CACHE_URL on Redis). Each state and rule is reported, at 0 when there is none, so a
dashboard's series never appear from nowhere."""

import logging
from collections.abc import Iterator

import redis
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, Q
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from enquiries.models.drift import DriftRule, Reminder
from msp_cases.documents.models import Document
from msp_cases.exports.models import Export

from . import broker

logger = logging.getLogger(__name__)

_CACHE_KEY = "msp_cases:metrics:database"


def _database_figures() -> dict:
    reminders = {
        row["rule"]: row
        for row in Reminder.objects.order_by()
        .values("rule")
        .annotate(
            raised=Count("pk"),
            escalated=Count("escalated_at"),
            open=Count("pk", filter=Q(status=Reminder.Status.OPEN)),
        )
    }
    exports = dict(Export.objects.order_by().values_list("status").annotate(n=Count("pk")))
    documents = dict(Document.objects.order_by().values_list("scan_status").annotate(n=Count("pk")))
    locked_out = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - get_cool_off(),
    ).count()
    return {
        "reminders": {
            rule: {key: reminders.get(rule, {}).get(key, 0) for key in ("raised", "escalated", "open")}
            for rule in DriftRule.values
        },
        "exports": {status: exports.get(status, 0) for status in Export.Status.values},
        "documents": {status: documents.get(status, 0) for status in Document.ScanStatus.values},
        "locked_out": locked_out,
    }


def database_figures() -> dict:
    seconds = settings.METRICS_CACHE_SECONDS
    if seconds <= 0:
        return _database_figures()
    try:
        figures = cache.get(_CACHE_KEY)
    except Exception:  # a cache that cannot be reached: count afresh, as the report pages do
        logger.warning("Metrics cache unreachable; counting afresh")
        return _database_figures()
    if figures is None:
        figures = _database_figures()
        try:
            cache.set(_CACHE_KEY, figures, seconds)
        except Exception:
            logger.warning("Metrics cache unreachable; figures not kept")
    return figures


class DatabaseCollector:
    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "msp_cases_database_up", "1 when the database answered this scrape's counts, 0 when not."
        )
        try:
            figures = database_figures()
        except DatabaseError:
            # The requests' and queues' figures still come: they matter most while the database is away.
            logger.warning("Metrics: the database did not answer; its counts are left out")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        raised = CounterMetricFamily(
            "msp_cases_drift_reminders_raised",
            "Drift reminders raised since the start, by rule.",
            labels=["rule"],
        )
        escalated = CounterMetricFamily(
            "msp_cases_drift_reminders_escalated",
            "Drift reminders escalated to the team's managers since the start, by rule.",
            labels=["rule"],
        )
        still_open = GaugeMetricFamily(
            "msp_cases_drift_reminders_open", "Drift reminders open now, by rule.", labels=["rule"]
        )
        for rule, counts in figures["reminders"].items():
            raised.add_metric([rule], counts["raised"])
            escalated.add_metric([rule], counts["escalated"])
            still_open.add_metric([rule], counts["open"])
        yield from (raised, escalated, still_open)

        exports = GaugeMetricFamily("msp_cases_exports", "Exports by status.", labels=["status"])
        for status, n in figures["exports"].items():
            exports.add_metric([status], n)
        yield exports

        documents = GaugeMetricFamily(
            "msp_cases_documents", "Documents on case records by virus-scan state.", labels=["scan_status"]
        )
        for status, n in figures["documents"].items():
            documents.add_metric([status], n)
        yield documents

        yield GaugeMetricFamily(
            "msp_cases_sign_in_locked_out",
            "Lockouts in force now (an email locked from one client address).",
            value=figures["locked_out"],
        )


class BrokerCollector:
    def collect(self) -> Iterator[Metric]:
        redis_client = broker.client()
        if redis_client is None:
            return
        up = GaugeMetricFamily(
            "msp_cases_celery_broker_up", "1 when the broker's Redis answered this scrape, 0 when not."
        )
        try:
            lengths = broker.queue_lengths(redis_client)
            outcomes = broker.task_outcomes(redis_client)
        except redis.RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        queues = GaugeMetricFamily(
            "msp_cases_celery_queue_length", "Tasks waiting in each Celery queue.", labels=["queue"]
        )
        for name, length in lengths.items():
            queues.add_metric([name], length)
        yield queues
        tasks = CounterMetricFamily(
            "msp_cases_celery_tasks",
            "Celery task outcomes by task: succeeded, failed (for good) or retried.",
            labels=["task", "outcome"],
        )
        for outcome, by_task in outcomes.items():
            for task, n in sorted(by_task.items()):
                tasks.add_metric([task, outcome], n)
        yield tasks
