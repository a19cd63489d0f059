"""`make run`'s server: Django's development server, exactly as `runserver` (WhiteNoise serving the static
files), whose start-up lines end with where the demo's emails go and the demo logins, so that those are the
last thing on screen once the server listens (and again after each reload on a code change)."""

from pathlib import Path

from django.conf import settings
from whitenoise.runserver_nostatic.management.commands.runserver import Command as RunserverCommand

from msp_cases.shell.demo.logins import demo_login_lines

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def where_emails_go() -> str:
    """One line: where an email the demo sends ends up (settings/dev.py: files in var/mail/)."""
    if settings.EMAIL_BACKEND == FILE_BACKEND:
        folder = Path(settings.EMAIL_FILE_PATH).resolve()
        if folder.is_relative_to(settings.BASE_DIR):
            folder = folder.relative_to(settings.BASE_DIR)
        return f"Emails are not sent: each one is written to a file in {folder}/"
    if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
        return "Emails are not sent: each one is printed here"
    return "Emails are sent through EMAIL_URL"


class Command(RunserverCommand):
    help = "Serve the demo as runserver does, ending the start-up lines with the demo logins."

    def on_bind(self, server_port):
        super().on_bind(server_port)
        for line in [where_emails_go(), *demo_login_lines()]:
            self.stdout.write(line)
