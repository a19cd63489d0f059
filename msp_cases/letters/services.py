"""Writes for letters: keeping the templates (unit leads and administrators), and making a letter from one
(whoever may change the case), which files the PDF on the enquiry as a document.

The PDF is made in the request, not by the export worker: a letter is a page or two of text with no tables
(about a fifth of a second to lay out), the practitioner is waiting to see it filed, and the words they
edited are personal data that the export queue, which carries ids only, would have to keep a second copy
of while it waited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from enquiries.models import Enquiry
from msp_cases.accounts.roles import EDIT_CASE, MANAGE_LETTER_TEMPLATES
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import versioned_update
from msp_cases.core.exceptions import NotFound, NotPermitted
from msp_cases.documents.made import document_file_made
from msp_cases.documents.models import Document

from .models import LetterTemplate
from .pdf import letter_pdf
from .placeholders import MISSING

TEMPLATE_FIELDS = ("title", "purpose", "audience", "format", "heading", "body", "is_active")


def _require_keeper(actor: Actor) -> None:
    if not actor.user.has_perm(MANAGE_LETTER_TEMPLATES):
        raise NotPermitted("Only unit leads and administrators keep the letter templates")


def template_create(*, actor: Actor, **fields) -> LetterTemplate:
    _require_keeper(actor)
    with transaction.atomic():
        template = LetterTemplate(**{name: fields[name] for name in TEMPLATE_FIELDS})
        template.full_clean()
        template.save()
        access_record(
            actor=actor, obj=template, action=AccessEvent.Action.CREATE, detail="Letter template added"
        )
    return template


def template_update(
    *, actor: Actor, template: LetterTemplate, expected_version: int, **fields
) -> LetterTemplate:
    """Saved only if nobody else saved since `expected_version` (msp_cases.core.concurrency); the earlier
    wording stays in the template's history."""
    _require_keeper(actor)
    return versioned_update(
        actor=actor,
        instance=template,
        expected_version=expected_version,
        changes={name: fields[name] for name in TEMPLATE_FIELDS},
        detail="Letter template changed",
    )


def letter_make_problems(*, recipient_name: str, heading: str, text: str) -> dict[str, list[str]]:
    """Every reason the letter cannot be made yet, by field."""
    problems: dict[str, list[str]] = {}
    if not recipient_name.strip():
        problems["recipient_name"] = ["Enter the name of the person the letter is to"]
    if not heading.strip():
        problems["heading"] = ["Enter the heading of the letter"]
    elif MISSING in heading:
        problems["heading"] = [f"Replace {MISSING} in the heading, or take it out"]
    if not text.strip():
        problems["text"] = ["Enter the words of the letter"]
    elif MISSING in text:
        problems["text"] = [
            f"Replace each {MISSING} with what to say, or take it out: the case has nothing recorded there"
        ]
    return problems


def letter_make(
    *,
    actor: Actor,
    enquiry: Enquiry,
    template: LetterTemplate,
    recipient_name: str,
    recipient_address: str,
    heading: str,
    text: str,
) -> Document:
    """Make the letter as the practitioner left it and file it on the enquiry (a document of kind "letter",
    listed with the documents and on the timeline as "Letter made"), recorded in the record of access with
    the template and its version."""
    if not actor.user.has_perm(EDIT_CASE, enquiry):
        raise NotFound()
    problems = letter_make_problems(recipient_name=recipient_name, heading=heading, text=text)
    if problems:
        raise ValidationError(problems)
    content = letter_pdf(
        heading=heading.strip(),
        text=text,
        recipient_name=recipient_name.strip(),
        recipient_address=recipient_address.strip(),
        team_name=enquiry.team.name,
        easy_read=template.format == LetterTemplate.Format.EASY_READ,
    )
    name = str(template)
    return document_file_made(
        actor=actor,
        record=enquiry,
        content=content,
        title=name,
        kind=Document.Kind.LETTER,
        # Never the person's name: a file name ends up in download folders and email attachments.
        original_name=f"{slugify(name)}.pdf",
        provided_by=f"Made from the letter template “{template.title}” (version {template.version})",
        detail=f"Letter made: {name}, template version {template.version}",
    )
