"""`manage.py scan_drift` and the beat task: one JSON line, nothing new the second time (demo data too)."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.models.drift import DriftRule, Reminder
from enquiries.tasks import scan_drift
from msp_cases.notifications.models import Notification

pytestmark = pytest.mark.django_db


def run_command(capsys) -> dict:
    call_command("scan_drift")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1  # exactly one JSON line
    return json.loads(lines[0])


def test_the_command_prints_one_json_line_and_creates_nothing_the_second_time(world, capsys):
    north = world.cases["north"][2]
    Enquiry.objects.filter(pk=north.pk).update(
        next_contact_on=timezone.localdate() - datetime.timedelta(days=5)
    )
    assert run_command(capsys) == {"created": 1, "escalated": 0, "resolved": 0}
    assert run_command(capsys) == {"created": 0, "escalated": 0, "resolved": 0}
    assert Reminder.objects.filter(rule=DriftRule.NEXT_CONTACT).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # emails go after the scan's commit
def test_emails_printed_by_the_development_backend_stay_off_the_json_line(world, capsys, settings):
    # make run: no broker, console email backend; the reminder's email is sent while the command runs.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    north = world.cases["north"][2]
    Enquiry.objects.filter(pk=north.pk).update(
        next_contact_on=timezone.localdate() - datetime.timedelta(days=5)
    )
    call_command("scan_drift")
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"created": 1, "escalated": 0, "resolved": 0}
    assert "Subject: MSP Cases" in captured.err


def test_scan_drift_is_idempotent_on_the_demo_data(capsys):
    call_command("seed_demo")
    capsys.readouterr()
    first = run_command(capsys)
    # The demo has drifting cases: a missed agreed contact, overdue plan actions, a month with no review.
    assert first["created"] >= 3
    rules = set(Reminder.objects.values_list("rule", flat=True))
    assert {DriftRule.NEXT_CONTACT, DriftRule.PLAN_ACTION, DriftRule.MANAGER_REVIEW} <= rules
    notifications = Notification.objects.count()
    assert notifications >= first["created"]
    assert run_command(capsys) == {"created": 0, "escalated": 0, "resolved": 0}
    assert Notification.objects.count() == notifications


def test_the_beat_task_runs_the_scan_and_owns_its_retry_policy(world):
    from django.db import OperationalError

    north = world.cases["north"][2]
    Enquiry.objects.filter(pk=north.pk).update(
        next_contact_on=timezone.localdate() - datetime.timedelta(days=5)
    )
    assert scan_drift.name == "enquiries.scan_drift"
    assert scan_drift.apply().get() == {"created": 1, "escalated": 0, "resolved": 0}
    assert scan_drift.acks_late is True
    assert OperationalError in scan_drift.autoretry_for
    assert scan_drift.time_limit and scan_drift.soft_time_limit
