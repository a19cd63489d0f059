"""`make run` as a newcomer sees it: the server's start-up lines end with where the demo's emails go and the
demo logins; the emails are files under var/mail/, not lines among the server's; their links lead to the port
served."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

from msp_cases.accounts.demo import DEMO_USERS
from msp_cases.shell.management.commands.serve_demo import Command

ROOT = Path(__file__).resolve().parent.parent


def test_the_server_start_up_ends_with_where_emails_go_and_the_demo_logins(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(settings.BASE_DIR / "var" / "mail")
    out = StringIO()
    command = Command(stdout=out)
    command.addr, command.port, command._raw_ipv6, command.protocol = "127.0.0.1", "8123", False, "http"
    command.on_bind(8123)
    lines = out.getvalue().rstrip("\n").splitlines()
    assert "Starting development server at http://127.0.0.1:8123/" in lines
    logins = lines[-len(DEMO_USERS) :]
    assert [line.split()[0] for line in logins] == [user.email for user in DEMO_USERS]
    assert lines[-len(DEMO_USERS) - 1] == f"Demo logins, all with the password {settings.DEMO_PASSWORD!r}:"
    assert lines[-len(DEMO_USERS) - 2] == "Emails are not sent: each one is written to a file in var/mail/"


def test_development_settings_write_emails_to_files_under_var_mail():
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "CELERY_BROKER_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "msp_cases.settings.dev"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH); "
        "from msp_cases.celery import ping; assert ping.delay().get() == 'pong'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    backend, path = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert Path(path) == ROOT / "var" / "mail"
    # Nothing on the console: no broker warning from an eager task's producer, no task's "succeeded" line.
    assert result.stderr == ""
    assert "var/" in (ROOT / ".gitignore").read_text().split()


def test_make_run_gives_the_emails_links_to_the_port_it_serves():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: export SITE_URL \?= http://.*\$\(PORT\)$", makefile, flags=re.M)
    recipe = makefile.split("\nrun: install assets\n", 1)[1].split("\n\n", 1)[0]
    assert recipe.strip().splitlines()[-1].strip() == "@$(PY) manage.py serve_demo $(HOST):$(PORT)"
