"""Choosing how to be emailed: immediately, a daily digest, or not at all."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from msp_cases.notifications.models import EmailFrequency, Notification, NotificationPreference

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")


def _checked(content: str) -> str:
    """The value of the radio that is selected when the page opens."""
    return re.search(r'value="([a-z]+)"\s*checked', content).group(1)


def test_the_page_shows_the_current_choice_as_gov_uk_radios(world, client_for):
    content = client_for(world.users["practitioner_north"]).get(URL).content.decode()

    assert "How do you want to be emailed about notifications?" in content
    assert 'class="govuk-radios' in content
    assert content.count('type="radio"') == 3
    assert _checked(content) == EmailFrequency.IMMEDIATE  # no choice saved yet: an email for each


def test_nothing_chosen_shows_the_error_summary(world, client_for):
    response = client_for(world.users["practitioner_north"]).post(URL, {})

    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert "Select how you want to be emailed about notifications" in content
    assert "<title>Error: " in content
    assert not NotificationPreference.objects.exists()


def test_choosing_the_daily_digest_saves_it_and_moves_waiting_emails_into_it(
    world, client_for, raise_notification
):
    me = world.users["practitioner_north"]
    waiting = raise_notification(user=me, enquiry=world.cases["north"][2])
    assert waiting.email_state == Notification.EmailState.PENDING

    response = client_for(me).post(URL, {"email_frequency": EmailFrequency.DAILY}, follow=True)

    assert "Your email preference has been saved" in response.content.decode()
    assert NotificationPreference.objects.get(user=me).email_frequency == EmailFrequency.DAILY
    waiting.refresh_from_db()
    assert waiting.email_state == Notification.EmailState.DIGEST
    # and the page now shows that choice
    assert _checked(client_for(me).get(URL).content.decode()) == EmailFrequency.DAILY


def test_turning_emails_off_means_waiting_ones_never_go(world, client_for, raise_notification):
    me = world.users["practitioner_north"]
    waiting = raise_notification(user=me, enquiry=world.cases["north"][2])

    client_for(me).post(URL, {"email_frequency": EmailFrequency.NONE})

    from msp_cases.notifications.tasks import send_daily_digests, send_pending_emails

    send_pending_emails.delay()
    send_daily_digests.delay()
    assert mail.outbox == []
    waiting.refresh_from_db()
    assert waiting.email_state == Notification.EmailState.SKIPPED


def test_an_unknown_choice_is_refused(world, client_for):
    response = client_for(world.users["practitioner_north"]).post(URL, {"email_frequency": "hourly"})
    assert "Select how you want to be emailed about notifications" in response.content.decode()
    assert not NotificationPreference.objects.exists()
