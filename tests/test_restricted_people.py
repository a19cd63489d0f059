"""A restricted person (for example a member of staff) is invisible to everyone not named on the record and
not a unit lead — not only on the pages that show the record, but in everything around it: the duplicate
warning when someone records a person, the reminders and emails drift sends, the team dashboard's figures and
the Record of access."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enquiries.models import Enquiry, Person, SafeguardingConcern
from enquiries.models.drift import DriftRule, Reminder
from enquiries.selectors import dashboard
from enquiries.selectors.people import person_possible_duplicates
from enquiries.services import drift
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.notifications.models import Notification

from .enquiries.factories_enquiry import PlanActionFactory, set_status
from .enquiries.factories_people import person_form_data
from .factories import EnquiryFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NHS = "9434765919"
BORN = datetime.date(1980, 6, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff_member(world):
    """A member of staff with a safeguarding record in South, named to South's manager only."""
    person = PersonFactory(
        given_name="Robin",
        family_name="Colleague",
        date_of_birth=BORN,
        nhs_number=NHS,
        is_restricted=True,
        restricted_to=[world.users["manager_south"]],
    )
    EnquiryFactory(person=person, team=world.south, lead_practitioner=world.users["manager_south"])
    return person


def _record_robin(client, **overrides):
    data = person_form_data(
        given_name="Robin",
        family_name="Colleague",
        date_of_birth_0=str(BORN.day),
        date_of_birth_1=str(BORN.month),
        date_of_birth_2=str(BORN.year),
        **overrides,
    )
    return client.post(reverse("enquiries:person_create"), data)


# The duplicate warning -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["practitioner_north", "manager_north", "practitioner_south"])
@pytest.mark.parametrize("same", ["name and date of birth", "NHS number"])
def test_a_restricted_persons_details_raise_no_warning_for_someone_not_named(
    world, client_for, staff_member, who, same
):
    if same == "NHS number":  # someone else's name, the same NHS number
        data = person_form_data(given_name="Bobby", family_name="Other", nhs_number=NHS[:3] + " " + NHS[3:])
        response = client_for(world.users[who]).post(reverse("enquiries:person_create"), data)
    else:
        response = _record_robin(client_for(world.users[who]))
    content = response.content.decode()
    assert "may already be recorded" not in content
    assert response.status_code == 302  # recorded at once, as for anyone with no match
    assert Person.objects.count() == 6


def test_the_warning_still_shows_to_someone_named_on_the_record(world, client_for, staff_member):
    response = _record_robin(client_for(world.users["manager_south"]))
    content = response.content.decode()
    assert "This person may already be recorded" in content
    assert staff_member.get_absolute_url() in content  # they may open it
    assert Person.objects.filter(family_name="Colleague").count() == 1


def test_a_unit_lead_is_told_of_the_match(world, staff_member):
    found = person_possible_duplicates(
        user=world.users["unit_lead"], given_name="robin", family_name="Colleague", date_of_birth=BORN
    )
    assert found.visible == [staff_member]
    found = person_possible_duplicates(
        user=world.users["unit"], given_name="Robin", family_name="Colleague", date_of_birth=BORN
    )
    assert not found  # unit staff without the unit lead's permission: as if it were not there


def test_an_unrestricted_match_in_another_team_is_still_mentioned(world, client_for, staff_member):
    Person.objects.filter(pk=staff_member.pk).update(is_restricted=False)
    content = _record_robin(client_for(world.users["practitioner_north"])).content.decode()
    assert "may already be recorded in another team" in content
    assert "Colleague" not in content.split("may already be recorded")[1].split("</p>")[0]


# The team dashboard's figures ------------------------------------------------------------------------------


def _figure(html: str, name: str) -> int:
    return int(re.search(rf'id="figure-{name}">(\d+)<', html).group(1))


def test_the_team_dashboards_figures_leave_out_a_restricted_case_the_viewer_may_not_open(world, client_for):
    """North has its own case and a restricted one (named to North's manager, who leads it). Another North
    manager, not named, must not be able to tell from any figure that the restricted case exists."""
    _person, _concern, enquiry = world.cases["restricted_north"]
    now = timezone.now()
    set_status(enquiry, Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=now - 10 * DAY)
    Enquiry.objects.filter(pk=enquiry.pk).update(next_contact_on=timezone.localdate() - 3 * DAY)
    PlanActionFactory(enquiry=enquiry, due_on=timezone.localdate() - 3 * DAY)
    Reminder.objects.create(
        rule=DriftRule.CLOSURE_SIGN_OFF, object_id=enquiry.pk, due_on=timezone.localdate(), enquiry=enquiry,
        team=world.north, created_at=now, escalated_at=now,
    )  # fmt: skip
    Reminder.objects.create(
        rule=DriftRule.CONCERN_DECISION, object_id=enquiry.concern_id, due_on=timezone.localdate(),
        concern_id=enquiry.concern_id, team=world.north, created_at=now,
    )  # fmt: skip
    named = world.users["manager_north"]
    other = UserFactory(role=roles.MANAGER, teams=[world.north])

    figures = {}
    for who in (named, other, world.users["unit"], world.users["unit_lead"]):
        html = client_for(who).get(reverse("enquiries:team_dashboard"), {"team": world.north.pk})
        html = html.content.decode()
        figures[who] = [_figure(html, name) for name in ("open", "concerns", "sign-off", "drift")]
    assert figures[named] == [2, 2, 1, 2]
    assert figures[world.users["unit_lead"]] == [2, 2, 1, 2]
    assert figures[other] == [1, 1, 0, 0]
    assert figures[world.users["unit"]] == [1, 1, 0, 0]

    by_stage = {
        row.status: row.total
        for row in dashboard.enquiries_by_stage(user=other, team_ids=[world.north.pk], now=now)
    }
    assert by_stage[Enquiry.Status.PROPOSED_FOR_CLOSURE] == 0
    caseload = {
        u.pk: (u.open_enquiries, u.overdue_contacts, u.overdue_actions)
        for u in dashboard.caseload_by_practitioner(user=other, team_ids=[world.north.pk], now=now)
    }
    assert caseload[named.pk] == (0, 0, 0)  # the restricted case is the one North's manager leads
    caseload = {
        u.pk: (u.open_enquiries, u.overdue_contacts, u.overdue_actions)
        for u in dashboard.caseload_by_practitioner(user=named, team_ids=[world.north.pk], now=now)
    }
    assert caseload[named.pk] == (1, 1, 1)


# Drift reminders and their emails --------------------------------------------------------------------------


@pytest.fixture
def restricted_drift(world):
    """A restricted North case led by North's practitioner, with a second North manager. Only whoever a test
    names on the record may see it (and the unit lead)."""
    SafeguardingConcern.objects.update(decision=SafeguardingConcern.Decision.SECTION_42)
    person = PersonFactory(family_name="Colleague", is_restricted=True)
    enquiry = EnquiryFactory(
        person=person, team=world.north, lead_practitioner=world.users["practitioner_north"]
    )
    # Every other case of the world is reviewed today: only this one drifts.
    Enquiry.objects.update(last_reviewed_at=timezone.now())
    second_manager = UserFactory(role=roles.MANAGER, teams=[world.north])
    return person, enquiry, second_manager


def _notified(kind=Notification.Kind.REMINDER) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_a_drift_reminder_reaches_only_the_managers_named_on_a_restricted_record(
    world, restricted_drift, django_capture_on_commit_callbacks
):
    person, enquiry, _second_manager = restricted_drift
    person.restricted_to.add(world.users["manager_north"])
    Enquiry.objects.filter(pk=enquiry.pk).update(last_reviewed_at=timezone.now() - 40 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        drift.drift_scan()
    assert _notified() == {world.users["manager_north"].pk}  # not the second manager, not named
    assert [m.to for m in mail.outbox] == [[world.users["manager_north"].email]]


def test_a_reminder_for_a_lead_not_named_goes_to_a_named_manager_and_escalates_to_named_managers_only(
    world, restricted_drift, django_capture_on_commit_callbacks
):
    person, enquiry, second_manager = restricted_drift
    person.restricted_to.add(second_manager)
    Enquiry.objects.filter(pk=enquiry.pk).update(next_contact_on=timezone.localdate() - 10 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        drift.drift_scan()
    # The lead practitioner may not open the case: the reminder goes to whoever in the team may.
    assert _notified() == {second_manager.pk}
    Reminder.objects.update(created_at=timezone.now() - 30 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        drift.drift_scan()
    assert _notified(Notification.Kind.ESCALATION) == {second_manager.pk}
    recipients = {address for m in mail.outbox for address in m.to}
    assert world.users["practitioner_north"].email not in recipients
    assert world.users["manager_north"].email not in recipients


def test_a_restricted_case_nobody_in_the_team_may_open_goes_to_the_unit_leads(world, restricted_drift):
    _person, enquiry, _second_manager = restricted_drift
    Enquiry.objects.filter(pk=enquiry.pk).update(last_reviewed_at=timezone.now() - 40 * DAY)
    drift.drift_scan()
    assert _notified() == {world.users["unit_lead"].pk}  # rather than drifting unseen


# The Record of access --------------------------------------------------------------------------------------


def test_the_record_of_access_hides_a_restricted_persons_entries_from_unit_staff_not_entitled(
    world, client_for, staff_member
):
    AccessEvent.objects.create(
        user=world.users["manager_south"], action=AccessEvent.Action.VIEW, person=staff_member,
        content_type_id=ContentType.objects.get_for_model(Person).pk, object_id=staff_member.pk,
        detail="Person page",
    )  # fmt: skip
    ordinary = world.cases["north"][0]
    AccessEvent.objects.create(
        user=world.users["practitioner_north"], action=AccessEvent.Action.VIEW, person=ordinary,
        content_type_id=ContentType.objects.get_for_model(Person).pk, object_id=ordinary.pk,
        detail="Person page",
    )  # fmt: skip
    page = reverse("audit:recent")
    html = client_for(world.users["unit"]).get(page).content.decode()
    assert escape(ordinary.display_name) in html
    assert staff_member.family_name not in html
    assert f"?person={staff_member.pk}" not in html
    assert reverse("enquiries:person_access_log", args=[staff_member.pk]) not in html
    html = client_for(world.users["unit_lead"]).get(page).content.decode()
    assert escape(staff_member.display_name) in html
