"""Telling staff what concerns them: a concern or enquiry allocated to them (not by themselves), a closure
they proposed returned by a manager, a case-file audit of an enquiry they lead. In the service the
notification names the person and shows the manager's comments, read from the record when shown and only to
someone who may still see it; the email says only that there is something to look at."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enquiries.models import Enquiry, EnquiryEvent
from enquiries.services import transfers
from enquiries.services.concern_allocation import concern_allocate
from enquiries.services.lifecycle import sign_off, transitions
from feedback.audits import services as audits
from feedback.models import AuditSample, AuditSampleItem
from msp_cases.accounts import roles
from msp_cases.core.actor import Actor
from msp_cases.notifications.models import Notification
from tests.factories import ConcernFactory, EnquiryFactory, PersonFactory, UserFactory
from tests.feedback.factories_feedback import audit_answers

pytestmark = pytest.mark.django_db

COMMENTS = "Record what Mrs Wright said about the bank before closing."


@pytest.fixture
def colleague(world):
    """Another North practitioner, to allocate to."""
    return UserFactory(role=roles.PRACTITIONER, teams=[world.north], full_name="Sam Colleague")


def _everything_in(message) -> str:
    return "\n".join([message.subject, message.body, *(content for content, _ in message.alternatives)])


def _list(client) -> str:
    return client.get(reverse("notifications:list")).content.decode()


def _allocate_enquiry(world, enquiry, to, *, by="manager_north"):
    return transitions.enquiry_allocate(
        actor=Actor.of(world.users[by]),
        enquiry=enquiry,
        lead_practitioner=to,
        reason="Covering while the lead is on leave",
    )


def _return_closure(world, enquiry, *, proposer):
    Enquiry.objects.filter(pk=enquiry.pk).update(
        status=Enquiry.Status.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now()
    )
    EnquiryEvent.objects.create(
        enquiry=enquiry,
        kind=EnquiryEvent.Kind.PROPOSED,
        occurred_at=timezone.now(),
        by=proposer,
        from_status=Enquiry.Status.IN_PROGRESS,
        to_status=Enquiry.Status.PROPOSED_FOR_CLOSURE,
    )
    enquiry.refresh_from_db()
    return sign_off.enquiry_sign_off(
        actor=Actor.of(world.users["manager_north"]), enquiry=enquiry, approve=False, comments=COMMENTS
    )


def test_reallocating_an_enquiry_tells_the_new_lead_who_sees_the_name_and_the_email_has_none(
    world, client_for, colleague, django_capture_on_commit_callbacks
):
    person, _, enquiry = world.cases["north"]
    with django_capture_on_commit_callbacks(execute=True):
        _allocate_enquiry(world, enquiry, colleague)

    (note,) = Notification.objects.filter(kind=Notification.Kind.ALLOCATED, user=colleague)
    assert note.enquiry_id == enquiry.pk and note.url == enquiry.get_absolute_url()
    assert person.family_name not in note.message  # never stored: read from the record when shown
    html = _list(client_for(colleague))
    assert "A safeguarding enquiry has been allocated to you to lead." in html
    assert escape(person.display_name) in html
    # One email, to the new lead, with nothing of the case: no name, no reason, no case address.
    (message,) = mail.outbox
    assert message.to == [colleague.email]
    everything = _everything_in(message)
    for secret in (person.given_name, person.family_name, "Covering", f"/enquiries/{enquiry.pk}"):
        assert secret not in everything
    assert "A safeguarding enquiry has been allocated to you." in everything
    assert reverse("notifications:open", args=[note.pk]) in everything
    # The previous lead is not told anything.
    assert not Notification.objects.filter(user=world.users["practitioner_north"]).exists()


def test_allocating_to_yourself_notifies_nobody(world):
    _, _, enquiry = world.cases["north"]
    _allocate_enquiry(world, enquiry, world.users["manager_north"])
    assert Enquiry.objects.get(pk=enquiry.pk).lead_practitioner == world.users["manager_north"]
    assert not Notification.objects.exists()


def test_allocating_a_concern_names_the_person_in_the_list(world, client_for, colleague):
    person = PersonFactory(given_name="Joseph", family_name="Wright")
    concern = ConcernFactory(person=person, team=world.north)
    concern_allocate(
        actor=Actor.of(world.users["manager_north"]),
        concern=concern,
        practitioner=colleague,
        expected_version=concern.version,
    )
    (note,) = Notification.objects.filter(user=colleague)
    assert note.concern_id == concern.pk and "Wright" not in note.message
    html = _list(client_for(colleague))
    assert "Joseph Wright" in html
    assert "Go to the concern" in html


def test_a_returned_closure_tells_its_proposer_with_the_comments_in_the_service_only(
    world, client_for, django_capture_on_commit_callbacks
):
    person, _, enquiry = world.cases["north"]
    lead = world.users["practitioner_north"]
    with django_capture_on_commit_callbacks(execute=True):
        _return_closure(world, enquiry, proposer=lead)

    (note,) = Notification.objects.filter(kind=Notification.Kind.CLOSURE_RETURNED)
    assert note.user == lead and COMMENTS not in note.message
    html = _list(client_for(lead))
    assert escape(COMMENTS) in html
    assert escape(person.display_name) in html
    (message,) = mail.outbox
    everything = _everything_in(message)
    assert "A closure you proposed has been returned." in everything
    for secret in (person.given_name, person.family_name, "bank", "Wright"):
        assert secret not in everything
    # The manager who returned it is not told of their own action.
    assert not Notification.objects.filter(user=world.users["manager_north"]).exists()


def test_a_returned_closure_also_tells_the_lead_when_someone_else_proposed_it(world, colleague):
    _, _, enquiry = world.cases["north"]
    _return_closure(world, enquiry, proposer=colleague)
    assert set(
        Notification.objects.filter(kind=Notification.Kind.CLOSURE_RETURNED).values_list("user", flat=True)
    ) == {colleague.pk, world.users["practitioner_north"].pk}


def test_someone_who_can_no_longer_see_the_person_sees_neither_name_nor_comments(world, client_for):
    person, _, enquiry = world.cases["north"]
    lead = world.users["practitioner_north"]
    _return_closure(world, enquiry, proposer=lead)
    # The record is restricted afterwards, to someone else: the lead no longer sees it.
    person.is_restricted = True
    person.save()
    person.restricted_to.set([world.users["manager_north"]])

    html = _list(client_for(lead))
    assert "A closure you proposed was returned by a manager, with comments." in html
    assert person.family_name not in html and person.given_name not in html
    assert escape(COMMENTS) not in html


def test_a_case_file_audit_tells_the_lead_practitioner(world, client_for, django_capture_on_commit_callbacks):
    person, _, enquiry = world.cases["north"]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.CLOSED, closed_at=timezone.now())
    unit = world.users["unit"]
    today = timezone.localdate()
    sample = AuditSample.objects.create(
        drawn_by=unit, drawn_at=timezone.now(), period_start=today, period_end=today, size=1, seed=1,
        eligible_count=1,
    )  # fmt: skip
    AuditSampleItem.objects.create(sample=sample, enquiry=enquiry, position=1)
    with django_capture_on_commit_callbacks(execute=True):
        audits.case_file_audit_record(
            actor=Actor.of(unit),
            sample=sample,
            enquiry=enquiry,
            replaces_id=None,
            answers=audit_answers(comments="Good work with the bank"),
        )

    lead = world.users["practitioner_north"]
    (note,) = Notification.objects.filter(kind=Notification.Kind.CASE_FILE_AUDIT)
    assert note.user == lead and note.url.endswith("#case-file-audit")
    html = _list(client_for(lead))
    assert "Go to the case-file audit" in html and escape(person.display_name) in html
    (message,) = mail.outbox
    everything = _everything_in(message)
    assert "A case-file audit has been saved on an enquiry you lead." in everything
    for secret in (person.given_name, person.family_name, "bank"):
        assert secret not in everything


def test_the_list_costs_the_same_queries_for_one_case_notification_or_many(world, client_for, colleague):
    client = client_for(colleague)
    enquiries = [world.cases["north"][2]] + [
        EnquiryFactory(team=world.north, lead_practitioner=None) for _ in range(5)
    ]
    _allocate_enquiry(world, enquiries[0], colleague)
    _list(client)  # warm up (session, permissions)
    with CaptureQueriesContext(connection) as one:
        _list(client)
    for enquiry in enquiries[1:]:
        _allocate_enquiry(world, enquiry, colleague)
    _return_closure(world, enquiries[0], proposer=colleague)
    with CaptureQueriesContext(connection) as many:
        html = _list(client)
    assert html.count("Go to the enquiry") == 7
    # Checking access to the comments is one more query when a returned closure is on the page, at most.
    assert len(many) <= len(one) + 1


@pytest.mark.parametrize("what", ["enquiry", "concern"])
def test_accepting_a_transfer_tells_the_lead_the_receiving_manager_chose(world, client_for, what):
    person, _, enquiry = world.cases["north"]
    record = enquiry if what == "enquiry" else ConcernFactory(person=person, team=world.north)
    transfer = transfers.transfer_request(
        actor=Actor.of(world.users["practitioner_north"]),
        to_team=world.south,
        reason="She has moved to Southtown.",
        **{what: record},
    )
    lead = world.users["practitioner_south"]
    transfers.transfer_accept(
        actor=Actor.of(world.users["manager_south"]), transfer=transfer, lead_practitioner=lead
    )

    (note,) = Notification.objects.filter(user=lead, kind=Notification.Kind.ALLOCATED)
    assert (note.enquiry_id if what == "enquiry" else note.concern_id) == record.pk
    assert escape(person.display_name) in _list(client_for(lead))
