"""Check a load test's references against the database: none lost, none made twice.

    python manage.py frontdoor_check_references /tmp/references.tsv --run 1a2b3c4d

The file is what loadtest/report_a_concern.py writes (LOADTEST_REFERENCES): one `REFERENCE<TAB>MARKER` line
per confirmation page. Prints one JSON line and exits 1 when a reference shown is not a referral with that
report's words, a report became more than one referral, or a referral of the run was never shown."""

import dataclasses
import json

from django.core.management.base import BaseCommand

from msp_cases.frontdoor.selectors.load_check import read_references, references_check


class Command(BaseCommand):
    help = "Check that every reference a load test was shown is one referral in the database."

    def add_arguments(self, parser):
        parser.add_argument("references", help="The references file the load test wrote")
        parser.add_argument("--run", required=True, help="The run (LOADTEST_RUN, in its markers)")

    def handle(self, *args, references, run, **options):
        with open(references) as lines:
            shown = read_references(lines)
        check = references_check(shown=shown, run=run)
        ok = not (check.lost or check.duplicates or check.unshown)
        self.stdout.write(json.dumps({**dataclasses.asdict(check), "ok": ok}))
        if not ok:
            raise SystemExit(1)
