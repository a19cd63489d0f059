"""Local development and `make run`: SQLite, eager Celery, emails kept as files, demo logins allowed."""

from msp_cases import logs

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_TASK_ALWAYS_EAGER, LOGGING, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")
DEMO_MODE = env.bool("DEMO_MODE", default=True)
# A webhook to a receiver on this machine (http://127.0.0.1:…) while developing.
WEBHOOK_HTTP_LOOPBACK = True
# The demo stays two commands: no authenticator app needed (the sign-in page says so). MSP_REQUIRE_2FA=true
# turns it on to try it.
MSP_REQUIRE_2FA = env.bool("MSP_REQUIRE_2FA", default=False)

# Serve static files straight from static/ through WhiteNoise's finders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Emails the demo sends (reminders, notifications, sign-in links) are written to var/mail/, one .log file
# per email, not printed among the server's lines: `make run`'s output ends with the demo logins. EMAIL_URL
# chooses otherwise (consolemail:// prints them).
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(BASE_DIR / "var" / "mail")

# Without a broker tasks run eagerly, yet Celery still opens a producer to serialise each task's arguments: on
# a broker URL with no host kombu warns "No hostname was supplied" on the console. Eager tasks are never
# published, so an in-memory transport is named instead (its host is ignored).
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost/"

# Lines for people under make run; LOG_FORMAT=json shows what production writes.
LOG_FORMAT = env("LOG_FORMAT", default="console")
LOGGING = {
    **LOGGING,
    "formatters": {"structured": logs.formatter(LOG_FORMAT)},
    "loggers": {
        **LOGGING["loggers"],
        # Django's own console handler (DEBUG only) and ours both printed each of Django's lines, such as
        # "Watching for file changes": once, through ours.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Each eager task's "succeeded" line would come between the server's lines: its warnings and errors
        # still show.
        "celery.app.trace": {"level": "WARNING"},
    },
}
