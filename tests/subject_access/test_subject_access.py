"""Subject access packs: a unit lead asks for one from the person's page; the export worker gathers
everything held about the person into a ZIP with a PDF index; other people's names are marked for redaction
review and the first page says so; infected and unscanned files are withheld and listed; asking and
downloading are recorded against the person; everyone but a unit lead gets "Page not found"."""

import datetime
import io
import re
import subprocess
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, Meeting, NetworkMember
from msp_cases.accounts import roles
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents.models import Document
from msp_cases.documents.services import Upload, document_remove, document_upload
from msp_cases.exports.models import Export
from msp_cases.exports.rendering import REASON_NO_ACCESS, export_render
from msp_cases.frontdoor.models import Referral
from msp_cases.subject_access.marking import NOTE, Marker, ThirdParty
from msp_cases.subject_access.models import SubjectAccessRequest, statutory_due_date
from tests.feedback.factories_feedback import Part1Factory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

MARK = re.escape(NOTE)
FIRST_PAGE_STATEMENT = (
    "This pack contains third-party information marked for redaction review. "
    "It must be reviewed before release."
)


def pdf_text(content: bytes, *, first_page_only: bool = False) -> str:
    pages = ["-f", "1", "-l", "1"] if first_page_only else []
    out = subprocess.run(
        ["pdftotext", *pages, "-", "-"], input=content, capture_output=True, check=True
    ).stdout
    return " ".join(out.decode().split())


def _add_document(record, user, *, title: str, kind=Document.Kind.REPORT, name="report.pdf") -> Document:
    content = html_to_pdf(f"<h1>{title}</h1>", base_url="/")
    [document] = document_upload(
        actor=Actor.of(user),
        record=record,
        uploads=[Upload(name=name, file=SimpleUploadedFile(name, content))],
        title=title,
        kind=kind,
    )
    return document


@pytest.fixture
def held(world):
    """The North person's record with someone in their network, a named referrer, a conversation that
    mentions both, an outcome, Part 1, and documents: a letter, a report, an infected file, one not yet
    scanned and one removed in error."""
    person, concern, enquiry = world.cases["north"]
    lead = enquiry.lead_practitioner
    NetworkMember.objects.create(
        person=person, name="Sam Okafor", relationship="friend", contact="07700 900123"
    )
    concern.referrer_name = "Dana Whitfield"
    concern.referrer_organisation = "Riverside Surgery"
    concern.save()
    ConversationLog.objects.create(
        person=person,
        enquiry=enquiry,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        recorded_by=lead,
        with_person=True,
        method="face_to_face",
        what_matters="Sam came round on Sunday and took my bank card. Dana Whitfield rang the office.",
        wants_to_happen="I want my money back & to feel safe <at home>",
    )
    Meeting.objects.create(
        enquiry=enquiry,
        kind="strategy",
        held_on=timezone.localdate(),
        attendees="Luca Romano (neighbour), the team manager",
        participation="attended",
        created_by=lead,
    )
    Referral.objects.create(
        referrer_type=Referral.ReferrerType.PUBLIC,
        submitted_at=timezone.now() - datetime.timedelta(days=5),
        what_happened="I saw Sam take her purse at the post office",
        adult_knows="yes",
        safe_to_contact="yes",
        referrer_name="Pat Reynolds",
        referrer_phone="01632 960001",
        person=person,
    )
    DesiredOutcomeFactory(enquiry=enquiry, words="To keep control of my own money", created_by=lead)
    Part1Factory(enquiry=enquiry)
    letter = _add_document(enquiry, lead, title="Letter to the person", kind=Document.Kind.LETTER)
    report = _add_document(person, lead, title="Care provider report")
    infected = _add_document(enquiry, lead, title="Scanned photo of the bank statement")
    Document.objects.filter(pk=infected.pk).update(scan_status=Document.ScanStatus.INFECTED)
    waiting = _add_document(enquiry, lead, title="Minutes of the strategy meeting")
    Document.objects.filter(pk=waiting.pk).update(scan_status=Document.ScanStatus.AWAITING_SCAN)
    removed = _add_document(enquiry, lead, title="GP letter about someone else")
    document_remove(actor=Actor.of(lead), document=removed, reason="Added to the wrong person's record")
    return {"letter": letter, "report": report, "infected": infected, "waiting": waiting, "removed": removed}


def _ask(client, person, django_capture_on_commit_callbacks, **fields):
    data = {
        "reference": "SAR-2026-0142",
        "received_on_0": "3",
        "received_on_1": "12",
        "received_on_2": "2026",
        "reason": "Request from the person by letter, identity checked",
        **fields,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("subject_access:new", args=[person.pk]), data)


def _download(client, export):
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


@pytest.fixture
def pack(world, held, client_for, django_capture_on_commit_callbacks):
    person = world.cases["north"][0]
    client = client_for(world.users["unit_lead"])
    response = _ask(client, person, django_capture_on_commit_callbacks)
    request = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:detail", args=[request.export_id])
    request.export.refresh_from_db()
    assert request.export.status == Export.Status.READY
    download, body = _download(client, request.export)
    return {
        "client": client,
        "request": request,
        "download": download,
        "zip": zipfile.ZipFile(io.BytesIO(body)),
    }


def test_the_pack_holds_everything_in_files_named_by_id_only(world, held, pack):
    names = pack["zip"].namelist()
    enquiry = world.cases["north"][2]
    assert names[0] == "index.pdf"
    assert "record.pdf" in names
    assert f"enquiries/enquiry-{enquiry.pk}-case-summary.pdf" in names
    assert f"enquiries/enquiry-{enquiry.pk}-experience-part-1.pdf" in names
    assert f"enquiries/enquiry-{enquiry.pk}-my-safeguarding-plan.pdf" in names  # the outcome is a plan
    assert f"letters/letter-{held['letter'].pk}.pdf" in names
    assert f"documents/document-{held['report'].pk}.pdf" in names
    assert f"removed-in-error/document-{held['removed'].pk}.pdf" in names
    # Never a file that may not be served.
    withheld = {f"document-{held[key].pk}." for key in ("infected", "waiting")}
    assert not any(name.rsplit("/", 1)[-1].startswith(tuple(withheld)) for name in names), names
    # No one's name in a file name: the pack's or any inside it.
    assert not any("Casename" in name or "Okafor" in name for name in names)
    disposition = pack["download"]["Content-Disposition"]
    assert f'filename="subject-access-request-{pack["request"].pk}.zip"' in disposition
    assert pack["download"]["Content-Type"] == "application/zip"
    detail = pack["client"].get(reverse("exports:detail", args=[pack["request"].export_id])).content.decode()
    assert "Download Subject access pack (ZIP)" in detail
    # The documents are the files as held.
    assert (
        pack["zip"].read(f"letters/letter-{held['letter'].pk}.pdf") == held["letter"].file.open("rb").read()
    )


def test_the_index_says_on_its_first_page_that_third_party_information_must_be_reviewed(pack, held):
    index = pack["zip"].read("index.pdf")
    first_page = pdf_text(index, first_page_only=True)
    assert FIRST_PAGE_STATEMENT in first_page
    assert "Subject access pack" in first_page and "SAR-2026-0142" in first_page
    assert "Response due by 4 January 2027" in first_page  # received 3 December; 3 January is a Sunday
    whole = pdf_text(index)
    # What is inside, what was withheld and why, and who was marked.
    assert "record.pdf" in whole and f"letters/letter-{held['letter'].pk}.pdf" in whole
    assert "Scanned photo of the bank statement" in whole and "A virus was found in the file" in whole
    assert "Minutes of the strategy meeting" in whole and "Not yet scanned for viruses" in whole
    assert "Removed in error on" in whole and "Added to the wrong person's record" in whole.replace("’", "'")
    assert "Sam Okafor Network: friend" in whole
    assert "Dana Whitfield Referrer of the concern received" in whole
    assert "Pat Reynolds Reported a concern online on" in whole


def test_other_peoples_names_are_marked_wherever_they_appear(pack):
    record = pdf_text(pack["zip"].read("record.pdf"))
    assert FIRST_PAGE_STATEMENT.split(".")[0] not in record  # the record has its own shorter line
    assert "Third-party information is marked for redaction review" in record
    # The conversation, verbatim, with both names marked where they are written.
    assert re.search(
        rf"Sam {MARK} came round on Sunday and took my bank card\. Dana Whitfield {MARK} rang", record
    )
    assert "I want my money back & to feel safe <at home>" in record
    # The network member and the referrer's details, marked as whole fields.
    assert re.search(rf"Sam Okafor {MARK}", record)
    assert re.search(rf"Riverside Surgery {MARK}", record)
    assert re.search(rf"07700 900123 {MARK}", record)
    assert re.search(rf"Luca Romano \(neighbour\), the team manager {MARK}", record)  # who attended a meeting
    # What was reported online, in the reporter's words, with the reporter's details marked.
    assert re.search(rf"I saw Sam {MARK} take her purse at the post office", record)
    assert re.search(rf"Pat Reynolds {MARK}", record) and re.search(rf"01632 960001 {MARK}", record)
    # Not one unmarked mention of them anywhere in the record.
    assert record.count("Sam") == len(re.findall(rf"Sam(?: Okafor)? {MARK}", record))
    assert record.count("Whitfield") == len(re.findall(rf"Whitfield {MARK}", record))
    # The person's own name is theirs: never marked.
    assert "Casename-north" in record and not re.search(rf"Casename-north {MARK}", record)


def test_the_case_summary_in_the_pack_is_marked_too(world, pack):
    enquiry = world.cases["north"][2]
    summary = pdf_text(pack["zip"].read(f"enquiries/enquiry-{enquiry.pk}-case-summary.pdf"))
    assert "To keep control of my own money" in summary  # the desired outcome
    assert re.search(rf"Sam {MARK} came round", summary)


def test_asking_and_downloading_are_recorded_against_the_person(world, pack):
    person = world.cases["north"][0]
    lead = world.users["unit_lead"]
    events = AccessEvent.objects.filter(user=lead, person=person)
    asked = events.get(action=AccessEvent.Action.EXPORT)
    assert asked.detail == "Subject access pack requested"
    assert asked.object_id == pack["request"].pk and asked.content_type.model == "subjectaccessrequest"
    assert events.get(action=AccessEvent.Action.DOWNLOAD).detail == "Subject access pack downloaded"
    # The request keeps why it was produced; the record of access shows it to unit staff.
    assert pack["request"].reason == "Request from the person by letter, identity checked"
    log = pack["client"].get(reverse("enquiries:person_access_log", args=[person.pk])).content.decode()
    assert "Subject access pack requested" in log and "Subject access pack downloaded" in log


def test_the_person_page_lists_the_request_with_its_due_date_for_a_unit_lead(world, pack, client_for):
    person = world.cases["north"][0]
    page = pack["client"].get(person.get_absolute_url()).content.decode()
    assert "Produce a subject access pack" in page
    assert "SAR-2026-0142" in page and "4 January 2027" in page
    assert f'href="/exports/{pack["request"].export_id}/">Ready to download' in page
    for role in ("unit", "practitioner_north", "manager_north"):
        page = client_for(world.users[role]).get(person.get_absolute_url()).content.decode()
        assert "subject access" not in page.lower(), role


@pytest.mark.parametrize("role", ["practitioner_north", "manager_north", "unit", "admin"])
def test_anyone_but_a_unit_lead_is_refused(world, client_for, role, django_capture_on_commit_callbacks):
    person = world.cases["north"][0]
    client = client_for(world.users[role])
    assert client.get(reverse("subject_access:new", args=[person.pk])).status_code == 404
    assert _ask(client, person, django_capture_on_commit_callbacks).status_code == 404
    # Nor straight through the export mechanism.
    response = client.post(reverse("exports:request"), {"kind": "subject_access_pack", "person": person.pk})
    assert response.status_code == 404
    assert not SubjectAccessRequest.objects.exists() and not Export.objects.exists()


def test_a_unit_lead_may_produce_a_restricted_persons_pack_and_no_one_else_may_open_it(
    world, client_for, django_capture_on_commit_callbacks
):
    person = world.cases["restricted_north"][0]
    lead = client_for(world.users["unit_lead"])
    assert lead.get(reverse("subject_access:new", args=[person.pk])).status_code == 200
    assert _ask(lead, person, django_capture_on_commit_callbacks).status_code == 302
    export = SubjectAccessRequest.objects.get().export
    export.refresh_from_db()
    assert export.status == Export.Status.READY
    # Unit staff may open other people's exports, but not a pack: it needs a unit lead.
    unit = client_for(world.users["unit"])
    assert unit.get(reverse("exports:detail", args=[export.pk])).status_code == 404
    assert unit.get(reverse("exports:download", args=[export.pk])).status_code == 404
    # Named on the record is not enough either.
    manager = client_for(world.users["manager_north"])
    assert manager.get(reverse("subject_access:new", args=[person.pk])).status_code == 404


def test_a_person_who_does_not_exist_is_page_not_found(world, client_for):
    lead = client_for(world.users["unit_lead"])
    assert lead.get(reverse("subject_access:new", args=[999999])).status_code == 404


def test_a_lead_who_loses_the_role_before_the_pack_is_made_gets_no_pack(
    world, client_for, django_capture_on_commit_callbacks
):
    """The lead lost the role between asking and the worker's turn: no pack, and the export says why."""
    person = world.cases["north"][0]
    lead_user = world.users["unit_lead"]
    lead = client_for(lead_user)
    with django_capture_on_commit_callbacks(execute=False):
        lead.post(
            reverse("subject_access:new", args=[person.pk]),
            {
                "reference": "SAR-1",
                "received_on_0": "1",
                "received_on_1": "12",
                "received_on_2": "2026",
                "reason": "Letter",
            },
        )
    lead_user.groups.remove(Group.objects.get(name=roles.UNIT_LEAD))  # the role taken away
    export = export_render(export_id=SubjectAccessRequest.objects.get().export_id)
    assert export.status == Export.Status.FAILED and not export.file
    assert export.failure_reason == REASON_NO_ACCESS


def test_try_again_on_a_failed_pack_makes_a_new_one_for_the_same_request(
    world, client_for, django_capture_on_commit_callbacks
):
    person = world.cases["north"][0]
    lead = client_for(world.users["unit_lead"])
    with django_capture_on_commit_callbacks(execute=False):
        _ask(lead, person, django_capture_on_commit_callbacks)
    first = SubjectAccessRequest.objects.get().export
    Export.objects.filter(pk=first.pk).update(status=Export.Status.FAILED, failure_reason=REASON_NO_ACCESS)
    page = lead.get(person.get_absolute_url()).content.decode()
    assert f'href="/exports/{first.pk}/">Failed' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("exports:retry", args=[first.pk]))
    second = Export.objects.exclude(pk=first.pk).get()
    assert response.url == reverse("exports:detail", args=[second.pk])
    assert second.status == Export.Status.READY
    assert second.params["request"] == SubjectAccessRequest.objects.get().pk
    page = lead.get(person.get_absolute_url()).content.decode()
    assert f'href="/exports/{second.pk}/">Ready to download' in page  # the request's latest pack


def test_the_form_shows_every_problem_at_once(world, client_for, django_capture_on_commit_callbacks):
    person = world.cases["north"][0]
    lead = client_for(world.users["unit_lead"])
    page = lead.get(reverse("subject_access:new", args=[person.pk])).content.decode()
    due = statutory_due_date(timezone.localdate())
    assert f"it is due by {due.day} {due:%B %Y}" in page
    response = _ask(
        lead, person, django_capture_on_commit_callbacks, reference="", reason=" ", received_on_2="2999"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the request reference" in body
    assert "Enter why you are producing the pack" in body
    assert "The date the request was received must be today or in the past" in body
    assert not SubjectAccessRequest.objects.exists()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 9, 3), datetime.date(2026, 10, 5)),  # 3 October is a Saturday
        (datetime.date(2025, 1, 31), datetime.date(2025, 2, 28)),  # no 31 February: the month's last day
        # into the next year: Friday 1 January is New Year's Day, then the weekend
        (datetime.date(2026, 12, 1), datetime.date(2027, 1, 4)),
        (datetime.date(2026, 3, 3), datetime.date(2026, 4, 7)),  # Good Friday 3 April, Easter Monday 6 April
        (datetime.date(2026, 3, 10), datetime.date(2026, 4, 10)),
    ],
)
def test_the_response_is_due_one_calendar_month_after_receipt(received, due):
    assert statutory_due_date(received) == due


def test_the_marker_marks_names_not_words_and_leaves_tags_alone():
    marker = Marker(
        [ThirdParty("Rose Tyler", "Network: friend"), ThirdParty("O'Brien", "Referrer")],
        own_names=["Margaret", "Tyler"],
    )
    html = (
        '<html><head><title>Rose Tyler</title></head><body><p title="Rose">Rose rang; the river rose.</p>'
        "<p>ROSE TYLER and Tyler and O&#x27;Brien</p><mark>Rose</mark></body></html>"
    )
    marked = marker.mark(html)
    assert "<title>Rose Tyler</title>" in marked and 'title="Rose"' in marked
    assert '<mark class="third-party">Rose</mark>' in marked and "the river rose." in marked
    assert '<mark class="third-party">ROSE TYLER</mark>' in marked  # the whole name, in any case
    assert "and Tyler and" in marked  # the person's own family name is not marked on its own
    assert '<mark class="third-party">O&#x27;Brien</mark>' in marked
    assert "<mark>Rose</mark></body>" in marked  # already marked: left alone
