"""python manage.py import_cases FILE --source Mosaic --as unit.lead@example.org [--dry-run]

Imports case records from an earlier system's extract (docs/import.md: the columns, the rules, what a dry run
and a refused batch mean). Problems are printed here, to the operator's terminal, with the value as the file
has it; nothing of a row is written to the logs."""

import logging
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from msp_cases.accounts.models import User
from msp_cases.accounts.roles import VIEW_RESTRICTED
from msp_cases.core.actor import Actor
from msp_cases.imports.columns import KINDS
from msp_cases.imports.reading import CSV, JSONL, UnreadableFile, format_of, read_rows
from msp_cases.imports.services import ImportRun, Problem, Summary

logger = logging.getLogger(__name__)
PLURALS = {
    "person": "people",
    "concern": "concerns",
    "enquiry": "enquiries",
    "conversation": "conversations",
    "outcome": "desired outcomes",
}
VALUE_SHOWN = 80  # characters of a bad value printed beside its problem


class Command(BaseCommand):
    help = "Import people, concerns, enquiries, conversations and outcomes from an earlier system's extract."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The extract: CSV with a header row, or JSON lines")
        parser.add_argument(
            "--source", required=True, help="The earlier system's name, such as Mosaic or LAS"
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            required=True,
            help="The email of the unit lead the records are imported by",
        )
        parser.add_argument("--format", choices=[CSV, JSONL], help="Default: from the file's name")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; change nothing"
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows applied all or nothing together"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        source = " ".join(options["source"].split())
        if not source or len(source) > 50:
            raise CommandError("Give the earlier system's name in --source, in at most 50 characters.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        user = User.objects.staff().filter(email__iexact=options["as_email"]).first()
        if user is None or not user.has_perm(VIEW_RESTRICTED):
            raise CommandError(
                "--as must be the email of an active unit lead: the import writes every team's records."
            )
        path = options["file"]
        file_format = format_of(path, options["format"])
        show = not options["no_progress"] and options["verbosity"] > 0 and sys.stderr.isatty()
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                total = sum(1 for _ in handle) if show else None
                handle.seek(0)
                with tqdm(total=total, unit=" lines", disable=not show, file=sys.stderr) as bar:
                    run = ImportRun(
                        actor=Actor.of(user),
                        source=source,
                        batch_size=options["batch_size"],
                        dry_run=options["dry_run"],
                        report=self._report,
                        progress=bar.update,
                    )
                    summary = run.run(read_rows(handle, file_format))
        except OSError as error:
            raise CommandError(f"The file cannot be opened: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError("The file is not UTF-8 text: save it as UTF-8 and import it again.") from None
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        self._summary(summary, dry_run=options["dry_run"])
        logger.info(
            "import_cases finished",
            extra={
                "source": source,
                "rows": summary.rows,
                "refused_batches": len(summary.refused),
                "dry_run": options["dry_run"],
            },
        )
        if summary.refused:
            raise CommandError(
                f"{len(summary.refused)} of {summary.batches} batches had problems and "
                + (
                    "would not be imported."
                    if options["dry_run"]
                    else "were not imported: correct them and run again."
                )
            )

    def _report(self, problem: Problem) -> None:
        column = f", column {problem.column}" if problem.column else ""
        value = problem.value if len(problem.value) <= VALUE_SHOWN else problem.value[:VALUE_SHOWN] + "…"
        shown = f" (value: {value!r})" if problem.value else ""
        self.stdout.write(f"Line {problem.line}{column}: {problem.message}{shown}")

    def _summary(self, summary: Summary, *, dry_run: bool) -> None:
        verb = "Would be" if dry_run else ""
        created, updated, unchanged = (
            sum(c.values()) for c in (summary.created, summary.updated, summary.unchanged)
        )
        lead = "Dry run, nothing was changed. " if dry_run else ""
        self.stdout.write(
            f"{lead}{summary.rows} rows in {summary.batches} batches: "
            f"{created} created, {updated} updated, {unchanged} unchanged"
            + (f", {len(summary.refused)} batches refused" if summary.refused else "")
            + (" (if the file were imported)" if dry_run and verb else "")
        )
        for kind in KINDS:
            counts = (summary.created[kind], summary.updated[kind], summary.unchanged[kind])
            if any(counts):
                self.stdout.write(
                    f"  {PLURALS[kind]}: {counts[0]} created, {counts[1]} updated, {counts[2]} unchanged"
                )
        for first, last, problems in summary.refused:
            self.stdout.write(f"  Lines {first} to {last}: refused, {problems} problems (listed above)")
