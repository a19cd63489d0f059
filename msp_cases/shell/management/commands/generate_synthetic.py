import os
import sys
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases.shell.synthetic import generate_synthetic
from msp_cases.shell.synthetic.staff import staff_who_can_sign_in

PASSWORD_ENV = "SYNTHETIC_STAFF_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class ProgressBar:
    """A plain progress bar on stderr (no extra dependency): concerns done, share, elapsed time and rate.
    Written over itself on one line, so only shown on a terminal."""

    WIDTH = 30

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // total
        elapsed = time.perf_counter() - self.started
        rate = done / elapsed if elapsed else 0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done:,}/{total:,} concerns "
            f"{100 * done // total:3d}% {elapsed:6.1f}s {rate:,.0f}/s"
        )
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Fill the database with realistic, deterministic fictional cases: people, concerns, decisions, "
        "enquiries, conversations, outcomes, Part 1/2, plans, reviews and closures (development and "
        "benchmarks only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--concerns", type=int, required=True, help="How many concerns to create")
        parser.add_argument(
            "--seed", type=int, default=1, help="Same seed and --today, same data (default 1)"
        )
        parser.add_argument(
            "--teams", type=int, default=4, help="Locality teams, created if missing (default 4)"
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The date everything is counted back from, YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--open-enquiries",
            type=int,
            default=0,
            help="Make this many of the concerns section 42 enquiries that are still open (the drift "
            "benchmark uses 100000); the rest follow the national mix (default 0)",
        )
        parser.add_argument(
            "--long-enquiries",
            type=int,
            default=None,
            help="Long cases with 100 to 300 timeline entries (default: 3 in 10,000 concerns, at least 1)",
        )
        parser.add_argument(
            "--staff-password",
            default=os.environ.get(PASSWORD_ENV) or None,
            help=f"Let every synthetic member of staff sign in with this password (default: ${PASSWORD_ENV}; "
            "without either, their passwords stay unusable)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Concerns per chunk and transaction (default 5000)"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (shown only on a terminal anyway)"
        )

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError(
                "generate_synthetic only runs in demo mode (DEMO_MODE=true or DEBUG): it adds fictional "
                "cases."
            )
        today = options["today"] or timezone.localdate()
        stream = self.stderr._out
        show_progress = (
            not options["no_progress"] and options["verbosity"] > 0 and getattr(stream, "isatty", bool)()
        )
        started = time.perf_counter()
        try:
            counts = generate_synthetic(
                concerns=options["concerns"],
                seed=options["seed"],
                teams=options["teams"],
                today=today,
                open_enquiries=options["open_enquiries"],
                long_enquiries=options["long_enquiries"],
                batch_size=options["batch_size"],
                progress=ProgressBar(stream) if show_progress else None,
                staff_password=options["staff_password"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data for seed {options['seed']} (counted back from {today:%Y-%m-%d}): "
                f"{rows:,} rows in {elapsed:.1f}s."
            )
        )
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label:45} {count:>10,}")
        self.stdout.write(
            f"Database now holds {Person.objects.count():,} people, "
            f"{SafeguardingConcern.objects.count():,} concerns, "
            f"{Enquiry.objects.exclude(status=Enquiry.Status.CLOSED).count():,} open enquiries."
        )
        self.report_sign_in()

    def report_sign_in(self) -> None:
        """Which synthetic accounts can sign in (emails only): a few of each kind, and how many."""
        emails = staff_who_can_sign_in()
        if not emails:
            self.stdout.write(
                f"No synthetic staff can sign in: pass --staff-password (or set {PASSWORD_ENV}) to let them."
            )
            return
        self.stdout.write(f"{len(emails):,} synthetic staff can sign in with the password given:")
        for kind in ("unit", "manager", "practitioner"):
            found = [e for e in emails if e.split("@")[0].split(".")[-1].rstrip("0123456789") == kind]
            shown = ", ".join(found[:3]) + (f" and {len(found) - 3:,} more" if len(found) > 3 else "")
            self.stdout.write(f"  {kind}: {shown}")
