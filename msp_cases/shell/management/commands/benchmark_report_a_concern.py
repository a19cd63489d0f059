"""The public "Report a concern" form under load, end to end: reports at a steady rate, none lost; past the
rate limits a clear page and nothing half-written; past the cap on referrals waiting, the form says to phone
and the front door is alerted once.

    python manage.py benchmark_report_a_concern [--per-minute 100] [--minutes 5] [--workers 3]
        [--cache-url redis://127.0.0.1:6379/9] [--budget-ms 300] [--report-only]

Starts gunicorn on a free loopback port as `benchmark_pages` does (production settings, sync workers) against
the database this command uses (DATABASE_URL, PostgreSQL), behind one trusted proxy (TRUSTED_PROXY_COUNT=1),
with the rate limits counted in `--cache-url` (Redis: a cache in each worker's memory would split the counts),
tasks run in the web process and email discarded. Then, with locust in its own process
(loadtest/report_a_concern.py):

1. load: `--per-minute` reports a minute for `--minutes`, each from its own client address, the whole journey
   from the start page to the reference; the cap on referrals waiting is raised for this phase only, so it
   measures the form rather than the cap. Every reference shown is then looked for in the database
   (msp_cases/frontdoor/selectors/load_check.py): none lost, none made twice, none made unseen.
2. flood: one address sends FRONT_DOOR_RATE_SUBMIT + 3 reports, another answers a question past
   FRONT_DOOR_RATE_PAGES: every request past a limit gets the 429 page with its message, and the rows
   written are exactly those accepted.
3. cap: a second server with FRONT_DOOR_MAX_WAITING two above the referrals now waiting; four people who have
   answered everything send: two are accepted, two are asked to phone, the start page then says to phone,
   and the front-door team is alerted once in the hour.

Prints one JSON line (reports, accepted, lost, duplicates, p50_ms, p95_ms, p99_ms over every request of the
journeys, errors, ok, and the flood's and the cap's figures) and exits 1 when anything fails, or when p95
is over `--budget-ms` (unless --report-only). Writes real referrals: run it against a database of its own."""

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from msp_cases.accounts import roles
from msp_cases.frontdoor.models import CapacityAlert, Referral, ReferralDraft
from msp_cases.frontdoor.selectors.load_check import read_references, references_check
from msp_cases.frontdoor.services.public import waiting_count
from msp_cases.notifications.models import Notification
from msp_cases.shell.benchmark.server import ServerFailed, database_url, gunicorn_server

LOAD_SCRIPT = settings.BASE_DIR / "loadtest" / "report_a_concern.py"
FLOOD_EXTRA = 3  # reports sent past the submit limit
CAP_JOURNEYS, CAP_ROOM = 4, 2  # people who send once the cap is two referrals away


def _limit(rate: str) -> int:
    """The count of a django-ratelimit rate ("10/h" → 10)."""
    return int(rate.split("/", 1)[0])


def _rows() -> dict[str, int]:
    return {"referrals": Referral.objects.count(), "drafts": ReferralDraft.objects.count()}


def _alerts_now() -> tuple[bool, int]:
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    return (
        CapacityAlert.objects.filter(hour=hour).exists(),
        Notification.objects.filter(kind=Notification.Kind.FRONT_DOOR_ALERT).count(),
    )


class Command(BaseCommand):
    help = "Load-test the public Report a concern form: steady reports, none lost; the rate limits; the cap."

    def add_arguments(self, parser):
        parser.add_argument("--per-minute", type=float, default=100, help="Reports a minute (default 100)")
        parser.add_argument("--minutes", type=float, default=5, help="For how long (default 5)")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
        parser.add_argument(
            "--cache-url",
            default=os.environ.get("CACHE_URL", ""),
            help="The server's cache, where the rate limits count (default $CACHE_URL; Redis)",
        )
        parser.add_argument("--budget-ms", type=float, default=300, help="p95 budget (default 300 ms)")
        parser.add_argument(
            "--report-only",
            action="store_true",
            help="Do not exit 1 when only the p95 budget fails (anything lost or refused still does)",
        )

    def handle(self, *args, per_minute, minutes, workers, cache_url, budget_ms, report_only, **options):
        if per_minute <= 0 or minutes <= 0 or workers < 1:
            raise CommandError("--per-minute, --minutes and --workers must be positive.")
        if workers > 1 and not cache_url.startswith(("redis://", "rediss://")):
            raise CommandError(
                "Give --cache-url redis://…: with a cache in each worker's memory the rate limits would "
                "count each worker's requests apart (or use --workers 1)."
            )
        try:
            database_url()
        except ServerFailed as e:
            raise CommandError(str(e)) from e
        submit_limit = _limit(settings.FRONT_DOOR_RATE_SUBMIT)
        pages_limit = _limit(settings.FRONT_DOOR_RATE_PAGES)
        reports = round(per_minute * minutes)
        run = secrets.token_hex(4)
        server_env = {
            "TRUSTED_PROXY_COUNT": "1",
            "CACHE_URL": cache_url or "locmemcache://",
            "CELERY_BROKER_URL": "",  # the acknowledgement task runs in the web process
            "EMAIL_URL": "dummymail://",  # and no email leaves the machine
            "FRONT_DOOR_RATE_SUBMIT": settings.FRONT_DOOR_RATE_SUBMIT,
            "FRONT_DOOR_RATE_PAGES": settings.FRONT_DOOR_RATE_PAGES,
        }
        room = reports + submit_limit + FLOOD_EXTRA + 100
        try:
            with tempfile.TemporaryDirectory(prefix="report-a-concern-") as folder:
                references = Path(folder) / "references.tsv"
                references.touch()
                with gunicorn_server(
                    workers=workers,
                    env={**server_env, "FRONT_DOOR_MAX_WAITING": str(waiting_count() + room)},
                ) as base_url:
                    before = _rows()
                    load = self._phase(
                        "load",
                        base_url=base_url,
                        run=run,
                        per_minute=per_minute,
                        minutes=minutes,
                        references=str(references),
                        timeout=minutes * 60 + 300,
                    )
                    after_load = _rows()
                    with open(references) as lines:
                        check = references_check(shown=read_references(lines), run=run)
                    flood = self._phase(
                        "flood",
                        base_url=base_url,
                        run=run,
                        submit_limit=submit_limit,
                        pages_limit=pages_limit,
                        extra=FLOOD_EXTRA,
                        timeout=600,
                    )
                    after_flood = _rows()
                cap_env = {**server_env, "FRONT_DOOR_MAX_WAITING": str(waiting_count() + CAP_ROOM)}
                alerted_before, told_before = _alerts_now()
                with gunicorn_server(workers=workers, env=cap_env) as base_url:
                    cap = self._phase("cap", base_url=base_url, run=run, journeys=CAP_JOURNEYS, timeout=300)
                after_cap = _rows()
                alerted_after, told_after = _alerts_now()
        except ServerFailed as e:
            raise CommandError(str(e)) from e

        screeners = (
            ModelBackend().with_perm(roles.SCREEN_REFERRAL, is_active=True, include_superusers=False).count()
        )
        flood_result = {
            **{k: v for k, v in flood.items() if k != "phase"},
            "written": after_flood["referrals"] - after_load["referrals"],
            "drafts_written": after_flood["drafts"] - after_load["drafts"],
        }
        flood_ok = (
            flood["submit_accepted"] == submit_limit
            and flood["submit_refused_429"] == FLOOD_EXTRA
            and flood["submit_unclear"] == 0
            and flood_result["written"] == flood["submit_accepted"]
            and flood_result["drafts_written"] == 0
            and flood["pages_accepted"] == pages_limit
            and flood["pages_refused_429"] > 0
            and flood["pages_unclear"] == 0
            and flood["answer_kept"] == "no"
        )
        cap_result = {
            **{k: v for k, v in cap.items() if k != "phase"},
            "written": after_cap["referrals"] - after_flood["referrals"],
            "alerted_this_hour": alerted_after,
            "notifications": told_after - told_before,
        }
        cap_ok = (
            cap["sent"] == CAP_ROOM
            and cap["told_to_phone"] == CAP_JOURNEYS - CAP_ROOM
            and not cap["other_statuses"]
            and cap["start_says_phone"]
            and cap_result["written"] == CAP_ROOM
            and alerted_after
            # One alert an hour: this one if none was raised earlier in the hour.
            and cap_result["notifications"] == (0 if alerted_before else screeners)
        )
        server_errors = load["statuses"].get("5xx", 0)
        errors = load["failed_reports"] + load["request_errors"] + server_errors
        correct = (
            load["accepted"] == reports
            and not check.lost
            and not check.duplicates
            and not check.unshown
            and after_load["referrals"] - before["referrals"] == load["accepted"]
            and errors == 0
            and flood_ok
            and cap_ok
        )
        within_budget = load["p95_ms"] is not None and load["p95_ms"] <= budget_ms
        line = {
            "reports": reports,
            "accepted": load["accepted"],
            "lost": len(check.lost),
            "duplicates": len(check.duplicates),
            "unshown": len(check.unshown),
            "p50_ms": load["p50_ms"],
            "p95_ms": load["p95_ms"],
            "p99_ms": load["p99_ms"],
            "errors": errors,
            "ok": correct and within_budget,
            "per_minute": per_minute,
            "minutes": minutes,
            "seconds": load["seconds"],
            "requests": load["requests"],
            "statuses": load["statuses"],
            "send_p50_ms": load["send_p50_ms"],
            "send_p95_ms": load["send_p95_ms"],
            "max_ms": load["max_ms"],
            "by_request": load["by_request"],
            "budget_ms": budget_ms,
            "workers": workers,
            "run": run,
            "flood": {**flood_result, "ok": flood_ok},
            "cap": {**cap_result, "ok": cap_ok},
        }
        if load["failure_examples"]:
            line["failure_examples"] = load["failure_examples"]
        self.stdout.write(json.dumps(line))
        if not correct or (not within_budget and not report_only):
            raise SystemExit(1)

    def _phase(self, phase: str, *, timeout: float, **plan) -> dict:
        done = subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, str(LOAD_SCRIPT)],
            input=json.dumps({"phase": phase, **plan}),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=settings.BASE_DIR,
        )
        if done.returncode != 0:
            raise CommandError(f"The load generator failed ({phase}):\n{done.stderr[-4000:]}")
        return json.loads(done.stdout)
