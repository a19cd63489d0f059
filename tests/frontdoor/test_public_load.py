"""The public form under load, through gunicorn as production serves it: reports at a steady rate from many
addresses all become referrals (none lost, none twice, no server error); one address past the rate limits
gets the 429 page and nothing more is written; past the cap the form says to phone and the front door is
alerted once. And the check behind "none lost", on referrals a reader can count.

The load test's server is another process with its own connection, so its data is committed (a transactional
test; the migrations' data is restored afterwards). It needs PostgreSQL and a Redis for the rate limits'
shared counts: locally it skips without them; CI has both."""

import json
import os
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from msp_cases.accounts import roles
from msp_cases.frontdoor.models import Referral, ReferralDraft
from msp_cases.frontdoor.selectors.load_check import references_check
from msp_cases.notifications.models import Notification
from tests.factories import UserFactory


def _redis_url() -> str:
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        if os.environ.get(name, "").startswith("redis://"):
            return os.environ[name]
    return ""


@pytest.fixture
def postgres_and_redis():
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL at PostgreSQL")
    if not _redis_url():
        missing.append("CACHE_URL or CELERY_BROKER_URL at Redis")
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs this with " + " and ".join(missing))
        pytest.skip("the load test's server is another process: needs " + " and ".join(missing))
    return _redis_url()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
# Small limits keep the flood short; counted by the day, so the counting window (fixed, ending at a moment
# of its own) all but never turns over during the flood's few seconds.
@override_settings(FRONT_DOOR_RATE_SUBMIT="3/d", FRONT_DOOR_RATE_PAGES="120/d")
def test_reports_at_a_steady_rate_are_all_kept_and_a_flood_is_refused_cleanly(postgres_and_redis):
    screener = UserFactory(role=roles.SAFEGUARDING_UNIT, email="door@example.org")
    screener.user_permissions.add(Permission.objects.get(codename="screen_referral"))
    out = StringIO()
    call_command(
        "benchmark_report_a_concern",
        "--per-minute",
        "60",
        "--minutes",
        "0.5",
        "--workers",
        "2",
        "--cache-url",
        postgres_and_redis,
        "--report-only",  # the p95 of a contended CI runner is not the product's figure
        stdout=out,
    )
    result = json.loads(out.getvalue())

    # 30 reports in half a minute, each from its own address: every one shown a reference that is a referral.
    assert (result["reports"], result["accepted"]) == (30, 30)
    assert (result["lost"], result["duplicates"], result["unshown"], result["errors"]) == (0, 0, 0, 0)
    assert "5xx" not in result["statuses"] and "4xx" not in result["statuses"]
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]

    # One address sending a fourth, fifth and sixth report: the 429 page, with its message, and no row.
    flood = result["flood"]
    assert (flood["submit_accepted"], flood["submit_refused_429"], flood["submit_unclear"]) == (3, 3, 0)
    assert (flood["written"], flood["drafts_written"]) == (3, 0)
    # Answers past 120 in the day: refused with the same page, and the answer given before is the one kept.
    assert (flood["pages_accepted"], flood["pages_unclear"]) == (120, 0) and flood["pages_refused_429"] > 0
    assert flood["answer_kept"] == "no"

    # Two referrals from the cap: two people sent, two were asked to phone, the screener was told once.
    cap = result["cap"]
    assert (cap["sent"], cap["told_to_phone"], cap["written"]) == (2, 2, 2) and cap["start_says_phone"]
    assert Notification.objects.filter(kind=Notification.Kind.FRONT_DOOR_ALERT, user=screener).count() == 1
    assert result["ok"] or result["p95_ms"] > result["budget_ms"]

    assert Referral.objects.count() == 30 + 3 + 2
    assert not ReferralDraft.objects.exists()


def _referral(reference: str, words: str) -> Referral:
    return Referral.objects.create(
        reference=reference,
        submitted_at=timezone.now(),
        referrer_type=Referral.ReferrerType.PUBLIC,
        what_happened=words,
        adult_knows="no",
        safe_to_contact="no",
    )


@pytest.mark.django_db
def test_the_check_finds_a_reference_lost_a_report_made_twice_and_one_never_shown():
    _referral("AAAA2222", "Her carer takes money. [load test 1a2b report 0]")
    _referral("BBBB3333", "Her carer takes money. [load test 1a2b report 1]")
    _referral("CCCC4444", "Her carer takes money. [load test 1a2b report 1]")  # report 1 again
    _referral("DDDD5555", "Her carer takes money. [load test 1a2b report 2]")  # never shown
    _referral("EEEE6666", "Another run. [load test 9f9f report 3]")  # another run: not counted
    shown = {
        "AAAA2222": "[load test 1a2b report 0]",
        "BBBB3333": "[load test 1a2b report 1]",
        "CCCC4444": "[load test 1a2b report 1]",
        "FFFF7777": "[load test 1a2b report 4]",  # shown, but no such referral
    }
    check = references_check(shown=shown, run="1a2b")
    assert (check.shown, check.found) == (4, 3)
    assert check.lost == ["FFFF7777"]
    assert check.duplicates == ["[load test 1a2b report 1]"]
    assert check.unshown == ["DDDD5555"]


@pytest.mark.django_db
def test_the_check_command_exits_1_when_a_reference_is_lost(tmp_path):
    _referral("AAAA2222", "Her carer takes money. [load test 1a2b report 0]")
    references = tmp_path / "references.tsv"
    references.write_text("AAAA2222\t[load test 1a2b report 0]\n")
    out = StringIO()
    call_command("frontdoor_check_references", str(references), "--run", "1a2b", stdout=out)
    assert json.loads(out.getvalue())["ok"] is True
    references.write_text("AAAA2222\t[load test 1a2b report 0]\nBBBB3333\t[load test 1a2b report 1]\n")
    with pytest.raises(SystemExit) as exit_:
        call_command("frontdoor_check_references", str(references), "--run", "1a2b", stdout=StringIO())
    assert exit_.value.code == 1
