"""The subject access pack, rendered by the export worker as its requester sees the record: a ZIP holding

    index.pdf                             what is inside, what was withheld and why, the third parties marked
    record.pdf                            the person, their network, every concern and every conversation
    enquiries/enquiry-<id>-….pdf          each enquiry's case summary (outcomes, plan, decisions, meetings,
                                          closure), My Safeguarding Experience Part 1 and Part 2, and
                                          "My safeguarding plan"
    letters/letter-<id>.<ext>             letters filed on the record (documents of the letter kind)
    documents/document-<id>.<ext>         every other document that may be served (scanned clean or not
                                          scanned); never an infected or unscanned file
    removed-in-error/document-<id>.<ext>  documents removed in error: still held, so included, with a note

File names inside the pack are ids, never titles: a title may name someone. Every PDF's HTML goes through the
third-party marker (marking.py) before it is made a PDF; documents and letters cannot be marked inside, so
the index lists each for review."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from enquiries.exports import case_summary_context
from feedback.pdf import experience_context, safeguarding_plan_context
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents.models import Document
from msp_cases.exports.registry import pdf_context

from . import selectors
from .marking import NOTE, Marker

# The scan states a file is never included in: why, in words for the index.
WITHHELD_REASONS = {
    Document.ScanStatus.AWAITING_SCAN: "Not yet scanned for viruses: include it once the scan has finished",
    Document.ScanStatus.INFECTED: "A virus was found in the file: it is never released",
    Document.ScanStatus.SCAN_FAILED: "The virus scan failed: ask for it to be scanned again",
}


@dataclass
class Entry:
    path: str
    what: str
    note: str = ""


def _document_path(folder: str, stem: str, document: Document) -> str:
    suffix = PurePosixPath(document.file.name).suffix.lower()
    return f"{folder}/{stem}-{document.pk}{suffix}"


def _document_what(document: Document) -> str:
    date = document.document_date or timezone.localdate(document.uploaded_at)
    return f"{document.get_kind_display()}: {document.title} ({date:%-d %B %Y})"


class _Pack:
    def __init__(self, export, person, request):
        self.export = export
        self.user = export.requested_by
        self.person = person
        self.request = request
        self.files: list[tuple[str, bytes]] = []
        self.entries: list[Entry] = []
        self.withheld: list[Entry] = []
        self.third_parties = selectors.third_parties(user=self.user, person=person)
        own_names = [person.given_name, person.family_name, *person.preferred_name.split()]
        own_names += person.other_names.split()  # names they have been known by are their own too
        self.marker = Marker(self.third_parties, own_names)
        self.common = {**pdf_context(export), "person": person, "sar": request, "third_party_note": NOTE}

    def pdf(self, path: str, what: str, template: str, context: dict) -> None:
        page = render_to_string(template, {**context, **self.common, "pack_marking": True})
        content = html_to_pdf(self.marker.mark(_with_marking_style(page)), base_url=str(settings.BASE_DIR))
        self.files.append((path, content))
        self.entries.append(Entry(path, what))

    def document(self, folder: str, stem: str, document: Document, note: str = "") -> None:
        if not document.is_servable:
            self.withheld.append(Entry(_document_what(document), WITHHELD_REASONS[document.scan_status]))
            return
        with document.file.open("rb") as handle:
            content = handle.read()
        path = _document_path(folder, stem, document)
        self.files.append((path, content))
        self.entries.append(Entry(path, _document_what(document), note))

    def build(self) -> bytes:
        self.pdf(
            "record.pdf",
            "The person's record: their details, network, concerns and conversations",
            "subject_access/pdf/record.html",
            selectors.person_record(user=self.user, person=self.person),
        )
        for enquiry in selectors.person_enquiries_for_pack(user=self.user, person=self.person):
            stem = f"enquiries/enquiry-{enquiry.pk}"
            opened = f"{enquiry.get_enquiry_type_display()} opened {enquiry.opened_at:%-d %B %Y}"
            self.pdf(
                f"{stem}-case-summary.pdf",
                f"Case summary: {opened}",
                "exports/pdf/case_summary.html",
                case_summary_context(user=self.user, enquiry=enquiry),
            )
            for part in ("1", "2"):
                context = experience_context(user=self.user, enquiry=enquiry, part=part)
                if context["record"] is not None:
                    self.pdf(
                        f"{stem}-experience-part-{part}.pdf",
                        f"My Safeguarding Experience Part {part}: {opened}",
                        f"feedback/pdf/part{part}.html",
                        context,
                    )
            plan = safeguarding_plan_context(user=self.user, enquiry=enquiry)
            if plan["outcomes"] or plan["actions"]:
                self.pdf(
                    f"{stem}-my-safeguarding-plan.pdf",
                    f"My safeguarding plan: {opened}",
                    "feedback/pdf/safeguarding_plan.html",
                    {**plan, "today": timezone.localdate()},
                )
        held, removed = selectors.documents_for_pack(user=self.user, person=self.person)
        review = "Review for third-party information before release"
        for document in held:
            if document.kind == Document.Kind.LETTER:
                self.document("letters", "letter", document, review)
            else:
                self.document("documents", "document", document, review)
        for document in removed:
            self.document(
                "removed-in-error",
                "document",
                document,
                f"Removed in error on {document.removed_at:%-d %B %Y}: {document.removed_reason}. "
                "Still held, so included; decide whether it is the person’s information before release",
            )
        index = render_to_string(
            "subject_access/pdf/index.html",
            {
                **self.common,
                "entries": self.entries,
                "withheld": self.withheld,
                "third_parties": [p for p in self.third_parties if p.count],
                "third_parties_unfound": [p for p in self.third_parties if not p.count],
            },
        )
        # The index names the third parties on purpose (the reviewer's list), so it is not marked itself.
        index_pdf = html_to_pdf(index, base_url=str(settings.BASE_DIR))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("index.pdf", index_pdf)
            for path, content in self.files:
                archive.writestr(path, content)
        return out.getvalue()


MARKING_STYLE = (
    "<style>mark.third-party { background: #ffdd00; color: #0b0c0c; padding: 0 0.5mm; }"
    " .third-party-note { font-weight: bold; font-size: 0.85em; color: #0b0c0c; }</style>"
)


def _with_marking_style(page: str) -> str:
    """The mark's look in every PDF of the pack, including those whose templates are not the pack's own."""
    return page.replace("</head>", MARKING_STYLE + "</head>", 1)


def render_pack(export) -> bytes:
    """The pack for the export's request (its params: the person's and the request's ids), as its requester
    sees the record. Out of scope or no longer a unit lead: 404, which the export mechanism reports."""
    person = selectors.person_for_pack(user=export.requested_by, pk=export.params.get("person"))
    request = selectors.request_for_pack(person=person, pk=export.params.get("request"))
    return _Pack(export, person, request).build()
