"""Print a blank easy-read My Safeguarding Experience form: `manage.py blank_form_pdf part1 FILE`."""

from django.conf import settings
from django.core.management.base import BaseCommand

from feedback.views import blank_form_html
from msp_cases.core.pdf import html_to_pdf


class Command(BaseCommand):
    help = "Write a blank easy-read My Safeguarding Experience Part 1 or Part 2 form as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("part", choices=["part1", "part2"])
        parser.add_argument("file")

    def handle(self, *args, part, file, **options):
        pdf = html_to_pdf(blank_form_html(part), base_url=str(settings.BASE_DIR))
        with open(file, "wb") as out:
            out.write(pdf)
        self.stdout.write(f"Wrote {file}")
