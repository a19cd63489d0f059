"""Screening a referral end to end, as a front-door worker would: the referrer's words as written, matching
the adult across every team (only what tells people apart; restricted people only where entitled), routing a
concern to a team whose managers are told, closing at the door (counted as a concern or not), and a second
screener refused."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import CareProvider, Person, SafeguardingConcern
from msp_cases.accounts.models import Team
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral, ReferralEvent
from msp_cases.frontdoor.services import screening
from msp_cases.notifications.models import Notification
from msp_cases.reports.figures.populations import concerns_received_in
from msp_cases.reports.scope import ReportScope
from tests.factories import ConcernFactory, PersonFactory, UserFactory

from .queue_scene import days_ago, make_referral

pytestmark = pytest.mark.django_db

State = Referral.State


def _url(referral, search=""):
    url = reverse("front_door:screen", args=[referral.pk])
    return f"{url}?search={search}" if search else url


@pytest.fixture
def hughes(world):
    """Margaret Hughes, known to South: one concern last month and one two years ago."""
    person = PersonFactory(
        given_name="Margaret",
        family_name="Hughes",
        address="12 Mill Lane",
        postcode="NT1 2AB",
        nhs_number="9434765919",
    )
    ConcernFactory(person=person, team=world.south, received_at=days_ago(30), summary="Secret case words")
    ConcernFactory(person=person, team=world.south, received_at=days_ago(800), summary="Old case words")
    return person


def _route(client, referral, **data):
    return client.post(_url(referral), {"version": referral.version, "outcome": "route", **data})


def test_the_referrers_words_are_shown_as_written_and_the_reading_recorded(front_door_client, front_door):
    referral = make_referral(what_happened="She said: <b>“don’t tell him”</b>\nTwice.")
    response = front_door_client.get(_url(referral))
    html = response.content.decode()
    assert response.status_code == 200
    assert "She said: &lt;b&gt;“don’t tell him”&lt;/b&gt;<br>Twice." in html
    assert "Every week since March" in html and "Ann Neighbour" in html
    event = ReferralEvent.objects.get(referral=referral, action=ReferralEvent.Action.VIEWED)
    assert event.user == front_door


def test_matching_finds_people_of_every_team_but_shows_nothing_of_their_cases(
    world, front_door_client, front_door, hughes
):
    referral = make_referral(adult_name="Margret Hughs")  # as a neighbour spells it
    response = front_door_client.get(_url(referral))
    html = response.content.decode()
    assert [p.pk for p in response.context["matches"]] == [hughes.pk]
    assert "Margaret Hughes" in html and "12 Mill Lane" in html and "9434765919" in html
    # The concern of the last 12 months, by date and team; nothing of what it says; the old one not counted.
    assert "1 concern" in html and "South Locality" in html
    assert "Secret case words" not in html and "Old case words" not in html
    # Listed people are in their record of access.
    assert AccessEvent.objects.filter(
        user=front_door, person=hughes, detail="Listed as a possible match at the front door"
    ).exists()
    # Searching again finds North's and South's people alike, by name, NHS number or date of birth.
    for team_case in ("Casename-north", "Casename-south"):
        response = front_door_client.get(_url(referral, team_case))
        assert team_case in [p.family_name for p in response.context["matches"]]
    response = front_door_client.get(_url(referral, "943 476 5919"))
    assert [p.pk for p in response.context["matches"]] == [hughes.pk]
    # Opening the person is still for those whose cases they are: the front door is not.
    assert front_door_client.get(hughes.get_absolute_url()).status_code in (403, 404)


def test_restricted_people_are_matched_only_by_those_entitled(world, front_door_client, client_for):
    referral = make_referral(adult_name="Given-restricted Casename-restricted")
    response = front_door_client.get(_url(referral))
    assert "Casename-restricted" not in "".join(p.family_name for p in response.context["matches"])
    lead = UserFactory(role="Front door", unit_lead=True, teams=[world.north])
    response = client_for(lead).get(_url(referral))
    assert "Casename-restricted" in [p.family_name for p in response.context["matches"]]


def test_a_crafted_restricted_person_is_refused(world, front_door_client):
    referral = make_referral()
    restricted = world.cases["restricted_north"][0]
    response = _route(front_door_client, referral, adult=str(restricted.pk), team=world.south.pk)
    assert response.status_code == 200
    assert "Select who the referral is about" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == State.WAITING


def test_routing_to_a_team_records_the_concern_and_tells_its_managers(
    world, front_door_client, front_door, client_for, hughes
):
    referral = make_referral(adult_name="Margaret Hughes")
    response = _route(front_door_client, referral, adult=str(hughes.pk), team=world.south.pk)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.PASSED_ON
    assert referral.routed_to == world.south and referral.screened_by == front_door
    concern = referral.concern
    assert concern.person == hughes and concern.team == world.south
    assert concern.decision == SafeguardingConcern.Decision.PENDING
    assert concern.received_at == referral.submitted_at
    assert concern.summary.startswith("Her son takes her pension.\nShe has no food in the house.")
    assert "When it happened: Every week since March" in concern.summary
    assert concern.referrer_name == "Ann Neighbour" and concern.person_aware == "yes"
    # South's manager is told, with nothing of the case; North's is not.
    (note,) = Notification.objects.filter(kind=Notification.Kind.REFERRAL_ROUTED)
    assert note.user == world.users["manager_south"]
    assert "Hughes" not in note.message and "pension" not in note.message
    assert note.url == concern.get_absolute_url()
    # The concern waits on South's dashboard.
    dashboard = client_for(world.users["manager_south"]).get(reverse("enquiries:team_dashboard"))
    assert "Margaret Hughes" in dashboard.content.decode()
    # It has left the queue, and the front door does not see the case it made.
    assert "Margaret Hughes" not in front_door_client.get(reverse("front_door:queue")).content.decode()
    assert front_door_client.get(concern.get_absolute_url()).status_code in (403, 404)
    assert AccessEvent.objects.filter(
        user=front_door, action=AccessEvent.Action.CREATE, person=hughes
    ).exists()


def test_routing_a_new_person(world, front_door_client):
    referral = make_referral(adult_name="Nobody Known")
    response = _route(
        front_door_client,
        referral,
        adult="new",
        team=world.north.pk,
        given_name="Nobody",
        family_name="Known",
        address="1 New Street",
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    person = referral.person
    assert (person.given_name, person.family_name, person.address) == ("Nobody", "Known", "1 New Street")
    assert person.gender == "not_known"
    assert referral.concern.team == world.north


def test_every_problem_is_shown_at_once(world, front_door_client):
    referral = make_referral()
    response = front_door_client.post(
        _url(referral), {"version": referral.version, "outcome": "route", "adult": "new"}
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html
    for message in ("Enter the adult’s first name", "Enter the adult’s last name", "Select the team to send"):
        assert message in html
    response = front_door_client.post(_url(referral), {"version": referral.version})
    assert "Select what happens next" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == State.WAITING


def test_closing_with_advice_counts_as_a_concern_decided_no_further_action(
    world, front_door_client, front_door, hughes
):
    referral = make_referral()
    response = front_door_client.post(
        _url(referral),
        {
            "version": referral.version,
            "outcome": "advice",
            "adult": str(hughes.pk),
            "criteria_care_needs": "yes",
            "criteria_abuse_or_neglect": "yes",
            "criteria_unable_to_protect": "no",
            "advice": "Told her how to change her pension payments",
            "advice_reason": "She can protect herself with that advice",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.SIGNPOSTED
    concern = referral.concern
    assert concern.team == world.front_door_team
    assert concern.decision == SafeguardingConcern.Decision.NO_FURTHER_ACTION
    assert concern.no_further_action_response == "Told her how to change her pension payments"
    assert "She can protect herself" in concern.decision_rationale
    assert concern.decided_by == front_door
    assert "12 Mill Lane" not in front_door_client.get(reverse("front_door:queue")).content.decode()


def test_closing_as_not_a_safeguarding_concern_records_no_concern(front_door_client):
    referral = make_referral()
    before = SafeguardingConcern.objects.count(), Person.objects.count()
    response = front_door_client.post(
        _url(referral),
        {"version": referral.version, "outcome": "not_safeguarding", "closure_reason": "A housing repair"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == State.NO_FURTHER_ACTION and referral.closure_reason == "A housing repair"
    assert (SafeguardingConcern.objects.count(), Person.objects.count()) == before
    assert ReferralEvent.objects.filter(referral=referral, action=ReferralEvent.Action.CHANGED).exists()


def test_a_second_screener_is_refused(world, front_door_client, client_for, hughes):
    referral = make_referral()
    other = client_for(UserFactory(role="Front door", teams=[world.front_door_team]))
    assert _route(other, referral, adult=str(hughes.pk), team=world.north.pk).status_code == 302
    # The first screener still has the page loaded at version 1.
    response = _route(front_door_client, referral, adult=str(hughes.pk), team=world.south.pk)
    # Its page now says what became of it, and nothing is saved twice.
    assert response.status_code == 200
    assert "already been screened" in response.content.decode()
    referral.refresh_from_db()
    assert referral.routed_to == world.north
    assert SafeguardingConcern.objects.filter(referral__isnull=False).count() == 1


def test_a_stale_version_is_refused(world, front_door_client, hughes):
    referral = make_referral()
    Referral.objects.filter(pk=referral.pk).update(version=2)  # someone saved it meanwhile
    response = _route(front_door_client, referral, adult=str(hughes.pk), team=world.south.pk)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == State.WAITING
    assert not SafeguardingConcern.objects.filter(person=hughes, team=world.south, referral__isnull=False)


def test_concerns_naming_the_same_alleged_person_or_care_provider_are_shown_beside_it(
    world, front_door_client, front_door
):
    other = PersonFactory(given_name="Other", family_name="Resident")
    ConcernFactory(
        person=other,
        team=world.north,
        received_at=days_ago(20),
        alleged_harm_by="person",
        alleged_person_name="CARL Dunn",
        summary="Private words",
    )
    home = CareProvider.objects.create(name="Oakfield Care Home")
    ConcernFactory(
        person=other,
        team=world.south,
        received_at=days_ago(40),
        alleged_harm_by="care_provider",
        alleged_provider=home,
    )
    referral = make_referral(alleged_cause="Carl  Dunn", where_happened="oakfield care home")
    html = front_door_client.get(_url(referral)).content.decode()
    assert "1 concern naming “Carl Dunn” as alleged to have caused harm" in html
    assert "1 concern naming Oakfield Care Home" in html
    assert "Private words" not in html and "Other Resident" not in html
    assert AccessEvent.objects.filter(
        user=front_door, person=other, detail="Listed as a repeat concern at the front door"
    ).exists()


def test_who_counts_as_a_possible_match(world, front_door_client):
    """Every word of the name, or the date of birth with the family name, or the NHS number: not everyone
    who shares a first name or a birthday."""
    born = datetime.date(1941, 3, 12)
    peggy = PersonFactory(given_name="Peggy", family_name="Hughes", date_of_birth=born)
    typo = PersonFactory(given_name="Margret", family_name="Hughs", date_of_birth=None)
    PersonFactory(given_name="Unrelated", family_name="Person", date_of_birth=born)
    PersonFactory(given_name="Margaret", family_name="Smith", date_of_birth=None)
    referral = make_referral(adult_name="Margaret Hughes", adult_date_of_birth=born)
    matches = front_door_client.get(_url(referral)).context["matches"]
    # The birthday and family name agree for Peggy, so she comes first.
    assert [p.pk for p in matches] == [peggy.pk, typo.pk]


def test_the_screening_page_costs_the_same_queries_however_many_match(
    world, front_door_client, django_assert_max_num_queries
):
    referral = make_referral(adult_name="Margaret Hughes")
    PersonFactory(given_name="Margaret", family_name="Hughes")
    front_door_client.get(_url(referral))
    with CaptureQueriesContext(connection) as one:
        front_door_client.get(_url(referral))
    for n in range(15):
        person = PersonFactory(given_name="Margaret", family_name="Hughes", postcode=f"NT{n} 1AA")
        ConcernFactory(person=person, team=world.north if n % 2 else world.south, received_at=days_ago(n + 1))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = front_door_client.get(_url(referral))
    assert len(response.context["matches"]) == 16


def test_the_sac_return_counts_what_the_door_decided_was_a_safeguarding_concern(world, front_door, hughes):
    """Sent to a team, or closed with information and advice: a concern received. Not a safeguarding
    concern: none (docs/sac.md)."""
    today = timezone.localdate()
    scope = ReportScope(
        start=today - datetime.timedelta(days=7),
        end=today,
        team_ids=tuple(Team.objects.values_list("pk", flat=True)),
    )
    before = concerns_received_in(scope).count()
    actor = Actor.of(front_door)
    routed, advised, closed = make_referral(), make_referral(), make_referral()
    screening.referral_route(
        actor=actor, referral=routed, expected_version=1, team=world.south, person=hughes
    )
    screening.referral_close_advice_given(
        actor=actor,
        expected_version=1,
        referral=advised,
        advice="Advice",
        reason="Reason",
        criteria_care_needs=True,
        criteria_abuse_or_neglect=False,
        criteria_unable_to_protect=False,
        person=hughes,
    )
    screening.referral_close_not_safeguarding(
        actor=actor, referral=closed, expected_version=1, reason="Repair"
    )
    assert concerns_received_in(scope).count() == before + 2
