"""The test settings with report figures kept in Redis, for a Celery worker that shares them with the test
process (tests/reports/test_recount_worker.py): tests otherwise keep them in each process's memory."""

from msp_cases.settings.test import *  # noqa: F403
from msp_cases.settings.test import env

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("TEST_REPORT_CACHE_URL"),
        "KEY_PREFIX": env("TEST_REPORT_CACHE_PREFIX"),
    }
}
