"""How the app holds its database connections, as the environment asks (docs/deployment.md "Database
connections"): a persistent, health-checked connection per process by default, or Django's psycopg pool.
Each case loads the settings in a fresh interpreter, since they read the environment at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
    answer = cursor.fetchone()[0]
default = settings.DATABASES["default"]
print(json.dumps({
    "conn_max_age": default["CONN_MAX_AGE"],
    "health_checks": default["CONN_HEALTH_CHECKS"],
    "pool": default.get("OPTIONS", {}).get("pool"),
    "pooled": connection.pool is not None if connection.vendor == "postgresql" else False,
    "answer": answer,
}))
"""


def _settings_with(**env: str) -> dict:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.dev",
        "DJANGO_READ_DOT_ENV": "false",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must set DATABASE_URL to PostgreSQL")
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
    return url


def test_by_default_each_process_keeps_one_checked_connection(postgres_url):
    held = _settings_with(DATABASE_URL=postgres_url)
    assert held["conn_max_age"] == 60 and held["health_checks"] is True
    assert held["pool"] is None and held["pooled"] is False
    assert held["answer"] == 1


def test_a_pool_size_turns_on_djangos_pool_and_turns_persistence_off(postgres_url):
    held = _settings_with(DATABASE_URL=postgres_url, DATABASE_POOL_MAX_SIZE="4", DATABASE_POOL_TIMEOUT="5")
    # Django refuses a pool with CONN_MAX_AGE: the setting that asks for one turns the other off.
    assert held["conn_max_age"] == 0
    assert held["pool"] == {"min_size": 1, "max_size": 4, "timeout": 5.0}
    assert held["pooled"] is True  # the query above went through psycopg_pool
    assert held["answer"] == 1


def test_sqlite_ignores_the_pool_setting():
    held = _settings_with(DATABASE_URL="sqlite:///:memory:", DATABASE_POOL_MAX_SIZE="4")
    assert held["pool"] is None and held["answer"] == 1
