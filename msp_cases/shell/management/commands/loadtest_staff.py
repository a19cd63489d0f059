"""Print, as JSON, the staff the locust scenario (loadtest/locustfile.py) signs in as:

    python manage.py loadtest_staff [--practitioners 30] > /tmp/staff.json

the practitioners leading the most open enquiries, the managers of their teams and the unit staff of the
database DATABASE_URL names (the synthetic data's staff, who share `generate_synthetic --staff-password`)."""

import json

from django.core.management.base import BaseCommand, CommandError

from msp_cases.shell.benchmark.pages import NoData, loadtest_staff


class Command(BaseCommand):
    help = "Print the staff loadtest/locustfile.py signs in as, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--practitioners", type=int, default=30)

    def handle(self, *args, practitioners, **options):
        try:
            staff = loadtest_staff(practitioners=practitioners)
        except NoData as e:
            raise CommandError(str(e)) from e
        self.stdout.write(json.dumps(staff, indent=2))
