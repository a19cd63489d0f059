"""Notifications as the drift scan and exports raise them: through `notify`, about a real reminder."""

import datetime

import pytest
from django.utils import timezone

from enquiries.models import DriftRule, Reminder
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify


@pytest.fixture
def raise_notification():
    """Raise one notification for `user` (about a new reminder on `enquiry` unless `reminder=False`) through
    the service other apps call, and return it."""
    counter = iter(range(1, 10_000))

    def _raise(
        *,
        user,
        enquiry=None,
        kind=Notification.Kind.REMINDER,
        message=None,
        url=None,
        reminder=True,
        rule=DriftRule.PLAN_ACTION,
    ):
        n = next(counter)
        reminder_row = None
        if reminder and enquiry is not None:
            reminder_row = Reminder.objects.create(
                rule=rule,
                object_id=enquiry.pk,
                due_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                enquiry=enquiry,
                team=enquiry.team,
                recipient=user,
                created_at=timezone.now(),
            )
        notify(
            specs=[
                NotificationSpec(
                    user_id=user.pk,
                    kind=kind,
                    message=message or DriftRule(rule).label,
                    url=url or (enquiry.get_absolute_url() if enquiry else "/"),
                    reminder_id=reminder_row.pk if reminder_row else None,
                )
            ]
        )
        return Notification.objects.filter(user=user).order_by("-pk").first()

    return _raise
