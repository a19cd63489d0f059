"""Every page that shows a person's name is in the Record of access: a list records exactly the people it
showed (one row each, none for anyone it did not show), and the forms that name the person record a view.

"Shown" is read from the page itself: a person is shown when their name is in the HTML."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enquiries.models import DriftRule, Enquiry, Person, Reminder
from feedback.audits import services as audit_services
from feedback.models import AUDIT_CHECKLIST, CaseFileAudit
from msp_cases.audit.models import AccessEvent
from msp_cases.notifications.services import NotificationSpec, notify

from .factories import EnquiryFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _shown(content: str) -> set[int]:
    return {p.pk for p in Person.objects.all() if escape(p.display_name) in content}


def _recorded(user, detail: str) -> list[int]:
    events = AccessEvent.objects.filter(user=user, detail=detail)
    person_type = ContentType.objects.get_for_model(Person)
    assert all(
        e.action == AccessEvent.Action.VIEW
        and e.content_type_id == person_type.pk
        and e.object_id == e.person_id
        for e in events
    )
    return sorted(events.values_list("person_id", flat=True))


def _open(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _pks(*people) -> set[int]:
    return {p.pk for p in people}


def test_search_results_record_each_person_listed_and_no_one_else(world, client_for):
    user = world.users["practitioner_north"]
    content = _open(client_for(user), reverse("enquiries:person_search") + "?q=Casename")

    shown = _shown(content)
    assert shown == _pks(world.cases["north"][0], world.cases["south_allocated_to_north"][0])
    assert _recorded(user, "Name shown in search results") == sorted(shown)


def test_an_empty_search_records_nothing(world, client_for):
    user = world.users["practitioner_north"]
    _open(client_for(user), reverse("enquiries:person_search") + "?q=Nobody-by-this-name")
    assert not AccessEvent.objects.filter(user=user).exists()


def test_the_caseload_records_its_enquiries_and_pending_concerns(world, client_for):
    user = world.users["practitioner_north"]
    waiting = EnquiryFactory(team=world.north, lead_practitioner=None).concern  # a concern with no decision
    content = _open(client_for(user), reverse("enquiries:caseload") + "?show=open")

    shown = _shown(content)
    assert _pks(world.cases["north"][0], world.cases["south_allocated_to_north"][0], waiting.person) <= shown
    assert world.cases["south"][0].pk not in shown and world.cases["restricted_north"][0].pk not in shown
    assert _recorded(user, "Name shown in a caseload") == sorted(shown)


def test_the_team_dashboard_records_each_person_named_once(world, client_for):
    user = world.users["manager_north"]
    unallocated = EnquiryFactory(team=world.north, lead_practitioner=None)
    content = _open(client_for(user), reverse("enquiries:team_dashboard"))

    shown = _shown(content)
    assert _pks(world.cases["north"][0], world.cases["restricted_north"][0], unallocated.person) <= shown
    assert world.cases["south"][0].pk not in shown
    # Named in two panels (open enquiries, waiting to be allocated), recorded once.
    assert _recorded(user, "Name shown on the team dashboard") == sorted(shown)


def test_the_sign_off_queue_records_the_people_awaiting_sign_off(world, client_for):
    user = world.users["manager_north"]
    proposed = world.cases["north"][2]
    Enquiry.objects.filter(pk=proposed.pk).update(
        status=Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now()
    )
    content = _open(client_for(user), reverse("enquiries:sign_off_queue"))

    assert _shown(content) == _pks(proposed.person)
    assert _recorded(user, "Name shown in the sign-off queue") == [proposed.person.pk]


def test_notifications_record_the_people_they_name(world, client_for):
    user = world.users["practitioner_north"]
    enquiry = world.cases["north"][2]
    reminder = Reminder.objects.create(
        rule=DriftRule.PLAN_ACTION,
        object_id=enquiry.pk,
        due_on=datetime.date(2026, 1, 1),
        enquiry=enquiry,
        team=enquiry.team,
        recipient=user,
        created_at=timezone.now(),
    )
    notify(
        specs=[
            NotificationSpec(
                user_id=user.pk,
                kind="reminder",
                message=DriftRule.PLAN_ACTION.label,
                url=enquiry.get_absolute_url(),
                reminder_id=reminder.pk,
            ),
            NotificationSpec(user_id=user.pk, kind="reminder", message="No case", url="/"),
        ]
    )
    content = _open(client_for(user), reverse("notifications:list"))

    assert _shown(content) == _pks(enquiry.person)
    assert _recorded(user, "Name shown in notifications") == [enquiry.person.pk]


def _sample(world):
    """Two of three closed North enquiries drawn for audit by the unit (the third is not shown)."""
    people = []
    for n in range(3):
        person = PersonFactory(given_name=f"Sampled-{n}", family_name="Auditcase")
        EnquiryFactory(
            person=person,
            team=world.north,
            status=Enquiry.Status.CLOSED,
            opened_at=timezone.now() - datetime.timedelta(days=40),
            closed_at=timezone.now() - datetime.timedelta(days=10),
        )
        people.append(person)
    today = timezone.localdate()
    sample = audit_services.audit_sample_draw(
        user=world.users["unit"],
        start=today - datetime.timedelta(days=30),
        end=today,
        team=world.north,
        size=2,
        seed=7,
    )
    return sample, people


def test_an_audit_sample_records_the_people_drawn_and_not_the_others(world, client_for):
    user = world.users["unit"]
    client = client_for(user)
    sample, people = _sample(world)
    content = _open(client, reverse("feedback:audit_sample", args=[sample.pk]))

    shown = _shown(content)
    assert len(shown) == 2 and shown <= _pks(*people)
    assert _recorded(user, "Name shown in a case-file audit sample") == sorted(shown)


def test_saving_a_case_file_audit_is_recorded(world, client_for):
    user = world.users["unit"]
    client = client_for(user)
    sample, _people = _sample(world)
    sample_pk = sample.pk
    item = sample.items.order_by("position").first()
    answers = {name: "yes" for name, _ in AUDIT_CHECKLIST} | {"grade": "good", "comments": "Clear."}
    response = client.post(
        reverse("feedback:audit_enquiry", args=[sample_pk, item.enquiry_id]), {"replaces": "", **answers}
    )
    assert response.status_code == 302

    audit = CaseFileAudit.objects.get(sample_id=sample_pk, enquiry_id=item.enquiry_id)
    saved = AccessEvent.objects.get(user=user, action=AccessEvent.Action.CREATE)
    assert saved.content_type == ContentType.objects.get_for_model(CaseFileAudit)
    assert saved.object_id == audit.pk and saved.person_id == item.enquiry.person_id
    assert saved.detail == "Case-file audit saved"


@pytest.mark.parametrize(
    ("url_name", "case_part", "detail"),
    [
        ("enquiries:conversation_add_enquiry", 2, "New conversation form"),
        ("enquiries:conversation_add_concern", 1, "New conversation form"),
        ("enquiries:plan_action_add", 2, "New plan action form"),
        ("enquiries:meeting_add", 2, "New meeting form"),
    ],
)
def test_forms_that_name_the_person_record_a_view(world, client_for, url_name, case_part, detail):
    user = world.users["practitioner_north"]
    person, *_ = world.cases["north"]
    record = world.cases["north"][case_part]
    content = _open(client_for(user), reverse(url_name, args=[record.pk]))

    assert escape(person.display_name) in content
    event = AccessEvent.objects.get(user=user, detail=detail)
    assert event.action == AccessEvent.Action.VIEW and event.person_id == person.pk
    assert (event.content_type.model_class(), event.object_id) == (type(record), record.pk)


def test_the_record_of_access_says_in_which_list_a_name_was_shown(world, client_for):
    person = world.cases["north"][0]
    client_for(world.users["practitioner_north"]).get(reverse("enquiries:person_search") + "?q=Casename")
    content = _open(client_for(world.users["unit"]), reverse("enquiries:person_access_log", args=[person.pk]))

    assert "Viewed: Name shown in search results" in content
