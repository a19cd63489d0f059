"""Measure the drift scan on the current database: the first scan (which raises the reminders) and a second
one straight after (which should find nothing new), with wall time and SQL statements for each.

Each repetition runs inside a transaction that is rolled back, so the database is left as it was, the
benchmark can be repeated, and no notification emails are queued (their on-commit hook never fires). Commit
time is therefore not included. `--commit` keeps the first repetition's reminders and notifications instead.
"""

import json
import statistics
import time
from collections import Counter
from datetime import datetime

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from enquiries.models import Enquiry, PlanAction, Reminder, SafeguardingConcern
from enquiries.services.drift import drift_scan


class _Rollback(Exception):
    pass


class QueryCounter:
    """Counts the SQL statements a block runs (every one, unlike connection.queries, which keeps 9,000),
    leaving out the benchmark's own savepoints."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            self.count += 1
        return execute(sql, params, many, context)


def timed_scan(drift_scan, now) -> dict:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = drift_scan(now=now)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 3), "queries": counter.count, "result": result}


class Command(BaseCommand):
    help = "Time the anti-drift scan (first and second run, SQL statements each) on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Repetitions (default 3); medians reported")
        parser.add_argument(
            "--at",
            type=datetime.fromisoformat,
            default=None,
            help="Scan as if it were this moment (ISO 8601, local time if no offset); default: now",
        )
        parser.add_argument(
            "--commit",
            action="store_true",
            help="Keep what the scan raised (one repetition only; notification emails are queued)",
        )

    def handle(self, *args, **options):
        repeat = 1 if options["commit"] else max(1, options["repeat"])
        now = options["at"] or timezone.now()
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
        today = timezone.localdate(now)
        sizes = {
            "open_enquiries": Enquiry.objects.exclude(status=Enquiry.Status.CLOSED).count(),
            "enquiries": Enquiry.objects.count(),
            "concerns": SafeguardingConcern.objects.count(),
            "concerns_pending": SafeguardingConcern.objects.filter(
                decision=SafeguardingConcern.Decision.PENDING
            ).count(),
            "open_plan_actions": PlanAction.objects.exclude(enquiry__status=Enquiry.Status.CLOSED)
            .filter(status__in=["not_started", "in_progress"])
            .count(),
            "open_reminders_before": Reminder.objects.filter(status=Reminder.Status.OPEN).count(),
        }
        self.stdout.write(
            f"Drift scan at {timezone.localtime(now):%Y-%m-%d %H:%M} on {connection.vendor} "
            f"({connection.settings_dict['NAME']}): {sizes['open_enquiries']:,} open enquiries of "
            f"{sizes['enquiries']:,}, {sizes['concerns']:,} concerns "
            f"({sizes['concerns_pending']:,} awaiting a decision), "
            f"{sizes['open_plan_actions']:,} open plan actions on open enquiries."
        )
        runs = []
        for number in range(1, repeat + 1):
            try:
                with transaction.atomic():
                    first = timed_scan(drift_scan, now)
                    due = dict(
                        Reminder.objects.filter(status=Reminder.Status.OPEN)
                        .values_list("rule")
                        .annotate(n=Count("pk"))
                        .values_list("rule", "n")
                    )
                    second = timed_scan(drift_scan, now)
                    if not options["commit"]:
                        raise _Rollback
            except _Rollback:
                pass
            run = {"first": first, "second": second, "due_by_rule": due, "items_due": sum(due.values())}
            runs.append(run)
            self.stdout.write(
                f"Run {number}: {run['items_due']:,} items due; first scan {first['seconds']:.3f}s, "
                f"{first['queries']} queries, {first['result']}; second scan {second['seconds']:.3f}s, "
                f"{second['queries']} queries, {second['result']}"
            )
        summary = {
            "database": connection.vendor,
            "at": now.isoformat(),
            "today": today.isoformat(),
            **sizes,
            "items_due": runs[0]["items_due"],
            "due_by_rule": dict(sorted(Counter(runs[0]["due_by_rule"]).items())),
            "repeat": repeat,
            "first_scan_seconds_median": round(statistics.median(r["first"]["seconds"] for r in runs), 3),
            "second_scan_seconds_median": round(statistics.median(r["second"]["seconds"] for r in runs), 3),
            "first_scan_queries": runs[0]["first"]["queries"],
            "second_scan_queries": runs[0]["second"]["queries"],
            "first_scan_result": runs[0]["first"]["result"],
            "second_scan_result": runs[0]["second"]["result"],
            "committed": options["commit"],
        }
        self.stdout.write(
            f"Median of {repeat}: first scan {summary['first_scan_seconds_median']:.3f}s, second scan "
            f"{summary['second_scan_seconds_median']:.3f}s."
        )
        self.stdout.write(json.dumps(summary))
