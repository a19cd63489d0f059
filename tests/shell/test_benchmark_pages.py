"""benchmark_pages end to end on the suite's PostgreSQL database: gunicorn with the production settings,
sign-in through the sign-in page as the practitioner, the manager and unit staff of a small synthetic data
set, locust load for a second per page, and one JSON line per page with no failed request.

The server is another process with its own connection, so the data is committed (a transactional test; the
migrations' data is restored afterwards). Locally it skips without DATABASE_URL at PostgreSQL; CI has one."""

import json
import os
from io import StringIO

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from msp_cases.accounts import roles
from msp_cases.accounts.models import User
from msp_cases.shell.benchmark.pages import SYNTHETIC_UNIT_EMAIL
from msp_cases.shell.synthetic import generate_synthetic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "benchmark-staff-password-1"
EXPECTED = [
    ("floor", "practitioner"),
    ("caseload", "practitioner"),
    ("timeline", "practitioner"),
    ("person_search", "practitioner"),
    ("person_search", "unit"),
    ("team_dashboard", "manager"),
    ("team_dashboard", "unit"),
    ("sign_off_queue", "manager"),
    ("sign_off_queue", "unit"),
    ("notifications", "practitioner"),
    ("sac_return", "manager"),
    ("sac_return", "unit"),
    ("msp_measures", "manager"),
    ("msp_measures", "unit"),
]


@pytest.fixture
def staff_who_can_sign_in():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the suite on PostgreSQL")
        pytest.skip("the benchmark's server is another process: run with DATABASE_URL at PostgreSQL")
    generate_synthetic(concerns=150, seed=3, teams=2, open_enquiries=40)
    if not User.objects.filter(email=SYNTHETIC_UNIT_EMAIL).exists():
        unit = User.objects.create(email=SYNTHETIC_UNIT_EMAIL, full_name="Synthetic Unit")
        unit.groups.add(Group.objects.get(name=roles.SAFEGUARDING_UNIT))
    # A hash the server's production settings accept (the suite's own hasher is MD5, which they refuse),
    # made cheap with few iterations; the server upgrades it at sign-in as it would an old hash.
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, "benchmarksalt", iterations=1000)
    User.objects.filter(email__startswith="synthetic.").update(password=hashed)


def test_every_page_is_measured_through_gunicorn_and_printed_as_one_json_line(staff_who_can_sign_in):
    out = StringIO()
    call_command(
        "benchmark_pages",
        "--seconds",
        "1",
        "--password",
        PASSWORD,
        "--report-only",
        stdout=out,
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]

    assert [(line["page"], line["role"]) for line in lines] == EXPECTED
    floor_p95 = lines[0]["p95_ms"]
    for line in lines:
        where = f"{line['page']} as {line['role']}"
        assert line["errors"] == 0, where
        assert line["requests"] >= 1, where
        assert 0 < line["p50_ms"] <= line["p95_ms"] <= line["p99_ms"], where
        assert line["floor_p95_ms"] == floor_p95, where
        assert line["ratio"] == round(line["p95_ms"] / floor_p95, 1), where
        assert line["queries"] > 0, where
        assert line["ok"] == (line["p95_ms"] <= line["budget_ms"] and line["ratio"] <= 40), where
    budgets = {line["page"]: line["budget_ms"] for line in lines}
    assert budgets["person_search"] == budgets["timeline"] == 200
    assert budgets["caseload"] == budgets["sac_return"] == 150
