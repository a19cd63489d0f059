"""The person's chronology: every significant event of their concerns and enquiries that the user may see, in
date order, one line each; filterable; a fixed number of queries however many events; a read of the person's
records like their page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import EnquiryEvent, RiskTypeOption, SafeguardingConcern
from msp_cases.audit.models import AccessEvent
from msp_cases.documents.models import Document
from outcomes.models import DesiredOutcome
from tests.factories import ConcernFactory, EnquiryFactory, PersonFactory, UserFactory
from tests.feedback.factories_feedback import Part1Factory, Part2Factory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

from .factories_enquiry import ConversationFactory, EnquiryEventFactory, MeetingFactory, PlanActionFactory

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10) -> datetime.datetime:
    """A fixed day in 2025 (1 = 1 March), so the order on the page is the order written here."""
    return timezone.make_aware(datetime.datetime(2025, 3, day, hour, 0))


def url(person, **query) -> str:
    base = reverse("enquiries:person_chronology", args=[person.pk])
    if not query:
        return base
    parts = [
        f"{key}={value}"
        for key, values in query.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    return base + "?" + "&".join(parts)


def titles(html: str) -> list[str]:
    """The events' titles in the order the page lists them."""
    return re.findall(r'class="govuk-table__row app-chronology__entry".*?<strong>(.*?)</strong>', html, re.S)


def document(person, enquiry, *, title, kind, when, by) -> Document:
    return Document.objects.create(
        person=person,
        enquiry=enquiry,
        title=title,
        kind=kind,
        original_name="file.pdf",
        file="held/file.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        scan_status=Document.ScanStatus.CLEAN,
        uploaded_by=by,
        uploaded_at=when,
    )


def a_whole_case(world):
    """One North case from concern to closure, an event of every kind on its own day."""
    lead = world.users["practitioner_north"]
    person = PersonFactory(given_name="Ada", family_name="Lovelace")
    concern = ConcernFactory(
        person=person,
        team=world.north,
        received_at=at(1),
        referrer_name="Sam Brown",
        referrer_role="District nurse",
        referrer_organisation="Community health",
        summary="Ada said her nephew takes her pension.",
        decision=SafeguardingConcern.Decision.SECTION_42,
        decided_at=at(2),
        decided_by=world.users["manager_north"],
        decision_rationale="All three criteria are met.",
    )
    concern.risk_types.add(RiskTypeOption.objects.get(code="financial"))
    enquiry = EnquiryFactory(
        person=person, concern=concern, team=world.north, lead_practitioner=lead, opened_at=at(3)
    )
    EnquiryEventFactory(
        enquiry=enquiry, kind=EnquiryEvent.Kind.OPENED, occurred_at=at(3), by=lead, allocated_to=lead
    )
    ConversationFactory(
        enquiry=enquiry, person=person, occurred_at=at(4), with_person=True, what_matters="Keeping my flat."
    )
    MeetingFactory(enquiry=enquiry, held_on=at(5).date(), created_by=lead)
    PlanActionFactory(enquiry=enquiry, what="Bank to flag the account", created_by=lead)
    enquiry.plan_actions.update(created_at=at(6))
    outcome = DesiredOutcomeFactory(enquiry=enquiry, words="I want my money back.", created_by=lead)
    DesiredOutcome.objects.filter(pk=outcome.pk).update(
        created_at=at(7),
        achievement="fully",
        achievement_recorded_at=at(11),
        achievement_recorded_by=lead,
        person_comment="I feel in control again.",
    )
    document(person, enquiry, title="Letter to Ada", kind=Document.Kind.LETTER, when=at(8), by=lead)
    Part1Factory(enquiry=enquiry, completed_on=at(9).date())
    Part2Factory(enquiry=enquiry, completed_on=at(12).date())
    EnquiryEventFactory(enquiry=enquiry, kind=EnquiryEvent.Kind.CLOSED, occurred_at=at(13), by=lead)
    return person, concern, enquiry


def test_every_kind_of_event_in_date_order_one_line_each(world, client_for):
    person, _, _ = a_whole_case(world)
    response = client_for(world.users["practitioner_north"]).get(url(person))
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == [
        "Concern received",
        "Decision: Section 42 duty met",
        "Enquiry opened",
        "Conversation with the person",
        "Planning meeting",
        "Safeguarding plan action added",
        "Desired outcome recorded",
        "Letter filed",
        "My Safeguarding Experience Part 1 completed",
        "Outcome: Fully Achieved",
        "My Safeguarding Experience Part 2 feedback",
        "Closure signed off",
    ]
    # Who raised the concern and the type of abuse; the person's own words; the outcome in theirs.
    assert "Raised by Sam Brown (District nurse, Community health)" in html
    assert "Type of abuse: Financial or Material Abuse" in html
    assert "Keeping my flat." in html
    assert "“I want my money back.”" in html
    assert "In their words: “I feel in control again.”" in html
    assert "Listened to: Yes, completely" in html
    assert "12 events." in html


def test_the_person_page_links_to_the_chronology(world, practitioner_client):
    person = world.cases["north"][0]
    html = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert reverse("enquiries:person_chronology", args=[person.pk]) in html


def test_another_teams_enquiry_about_the_same_person_adds_nothing(world, client_for):
    """A person known to North and South: North's practitioner sees North's events alone, the unit both."""
    person = PersonFactory(given_name="Bea", family_name="Known-to-two")
    north = EnquiryFactory(
        person=person, team=world.north, lead_practitioner=world.users["practitioner_north"]
    )
    south = EnquiryFactory(
        person=person, team=world.south, lead_practitioner=world.users["practitioner_south"]
    )
    ConversationFactory(enquiry=north, person=person, occurred_at=at(4), what_matters="North words")
    ConversationFactory(enquiry=south, person=person, occurred_at=at(5), what_matters="South words")
    MeetingFactory(enquiry=south, held_on=at(6).date(), created_by=world.users["practitioner_south"])
    document(
        person, south, title="South report", kind=Document.Kind.REPORT, when=at(7), by=world.users["unit"]
    )

    north_html = client_for(world.users["practitioner_north"]).get(url(person)).content.decode()
    assert "North words" in north_html
    assert "South words" not in north_html
    assert "South report" not in north_html
    assert south.get_absolute_url() not in north_html
    assert 'data-kind="meeting"' not in north_html

    unit_html = client_for(world.users["unit"]).get(url(person)).content.decode()
    assert "North words" in unit_html and "South words" in unit_html and "South report" in unit_html


def test_a_person_out_of_scope_is_not_found(world, client_for):
    restricted = world.cases["restricted_north"][0]
    south_only = world.cases["south"][0]
    practitioner = client_for(world.users["practitioner_north"])
    assert practitioner.get(url(restricted)).status_code == 404
    assert practitioner.get(url(south_only)).status_code == 404
    assert client_for(world.users["manager_north"]).get(url(restricted)).status_code == 200


def test_reading_the_chronology_is_recorded_as_a_read_of_the_persons_records(world, client_for):
    user = world.users["practitioner_north"]
    person = world.cases["north"][0]
    client_for(user).get(url(person))
    event = AccessEvent.objects.filter(user=user).latest("pk")
    assert (event.action, event.person_id, event.detail) == (
        AccessEvent.Action.VIEW,
        person.pk,
        "Person's chronology",
    )


def test_filters_by_dates_kind_and_record(world, client_for):
    person, _, enquiry = a_whole_case(world)
    other = EnquiryFactory(
        person=person, team=world.north, lead_practitioner=world.users["practitioner_north"], opened_at=at(20)
    )
    ConversationFactory(enquiry=other, person=person, occurred_at=at(21), what_matters="A later matter")
    client = client_for(world.users["practitioner_north"])

    dated = client.get(
        url(person, date_from_0=4, date_from_1=3, date_from_2=2025, date_to_0=6, date_to_1=3, date_to_2=2025)
    )
    assert titles(dated.content.decode())[0] == "Conversation with the person"
    assert len(titles(dated.content.decode())) == 3  # the conversation, the meeting, the plan action

    kinds = client.get(url(person, kinds=["conversations", "feedback"])).content.decode()
    assert titles(kinds) == [
        "Conversation with the person",
        "My Safeguarding Experience Part 1 completed",
        "My Safeguarding Experience Part 2 feedback",
        "Conversation with the person",
    ]

    # One enquiry: its events and those of the concern it came from; not the other enquiry's.
    one = client.get(url(person, record=f"enquiry-{enquiry.pk}")).content.decode()
    assert "A later matter" not in one
    assert "Concern received" in titles(one)
    only_other = client.get(url(person, record=f"enquiry-{other.pk}")).content.decode()
    assert "A later matter" in only_other
    assert "Keeping my flat." not in only_other


def test_a_wrong_date_is_an_error_in_the_govuk_voice_and_the_other_filters_still_apply(world, client_for):
    person, _, _ = a_whole_case(world)
    client = client_for(world.users["practitioner_north"])
    response = client.get(url(person, date_from_0=31, date_from_1=2, date_from_2=2025))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The first date to show must be a real date" in html
    assert "<title>Error: " in html
    assert len(titles(html)) == 12
    ticked = client.get(url(person, date_from_0=31, date_from_1=2, date_from_2=2025, kinds="meetings"))
    assert titles(ticked.content.decode()) == ["Planning meeting"]
    backwards = client.get(
        url(person, date_from_0=5, date_from_1=3, date_from_2=2025, date_to_0=4, date_to_1=3, date_to_2=2025)
    ).content.decode()
    assert "The last date to show must be on or after the first date" in backwards


def test_an_enquiry_or_concern_the_user_cannot_see_is_not_a_choice(world, client_for):
    person = PersonFactory()
    south = EnquiryFactory(person=person, team=world.south)
    EnquiryFactory(person=person, team=world.north)
    html = (
        client_for(world.users["practitioner_north"])
        .get(url(person, record=f"enquiry-{south.pk}"))
        .content.decode()
    )
    assert "Select a concern or enquiry from the list" in html
    assert f'value="enquiry-{south.pk}"' not in html


def fill(person, enquiry, n: int) -> None:
    """`n` events of every kind, each by a different member of staff."""
    for i in range(n):
        someone = UserFactory()
        ConversationFactory(enquiry=enquiry, person=person, occurred_at=at(1 + i % 27), recorded_by=someone)
        PlanActionFactory(enquiry=enquiry, what=f"Action {i}", created_by=someone)
        MeetingFactory(enquiry=enquiry, held_on=at(1 + i % 27).date(), created_by=someone)
        EnquiryEventFactory(
            enquiry=enquiry,
            kind=EnquiryEvent.Kind.ALLOCATED,
            occurred_at=at(1 + i % 27),
            by=someone,
            allocated_to=UserFactory(),
        )
        DesiredOutcomeFactory(enquiry=enquiry, words=f"Outcome {i}", created_by=someone)
        document(
            person, enquiry, title=f"Report {i}", kind=Document.Kind.REPORT, when=at(1 + i % 27), by=someone
        )
        ConcernFactory(person=person, team=enquiry.team, received_at=at(1 + i % 27), recorded_by=someone)


def test_a_long_chronology_costs_the_same_queries_as_a_short_one(world, client_for):
    lead = world.users["practitioner_north"]
    small_person, large_person = PersonFactory(), PersonFactory()
    small = EnquiryFactory(person=small_person, team=world.north, lead_practitioner=lead)
    large = EnquiryFactory(person=large_person, team=world.north, lead_practitioner=lead)
    fill(small_person, small, 2)
    fill(large_person, large, 20)
    Part1Factory(enquiry=large)
    client = client_for(lead)
    client.get(url(small_person))  # the user's permissions and teams, read once per session

    def count(person) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(person))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    few, few_html = count(small_person)
    many, many_html = count(large_person)
    assert few == many
    # 20 of seven kinds, Part 1 and the concern the enquiry came from; a page shows the first hundred.
    assert "142 events." in many_html
    assert "Showing 1 to 100." in many_html
    assert many_html.count("app-chronology__entry") == 100
    assert few_html.count("app-chronology__entry") == 15
