"""What the person said at the start (My Safeguarding Experience Part 1) is seen where people work: who they
want involved and the communication support they need on the enquiry page, and that support on the person's
record, next to what is recorded on the person, with where it came from. Part 1 never overwrites the
person's record."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, Person
from feedback.models import ExperienceFeedbackPart1

from ..factories import EnquiryFactory
from ..feedback.factories_feedback import Part1Factory

pytestmark = pytest.mark.django_db

COMPLETED = datetime.date(2026, 3, 4)


def _part1(world, case="north", **overrides) -> ExperienceFeedbackPart1:
    enquiry = world.cases[case][2]
    fields = {
        "involvement": ["attend_meetings"],
        "informed_by": ["letter"],
        "who_involved": "My daughter Sam",
        "who_not_told": "My neighbour",
        "communication_support": "Large print, and time to read it before we talk",
        "completed_by": "with_support",
        "completed_on": COMPLETED,
        **overrides,
    }
    return Part1Factory(enquiry=enquiry, **fields)


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_enquiry_page_shows_who_they_want_involved_and_their_communication_support(world, client_for):
    _part1(world)
    page = _page(client_for(world.users["practitioner_north"]), world.cases["north"][2].get_absolute_url())
    experience = page.split('id="experience"', 1)[1]
    assert "Who they want involved" in experience and "My daughter Sam" in experience
    assert "Communication support" in experience
    assert "Large print, and time to read it before we talk" in experience


def test_the_enquiry_page_costs_the_same_queries_with_part1(world, client_for):
    client = client_for(world.users["practitioner_north"])
    url = world.cases["north"][2].get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    _part1(world)
    with CaptureQueriesContext(connection) as with_part1:
        client.get(url)
    assert len(with_part1.captured_queries) == len(without.captured_queries)


def _communication_row(page: str) -> str:
    row = page.split(">Communication support</dt>", 1)[1]
    return row.split("</dd>", 1)[0]


def test_the_persons_communication_needs_include_part1_with_its_source(world, client_for):
    person = world.cases["north"][0]
    _part1(world)
    client = client_for(world.users["practitioner_north"])
    before = _page(client, person.get_absolute_url())
    row = _communication_row(before)
    assert "Not recorded" not in row
    assert "Large print, and time to read it before we talk" in row
    opened = timezone.localtime(world.cases["north"][2].opened_at).strftime("%-d %B %Y")
    assert "My Safeguarding Experience Part 1" in row and "4 March 2026" in row and opened in row
    assert world.cases["north"][2].get_absolute_url() in row
    # What is recorded on the person stands beside it; Part 1 changes nothing on the person's record.
    Person.objects.filter(pk=person.pk).update(uses_bsl=True)
    row = _communication_row(_page(client, person.get_absolute_url()))
    assert "Uses British Sign Language (BSL)" in row and "Large print" in row
    person.refresh_from_db()
    assert person.other_communication_needs == "" and person.version == 1


def test_nothing_recorded_anywhere_still_says_so(world, client_for):
    _part1(world, communication_support="")
    page = _page(client_for(world.users["practitioner_north"]), world.cases["north"][0].get_absolute_url())
    assert "Not recorded" in _communication_row(page)


def test_part1_of_an_enquiry_the_user_cannot_see_is_not_shown(world, client_for):
    """The person is visible through one enquiry; Part 1 of another enquiry about them, in a team the user
    is not in and not allocated to them, stays out of sight."""
    person = world.cases["north"][0]
    hidden = EnquiryFactory(
        person=person, team=world.south, lead_practitioner=world.users["practitioner_south"]
    )
    Part1Factory(enquiry=hidden, communication_support="Only South may read this", completed_on=COMPLETED)
    assert Enquiry.objects.filter(person=person).count() == 2
    page = _page(client_for(world.users["practitioner_north"]), person.get_absolute_url())
    assert "Only South may read this" not in page


def test_the_person_page_costs_the_same_queries_however_many_part1s(world, client_for):
    person = world.cases["north"][0]
    client = client_for(world.users["practitioner_north"])
    _part1(world)
    client.get(person.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(person.get_absolute_url())
    for _ in range(3):
        enquiry = EnquiryFactory(
            person=person, team=world.north, lead_practitioner=world.users["practitioner_north"]
        )
        Part1Factory(enquiry=enquiry, communication_support="Easy read", completed_on=COMPLETED)
    with CaptureQueriesContext(connection) as four:
        page = _page(client, person.get_absolute_url())
    assert _communication_row(page).count("Easy read") == 3
    assert len(four.captured_queries) == len(one.captured_queries)
    assert reverse("enquiries:person_detail", args=[person.pk]) == person.get_absolute_url()
