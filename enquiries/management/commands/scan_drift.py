import contextlib
import json
import sys

from django.core.management.base import BaseCommand

from enquiries.services.drift import drift_scan


class Command(BaseCommand):
    help = (
        "Run the anti-drift scan now, in this process (the beat task 'enquiries.scan_drift' runs it every "
        'quarter of an hour). Prints one JSON line: {"created": N, "escalated": M, "resolved": K}.'
    )

    def handle(self, *args, **options):
        # Standard output carries the JSON line alone, for scripts. Without a broker the reminders' emails are
        # sent in this process, and the development console backend prints them: to standard error here.
        with contextlib.redirect_stdout(sys.stderr):
            result = drift_scan()
        self.stdout.write(json.dumps(result))
