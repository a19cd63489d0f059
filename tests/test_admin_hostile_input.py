"""The background-task schedule's admin answers bad values with the form's errors, never a server error."""

import pytest
from django.test import Client
from django_celery_beat.models import CrontabSchedule

pytestmark = pytest.mark.django_db

CRONTAB_ADD = "/admin/django_celery_beat/crontabschedule/add/"
# The crontab page lists the tasks using it (an inline), so a real browser sends its management form too.
INLINE = {"periodictask_set-TOTAL_FORMS": "0", "periodictask_set-INITIAL_FORMS": "0"}


@pytest.fixture
def admin_client_signed_in(django_user_model):
    user = django_user_model.objects.create_superuser(
        email="root@example.org", password="a-long-password-1", full_name="Root"
    )
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("minute", ["-1", "9" * 30, "\u200b", "61", "*/0"])
def test_a_crontab_minute_celery_cannot_read_is_refused_on_the_form(admin_client_signed_in, minute):
    response = admin_client_signed_in.post(
        CRONTAB_ADD,
        {
            "minute": minute,
            "hour": "*",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            "timezone": "UTC",
            **INLINE,
        },
    )
    assert response.status_code == 200
    assert "Please correct the error" in response.content.decode()
    assert not CrontabSchedule.objects.filter(minute=minute).exists()


def test_a_valid_crontab_is_saved_and_described(admin_client_signed_in):
    data = {"minute": "30", "hour": "7", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
    response = admin_client_signed_in.post(CRONTAB_ADD, {**data, "timezone": "UTC", **INLINE})
    assert response.status_code == 302
    schedule = CrontabSchedule.objects.get(minute="30", hour="7")
    page = admin_client_signed_in.get(f"/admin/django_celery_beat/crontabschedule/{schedule.pk}/change/")
    assert "At 07:30" in page.content.decode()
