"""The settings docs/access.md says an administrator changes in the admin: the drift policies and the beat
schedule (periodic tasks). The demo administrator can open and change them; case staff cannot."""

import re

import pytest
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from enquiries.models.drift import DriftPolicy, DriftRule

pytestmark = pytest.mark.django_db


def hidden_inputs(html: str) -> dict[str, str]:
    """What a change form posts back unchanged (the inline management form and ids)."""
    fields = {}
    for tag in re.findall(r'<input type="hidden"[^>]*>', html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrfmiddlewaretoken":
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


@pytest.fixture
def admin_client(world, client_for):
    return client_for(world.users["admin"])


def test_the_administrator_changes_a_drift_policy(admin_client):
    policy = DriftPolicy.objects.get(rule=DriftRule.NEXT_CONTACT)
    page = admin_client.get(reverse("admin:enquiries_driftpolicy_changelist"))
    assert page.status_code == 200
    assert "Agreed next contact with the person has passed" in page.content.decode()
    assert "Drift policies" in admin_client.get(reverse("admin:index")).content.decode()

    response = admin_client.post(
        reverse("admin:enquiries_driftpolicy_change", args=[policy.pk]),
        {"enabled": "on", "days": "4", "escalate_after_days": "3"},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.days, policy.escalate_after_days) == (4, 3)
    # Still fixed: the scan knows only the six rules.
    assert admin_client.get(reverse("admin:enquiries_driftpolicy_add")).status_code == 403


def test_the_administrator_changes_the_schedule_of_background_tasks(admin_client):
    scan = PeriodicTask.objects.get(task="enquiries.scan_drift")
    page = admin_client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert page.status_code == 200
    assert "Anti-drift scan" in page.content.decode()
    assert (
        admin_client.get(reverse("admin:django_celery_beat_periodictask_change", args=[scan.pk])).status_code
        == 200
    )

    # Every 15 minutes becomes every 20.
    interval = scan.interval
    url = reverse("admin:django_celery_beat_intervalschedule_change", args=[interval.pk])
    form = hidden_inputs(admin_client.get(url).content.decode())
    response = admin_client.post(url, {**form, "every": "20", "period": "minutes"})
    assert response.status_code == 302
    assert IntervalSchedule.objects.get(pk=interval.pk).every == 20

    # Switch a task off, and add a schedule.
    response = admin_client.post(
        reverse("admin:django_celery_beat_periodictask_changelist"),
        {"action": "disable_tasks", "_selected_action": [scan.pk]},
    )
    assert response.status_code == 302
    assert not PeriodicTask.objects.get(pk=scan.pk).enabled
    assert admin_client.get(reverse("admin:django_celery_beat_crontabschedule_add")).status_code == 200
    assert admin_client.get(reverse("admin:django_celery_beat_intervalschedule_add")).status_code == 200


@pytest.mark.parametrize("who", ["practitioner_north", "manager_north", "unit_lead"])
def test_case_staff_cannot_change_drift_policies_or_the_schedule(world, client_for, who):
    client = client_for(world.users[who])
    policy = DriftPolicy.objects.get(rule=DriftRule.NEXT_CONTACT)
    before = (policy.days, policy.escalate_after_days)
    response = client.post(
        reverse("admin:enquiries_driftpolicy_change", args=[policy.pk]),
        {"enabled": "on", "days": "40", "escalate_after_days": "30"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    policy.refresh_from_db()
    assert (policy.days, policy.escalate_after_days) == before
    assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 302


def test_staff_status_alone_does_not_open_them(world, client_for):
    """A practitioner who was let into the admin by mistake still needs the Administrator role."""
    practitioner = world.users["practitioner_north"]
    practitioner.is_staff = True
    practitioner.save()
    client = client_for(practitioner)
    assert client.get(reverse("admin:enquiries_driftpolicy_changelist")).status_code == 403
    assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 403
