"""The admin: drift policies can be changed but not added or deleted; reminders are read-only."""

import pytest
from django.urls import reverse

from enquiries.models.drift import DriftPolicy, DriftRule, Reminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_a_policy_can_be_changed_but_not_added_or_deleted(admin_client):
    policy = DriftPolicy.objects.get(rule=DriftRule.NEXT_CONTACT)
    page = admin_client.get(reverse("admin:enquiries_driftpolicy_changelist")).content.decode()
    assert "Agreed next contact with the person has passed" in page
    assert admin_client.get(reverse("admin:enquiries_driftpolicy_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:enquiries_driftpolicy_delete", args=[policy.pk])).status_code == 403
    )
    response = admin_client.post(
        reverse("admin:enquiries_driftpolicy_change", args=[policy.pk]),
        {"enabled": "on", "days": "4", "escalate_after_days": "3"},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.days, policy.escalate_after_days) == (4, 3)
    assert DriftPolicy.objects.count() == len(DriftRule.choices)  # one per rule, warnings' review included


def test_reminders_are_listed_read_only(admin_client, world):
    from django.utils import timezone

    enquiry = world.cases["north"][2]
    reminder = Reminder.objects.create(
        rule=DriftRule.PLAN_ACTION, object_id=1, due_on=timezone.localdate(), enquiry=enquiry,
        team=enquiry.team, created_at=timezone.now(),
    )  # fmt: skip
    page = admin_client.get(reverse("admin:enquiries_reminder_changelist")).content.decode()
    assert "Plan action past its due date" in page
    assert "Casename-north" not in page  # ids only, no names
    assert admin_client.get(reverse("admin:enquiries_reminder_add")).status_code == 403
    assert admin_client.get(reverse("admin:enquiries_reminder_delete", args=[reminder.pk])).status_code == 403
    assert (
        admin_client.post(reverse("admin:enquiries_reminder_change", args=[reminder.pk]), {}).status_code
        == 403
    )
