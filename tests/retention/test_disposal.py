"""Disposal: proposed by one unit lead, approved by another, carried out by a task that removes the personal
data from the records and their earlier versions, deletes the files, keeps a record of what was removed
(counts), leaves the person as a tombstone, and changes no statutory figure."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry, NetworkMember, Person, SafeguardingConcern
from msp_cases.audit.models import AccessEvent
from msp_cases.documents.models import Document
from msp_cases.reports.measures.msp import msp_report
from msp_cases.reports.sac.returns import sac_return
from msp_cases.retention import services
from msp_cases.retention.disposal import disposal_carry_out
from msp_cases.retention.models import Disposal
from outcomes.models import DesiredOutcome
from tests.enquiries.factories_enquiry import ConversationFactory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory
from tests.reports.test_sac import _all, sac_data  # noqa: F401  (the SAC's hand-worked data set)

from .conftest import actor, closed_case

pytestmark = pytest.mark.django_db


def _document(person, user, text=b"Letter from the GP about Alice Sacone") -> Document:
    return Document.objects.create(
        person=person,
        title="GP letter about Alice",
        kind=Document.Kind.LETTER,
        original_name="alice-gp.txt",
        file=ContentFile(text, name="letter.txt"),
        content_type="text/plain",
        size=len(text),
        sha256="0" * 64,
        scan_status=Document.ScanStatus.CLEAN,
        uploaded_by=user,
    )


def _dispose(person, lead, second_lead, capture):
    disposal = services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    with capture(execute=True):
        services.disposal_approve(actor=actor(second_lead), disposal=disposal)
    disposal.refresh_from_db()
    return disposal


def test_the_sac_return_and_the_msp_measures_are_the_same_after_disposal(
    world,
    sac_data,  # noqa: F811
    lead,
    second_lead,
    django_capture_on_commit_callbacks,
):
    """The SAC's hand-worked year (tests/reports/test_sac.py), every person in it with nothing left open
    disposed of: every cell of SG1 to SG5 and of the MSP measures is the same as before."""
    people = sac_data["people"]
    # Each concern as the decision left it: the one that led to an enquiry decided for it, the other ended.
    for concern in SafeguardingConcern.objects.filter(person__in=people):
        decision = "section_42" if concern.enquiries.exists() else "no_further_action"
        SafeguardingConcern.objects.filter(pk=concern.pk).update(
            decision=decision, decided_at=concern.received_at + datetime.timedelta(days=1)
        )
    e1 = sac_data["enquiries"][0]
    ConversationFactory(enquiry=e1, what_matters="Alice wants to stay with her cat")
    DesiredOutcomeFactory(enquiry=e1, words="I want to feel safe at home, says Alice")
    scope = _all(world)
    before = (list(sac_return(scope=scope).rows()), list(msp_report(scope=scope).csv_rows()))

    # Closures in 2025-26: due for review in 2031-32, and reviewed in 2033.
    with time_machine.travel(datetime.datetime(2033, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        closed = [p for p in people if not services.disposal_propose_problems(person=p)]
        assert len(closed) == 5  # Cara's enquiry is still open
        for person in closed:
            assert (
                _dispose(person, lead, second_lead, django_capture_on_commit_callbacks).status
                == "carried_out"
            )

    after = (list(sac_return(scope=scope).rows()), list(msp_report(scope=scope).csv_rows()))
    assert after == before
    assert not Person.objects.filter(given_name="Alice").exists()


def test_disposal_removes_the_personal_data_everywhere_and_keeps_a_tombstone(
    world, client_for, lead, second_lead, django_capture_on_commit_callbacks
):
    person = closed_case(
        team=world.north,
        closed_on=datetime.date(2018, 5, 1),
        lead=world.users["practitioner_north"],
        given_name="Zenobia",
        family_name="Quartermaine",
        nhs_number="9434765919",
        address="3 Elm Road",
        date_of_birth=datetime.date(1940, 2, 3),
        gender="female",
    )
    enquiry = person.enquiries.get()
    # An edit, so an earlier version holds the name too.
    Person.objects.get(pk=person.pk).save()
    NetworkMember.objects.create(person=person, name="Quentin Quartermaine", relationship="family")
    ConversationFactory(enquiry=enquiry, what_matters="Zenobia wants her garden back")
    DesiredOutcomeFactory(enquiry=enquiry, words="I want Quentin to stop visiting")
    document = _document(person, lead)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)

    disposal = _dispose(person, lead, second_lead, django_capture_on_commit_callbacks)

    person.refresh_from_db()
    assert person.given_name == person.family_name == person.nhs_number == person.address == ""
    assert person.description.startswith("Record disposed of on ")
    # The coded fields the returns count stay.
    assert (person.date_of_birth, person.gender) == (datetime.date(1940, 2, 3), "female")
    # No earlier version keeps what was removed.
    assert not person.history.filter(given_name="Zenobia").exists()
    assert not NetworkMember.history.filter(name__contains="Quartermaine").exists()
    assert not ConversationLog.history.filter(what_matters__contains="garden").exists()
    assert not ConversationLog.objects.filter(what_matters__contains="garden").exists()
    assert not DesiredOutcome.history.filter(words__contains="Quentin").exists()
    assert not Document.history.filter(title__contains="Alice").exists()
    assert not storage.exists(name)
    document.refresh_from_db()
    assert document.is_removed and document.removed_reason == "Disposed of under the retention schedule"
    # Unit staff still see removed documents listed; the file is gone, so opening it is "Page not found".
    opened = client_for(lead).get(reverse("documents:download", args=[document.pk]))
    assert opened.status_code == 404
    # The records themselves stay (never a hard delete), and the disposal says what went, as counts.
    assert Enquiry.objects.filter(person=person).count() == 1
    assert disposal.removed["Conversations"] == 1
    assert disposal.removed["Files"] == 1
    assert disposal.removed["People"] == 1
    assert disposal.removed["Earlier versions"] > 0
    assert AccessEvent.objects.filter(
        person=person, detail="Record disposed of under the retention schedule"
    ).exists()


def test_the_person_page_is_a_tombstone_after_disposal(
    world, client_for, lead, second_lead, django_capture_on_commit_callbacks
):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1), family_name="Tombstoned")
    disposal = _dispose(person, lead, second_lead, django_capture_on_commit_callbacks)
    today = timezone.localdate(disposal.carried_out_at)
    body = client_for(lead).get(person.get_absolute_url()).content.decode()
    assert f"Record disposed of on {today:%-d %B %Y} under the retention schedule" in body
    assert "Tombstoned" not in body
    page = client_for(lead).get(reverse("retention:person", args=[person.pk])).content.decode()
    assert "Disposed of" in page and "What was removed" in page
    # Every page about the record still opens, with nothing of the person on it.
    enquiry = person.enquiries.get()
    for url in (
        enquiry.get_absolute_url(),
        enquiry.concern.get_absolute_url(),
        reverse("enquiries:person_chronology", args=[person.pk]),
    ):
        response = client_for(lead).get(url)
        assert response.status_code == 200, url
        assert "Tombstoned" not in response.content.decode()
    # Nothing more can be proposed.
    assert services.disposal_propose_problems(person=person) == ["This record was disposed of"]


def test_nobody_approves_their_own_proposal(world, client_for, lead):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1))
    disposal = services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    with pytest.raises(services.DisposalRefused, match="Another unit lead must approve it"):
        services.disposal_approve(actor=actor(lead), disposal=disposal)
    # The page says so, and offers no approval.
    page = client_for(lead).get(reverse("retention:person", args=[person.pk])).content.decode()
    assert "You proposed this disposal. Another unit lead must approve it" in page
    assert "Review and approve" not in page
    response = client_for(lead).post(reverse("retention:approve", args=[disposal.pk]), {"confirm": "on"})
    assert response.status_code == 409
    disposal.refresh_from_db()
    assert disposal.status == Disposal.Status.PROPOSED
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Disposal.objects.filter(pk=disposal.pk).update(approved_by=lead, status="approved")


def test_the_pages_take_a_disposal_from_proposal_to_done(
    world, client_for, lead, second_lead, django_capture_on_commit_callbacks
):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1), family_name="Pagesdone")
    first, second = client_for(lead), client_for(second_lead)
    response = first.post(reverse("retention:propose", args=[person.pk]), {"reason": ""})
    assert "Enter why the record can be disposed of" in response.content.decode()
    response = first.post(
        reverse("retention:propose", args=[person.pk]), {"reason": "Reviewed: nothing open"}
    )
    assert response.status_code == 302
    disposal = Disposal.objects.get(person=person)
    response = second.post(reverse("retention:approve", args=[disposal.pk]), {})
    assert "Confirm that you have reviewed the record" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = second.post(reverse("retention:approve", args=[disposal.pk]), {"confirm": "on"})
    assert response.status_code == 302
    disposal.refresh_from_db()
    assert (disposal.status, disposal.proposed_by, disposal.approved_by) == ("carried_out", lead, second_lead)
    assert not Person.objects.filter(family_name="Pagesdone").exists()


def test_a_record_not_yet_due_or_still_open_cannot_be_proposed(world, client_for, lead):
    recent = closed_case(team=world.north, closed_on=timezone.localdate() - datetime.timedelta(days=30))
    problems = services.disposal_propose_problems(person=recent)
    assert problems and problems[0].startswith("This record is kept until ")
    response = client_for(lead).get(reverse("retention:propose", args=[recent.pk]))
    assert "This record is kept until" in response.content.decode()
    open_person = world.cases["north"][0]
    assert services.disposal_propose_problems(person=open_person) == [
        "A concern or enquiry of this person is still open"
    ]
    with pytest.raises(services.DisposalRefused):
        services.disposal_propose(actor=actor(lead), person=open_person, reason="x")


def test_a_case_reopened_after_approval_stops_the_disposal(world, lead, second_lead):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1), family_name="Reopened")
    disposal = services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    services.disposal_approve(actor=actor(second_lead), disposal=disposal)  # the task is not run yet
    Enquiry.objects.filter(person=person).update(status=Enquiry.Status.IN_PROGRESS)
    assert disposal_carry_out(disposal_id=disposal.pk).status == Disposal.Status.STOPPED
    assert Person.objects.filter(family_name="Reopened").exists()


def test_carrying_out_twice_changes_nothing_more(
    world, lead, second_lead, django_capture_on_commit_callbacks
):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1))
    disposal = _dispose(person, lead, second_lead, django_capture_on_commit_callbacks)
    again = disposal_carry_out(disposal_id=disposal.pk)
    assert again.removed == disposal.removed and again.carried_out_at == disposal.carried_out_at
    assert Disposal.objects.filter(person=person).count() == 1


def test_the_second_unit_lead_can_say_no_by_withdrawing_with_a_reason(world, client_for, lead, second_lead):
    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1), family_name="Keptafter")
    disposal = services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    client = client_for(second_lead)
    response = client.post(reverse("retention:withdraw", args=[disposal.pk]), {"reason": ""})
    assert "Enter why the disposal is withdrawn" in response.content.decode()
    client.post(reverse("retention:withdraw", args=[disposal.pk]), {"reason": "Family court case pending"})
    disposal.refresh_from_db()
    assert (disposal.status, disposal.ended_by, disposal.end_reason) == (
        "withdrawn",
        second_lead,
        "Family court case pending",
    )
    assert Person.objects.filter(family_name="Keptafter").exists()
    page = client.get(reverse("retention:person", args=[person.pk])).content.decode()
    assert "Withdrawn: Family court case pending" in page
    # A new proposal may follow; the withdrawn one stays on the record.
    services.disposal_propose(actor=actor(lead), person=person, reason="Court case over")
    assert Disposal.objects.filter(person=person).count() == 2


def test_an_approved_disposal_whose_task_was_lost_is_carried_out_by_the_nightly_task(
    world, lead, second_lead
):
    from msp_cases.retention.tasks import refresh_schedule

    person = closed_case(team=world.north, closed_on=datetime.date(2018, 5, 1), family_name="Losttask")
    disposal = services.disposal_propose(actor=actor(lead), person=person, reason="Retention period passed")
    services.disposal_approve(actor=actor(second_lead), disposal=disposal)  # its task never sent
    refresh_schedule()  # within the hour: left to its own task
    assert Person.objects.filter(family_name="Losttask").exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        refresh_schedule()
    disposal.refresh_from_db()
    assert disposal.status == Disposal.Status.CARRIED_OUT
    assert not Person.objects.filter(family_name="Losttask").exists()
