"""python manage.py import_example_file OUT [--people 100000] [--cases] [--format csv|jsonl]

Writes a fictional extract in the import's format (msp_cases.imports.example): the examples in docs/examples/
and the file the import is timed with (docs/import.md)."""

from django.core.management.base import BaseCommand, CommandError

from msp_cases.imports.example import write_example
from msp_cases.imports.reading import CSV, JSONL, format_of


class Command(BaseCommand):
    help = "Write a fictional extract for import_cases: people, each with a concern."

    def add_arguments(self, parser):
        parser.add_argument("out", help="The file to write")
        parser.add_argument("--people", type=int, default=10)
        parser.add_argument(
            "--cases",
            action="store_true",
            help="Decide some concerns: a tenth open a closed enquiry, with a conversation and an outcome",
        )
        parser.add_argument(
            "--team",
            action="append",
            dest="teams",
            help="A team's name (again for more); default the demo's two",
        )
        parser.add_argument("--format", choices=[CSV, JSONL], help="Default: from the file's name")
        parser.add_argument(
            "--prefix", default="", help="Put in every local identifier, so two files' people never share one"
        )

    def handle(self, *args, **options):
        if options["people"] < 1:
            raise CommandError("--people must be 1 or more.")
        teams = options["teams"] or ["North Locality", "South Locality"]
        file_format = format_of(options["out"], options["format"])
        with open(options["out"], "w", encoding="utf-8", newline="") as handle:
            rows = write_example(
                handle,
                file_format=file_format,
                people=options["people"],
                teams=teams,
                cases=options["cases"],
                prefix=options["prefix"],
            )
        self.stdout.write(f"Wrote {rows} rows to {options['out']}")
