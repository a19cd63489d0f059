import json

from django.core.management.base import BaseCommand

from enquiries.services.drift import drift_scan


class Command(BaseCommand):
    help = (
        "Run the anti-drift scan now, in this process (the beat task 'enquiries.scan_drift' runs it every "
        'quarter of an hour). Prints one JSON line: {"created": N, "escalated": M, "resolved": K}.'
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(drift_scan()))
