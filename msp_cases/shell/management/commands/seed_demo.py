from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from msp_cases.shell.demo.logins import demo_login_lines
from msp_cases.shell.demo.seed import demo_seed


class Command(BaseCommand):
    help = "Load the fictional demo teams, accounts and cases (idempotent; demo mode only)."

    def handle(self, *args, **options):
        if not (settings.DEMO_MODE or settings.DEBUG):
            raise CommandError(
                "seed_demo only runs in demo mode (DEMO_MODE=true or DEBUG): it creates known logins."
            )
        result = demo_seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result['people']} people ({result['people_created']} new)."
            )
        )
        for line in demo_login_lines():
            self.stdout.write(line)
