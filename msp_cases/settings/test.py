"""pytest: SQLite in memory unless DATABASE_URL points at PostgreSQL (CI does)."""

import os
import tempfile

os.environ["DJANGO_READ_DOT_ENV"] = "false"  # before base reads it: a developer's .env never reaches tests
# Exports and documents go to throwaway directories, set in the environment so a Celery worker started by a
# test shares them. One pair per pytest-xdist worker (workers inherit the first process's environment): a test
# that counts the files stored, to prove a refused upload stored none, must not see another worker's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
if os.environ.get("MSP_TEST_FILES_OF") != _worker:
    os.environ["MSP_TEST_FILES_OF"] = _worker
    os.environ["EXPORTS_ROOT"] = tempfile.mkdtemp(prefix=f"msp-exports-{_worker}-")
    os.environ["DOCUMENTS_ROOT"] = tempfile.mkdtemp(prefix=f"msp-documents-{_worker}-")

from .base import *  # noqa: F403, E402 (after the environment above, which base reads)
from .base import DATABASES, env  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
DEMO_MODE = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)  # a worker started by an integration test writes here
# Tasks run in the calling process, even when CI sets CELERY_BROKER_URL: the integration tests
# (tests/integration) turn this off and use a real worker through Redis; a worker they start sets it false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
if not env("DATABASE_URL", default=""):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # pytest-django's per-worker databases: no pool
# The read replica. A developer's REPORTS_DATABASE_URL never reaches the suite. With TEST_REPORTS_DATABASE_URL
# (CI sets it) the "reports" alias is a second, separate PostgreSQL database, so tests/test_replica.py can
# show that report figures are read there and nowhere else. Every other test counts reports on "default"
# (REPORTS_DATABASE), where its data is; the replica test switches it to "reports".
DATABASES.pop("reports", None)
if env("TEST_REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = {**env.db("TEST_REPORTS_DATABASE_URL"), "CONN_MAX_AGE": 0}
REPORTS_DATABASE = "default"
# In memory, whatever CACHE_URL a developer has set: tests/conftest.py empties it before each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Lockouts are tested on purpose; keep them per test.
AXES_FAILURE_LIMIT = 3
# Each two-factor test turns it on for itself (the `settings` fixture); every other test signs in as before.
MSP_REQUIRE_2FA = False
# Webhooks to a receiver the test runs on 127.0.0.1 (tests/partners).
WEBHOOK_HTTP_LOOPBACK = True

# Serve static files straight from static/ through WhiteNoise's finders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Test hook: export_render sleeps this long after claiming the row, so an integration test can kill the
# worker while an export is being prepared. 0 (the default, and always outside tests) means no sleep.
EXPORTS_TEST_RENDER_DELAY_SECONDS = env.float("EXPORTS_TEST_RENDER_DELAY_SECONDS", default=0)
