"""Unit-wide lists come a page at a time: over every team the open enquiries run to tens of thousands and the
sign-off queue to thousands, so the team dashboard and the sign-off queue show them with the GOV.UK pagination
component, in the same order across pages, and the dashboard still counts the whole queue."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.selectors import dashboard as selectors
from enquiries.views import dashboard as views
from msp_cases.accounts import roles
from tests.factories import EnquiryFactory, PersonFactory, TeamFactory, UserFactory

from .factories_enquiry import set_status

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("enquiries:team_dashboard")
QUEUE = reverse("enquiries:sign_off_queue")


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def team_of_five(db):
    """Five open enquiries, opened 10 to 50 days ago (none spoken with yet), each proposed for closure as
    many days ago as it was opened, less five."""
    team = TeamFactory(name="Paged Team")
    manager = UserFactory(role=roles.MANAGER, teams=[team])
    lead = UserFactory(role=roles.PRACTITIONER, teams=[team])
    for n in range(1, 6):
        enquiry = EnquiryFactory(
            team=team,
            lead_practitioner=lead,
            opened_at=ago(10 * n),
            person=PersonFactory(family_name=f"Paged{n}", is_restricted=False),
        )
        set_status(enquiry, Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=ago(10 * n - 5))
    return manager


def _names(html: str) -> list[str]:
    """The people named, in order, each once (a row names its person again in hidden link text)."""
    return list(dict.fromkeys(re.findall(r"Paged\d", html)))


def test_the_sign_off_queue_pages_oldest_proposal_first(team_of_five, client_for, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    client = client_for(team_of_five)
    first = client.get(QUEUE).content.decode()
    assert _names(first) == ["Paged5", "Paged4"]
    assert "1 to 2 of 5 enquiries proposed for closure" in first
    assert 'class="govuk-pagination"' in first and "page=2" in first
    last = client.get(QUEUE + "?page=3").content.decode()
    assert _names(last) == ["Paged1"]
    assert "5 to 5 of 5" in last


def test_the_dashboard_pages_its_open_enquiries_and_counts_the_whole_queue(
    team_of_five, client_for, monkeypatch
):
    monkeypatch.setattr(selectors, "LIST_LIMIT", 2)
    client = client_for(team_of_five)
    first = client.get(DASHBOARD).content.decode()
    listed = first.split('id="open-enquiries"')[1]
    assert _names(listed) == ["Paged5", "Paged4"]  # longest without a conversation first
    assert "Open enquiries 1 to 2 of 5" in listed
    assert re.search(r'id="figure-sign-off">5<', first)  # the preview shows a few; the figure counts all
    second = client.get(DASHBOARD + "?page=2").content.decode().split('id="open-enquiries"')[1]
    assert _names(second) == ["Paged3", "Paged2"]
