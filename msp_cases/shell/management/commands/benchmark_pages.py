"""Measure the pages people use all day under load, served as production serves them, beside the framework's
floor.

    python manage.py benchmark_pages [--seconds 10] [--concurrency 1] [--pages caseload,timeline]
        [--password PW] [--workers 3] [--report-only]

Starts gunicorn on a free loopback port (msp_cases/gunicorn_conf.py, `--workers` sync workers as the
Dockerfile, production settings plus the floor view: msp_cases.settings.benchmark) against the database this
command uses (DATABASE_URL). Signs in through the sign-in page as the practitioner leading the most open
enquiries, a manager of their team and unit staff. For the floor and then each page, keeps `--concurrency`
connections asking for it for `--seconds` (after one warm-up request on each), with locust
(loadtest/measure.py, in its own process).

Prints one JSON line per page: p50/p95/p99 of those requests, the floor's p95 and the ratio, the failed
requests, the SQL queries the page makes (counted once in this process through Django's test client) and
whether it is within budget (p95 ≤ 150 ms, person search and the timeline ≤ 200 ms, and ≤ 40× the floor).
Exits 1 when a budget fails (unless --report-only) or a request failed. The server is stopped at the end,
whatever happens. Staff sign in with --password (default: $SYNTHETIC_STAFF_PASSWORD, the password
`generate_synthetic --staff-password` gave them)."""

import argparse
import importlib.util
import json
import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from msp_cases.shell.benchmark.pages import (
    FLOOR_RATIO_BUDGET,
    PAGE_NAMES,
    NoData,
    Page,
    choose_pages,
)
from msp_cases.shell.benchmark.server import ServerFailed, gunicorn_server

MEASURE_SCRIPT = settings.BASE_DIR / "loadtest" / "measure.py"


def _page_names(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in PAGE_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(PAGE_NAMES)} (got {value!r})")
    return names


def _key(page: Page) -> str:
    return f"{page.name}:{page.role}"


def count_queries(page: Page) -> int | None:
    """The SQL queries one request for the page makes, through Django's test client in this process. None
    when it does not answer 200 (204 for the floor)."""
    client = Client()
    client.force_login(page.user)
    # The floor is always mounted here; the test client's host is allowed; HTTPS, as the server sees it.
    with (
        override_settings(ROOT_URLCONF="msp_cases.shell.benchmark.urls", ALLOWED_HOSTS=["testserver"]),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(page.path, secure=True)
    return len(queries) if response.status_code in (200, 204) else None


class Command(BaseCommand):
    help = "Measure p50/p95/p99 of each page under load (gunicorn, locust) beside the framework's floor."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seconds", type=float, default=10.0, help="Measured seconds per page (default 10)"
        )
        parser.add_argument("--concurrency", type=int, default=1, help="Concurrent connections (default 1)")
        parser.add_argument(
            "--pages",
            type=_page_names,
            default=PAGE_NAMES,
            help=f"Comma-separated subset of: {', '.join(PAGE_NAMES)} (default all)",
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("SYNTHETIC_STAFF_PASSWORD", ""),
            help="The staff's password (default: $SYNTHETIC_STAFF_PASSWORD)",
        )
        parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
        parser.add_argument(
            "--report-only",
            action="store_true",
            help="Print the figures but do not exit 1 when a budget fails (failed requests still do)",
        )

    def handle(self, *args, seconds, concurrency, pages, password, workers, report_only, **options):
        if not password:
            raise CommandError("Give the staff's password: --password or SYNTHETIC_STAFF_PASSWORD.")
        if importlib.util.find_spec("locust") is None:
            raise CommandError("The load comes from locust, a dev dependency: pip install -e '.[dev]'.")
        if seconds <= 0 or concurrency < 1 or workers < 1:
            raise CommandError("--seconds, --concurrency and --workers must be positive.")
        try:
            floor, chosen = choose_pages(pages)
        except NoData as e:
            raise CommandError(str(e)) from e
        everything = [floor, *chosen]
        count_queries(floor)  # warms this process's caches (content types, templates) for the counts below
        queries = {_key(page): count_queries(page) for page in everything}
        plan = {
            "password": password,
            "concurrency": concurrency,
            "seconds": seconds,
            "targets": [
                {
                    "key": _key(page),
                    "email": page.user.email,
                    "path": page.path,
                    "status": 204 if page is floor else 200,
                }
                for page in everything
            ],
        }
        try:
            # No broker for the server: a report page's first look (the warm-up request) counts its figures in
            # the request and the measure reads them kept, as people read them. With a broker and no worker
            # for its long queue, the pages would be measured saying "the figures are being counted".
            with gunicorn_server(workers=workers, env={"CELERY_BROKER_URL": ""}) as base_url:
                results = self._load({**plan, "base_url": base_url}, len(everything) * (seconds + 10) + 120)
        except ServerFailed as e:
            raise CommandError(str(e)) from e
        failed_budget, failed_requests = self._report(everything, results, queries, concurrency)
        if failed_requests or (failed_budget and not report_only):
            raise SystemExit(1)

    def _load(self, plan: dict, timeout: float) -> dict[str, dict]:
        done = subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, str(MEASURE_SCRIPT)],
            input=json.dumps(plan),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=settings.BASE_DIR,
        )
        if done.returncode != 0:
            raise CommandError(f"The load generator failed:\n{done.stderr[-4000:]}")
        return {result["key"]: result for result in json.loads(done.stdout)}

    def _report(self, pages: list[Page], results: dict, queries: dict, concurrency: int) -> tuple[bool, bool]:
        floor_p95 = results[_key(pages[0])]["p95_ms"]
        failed_budget = failed_requests = False
        for page in pages:
            result = results[_key(page)]
            p95 = result["p95_ms"]
            ratio = round(p95 / floor_p95, 1) if p95 is not None and floor_p95 else None
            ok = (
                result["errors"] == 0
                and p95 is not None
                and p95 <= page.budget_ms
                and (ratio is not None and ratio <= FLOOR_RATIO_BUDGET)
            )
            failed_budget |= not ok
            failed_requests |= result["errors"] > 0
            line = {
                "page": page.name,
                "role": page.role,
                "p50_ms": result["p50_ms"],
                "p95_ms": p95,
                "p99_ms": result["p99_ms"],
                "floor_p95_ms": floor_p95,
                "ratio": ratio,
                "errors": result["errors"],
                "queries": queries[_key(page)],
                "ok": ok,
                "requests": result["requests"],
                "concurrency": concurrency,
                "budget_ms": page.budget_ms,
            }
            if result["error_examples"]:
                line["error_examples"] = result["error_examples"]
            self.stdout.write(json.dumps(line))
        return failed_budget, failed_requests
