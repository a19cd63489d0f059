"""Photos and documents sent with the public "Report a concern" form.

Anyone may send a report, so the limits are small: up to MAX_FILES files, each smaller than MAX_BYTES, of
the types a case record takes, checked from their content as every document is (documents.files: libmagic,
photos re-saved without their location). A refused file refuses the whole choice, with nothing stored.

Until the report is sent the files are held for the journey (`documents.held`, holder "report:<key>"),
listed on the form's own page and on check answers, and cleared after a day if it is never sent. Sending
hands them to the referral (holder "kept:referral:<id>", not cleared by age). Nobody can open them from then
until screening, and the public never again: screening that records a concern files them as the concern's
documents (checked again, scanned for viruses by clamd before anyone can open them); screening that closes
the referral as not a safeguarding concern deletes them."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from enquiries.models import SafeguardingConcern
from msp_cases.core.actor import Actor
from msp_cases.documents import held
from msp_cases.documents.files import ALLOWED_WORDS, FileRefused, check_file, size_words
from msp_cases.documents.models import Document, HeldFile
from msp_cases.documents.services import Upload, document_upload_received

from ..models import Referral

MAX_FILES = 3
MAX_BYTES = 10 * 1024 * 1024
LIMITS_WORDS = f"Up to {MAX_FILES} files, each smaller than {size_words(MAX_BYTES)}: {ALLOWED_WORDS}."


def journey_holder(journey_key: str) -> str:
    return f"report:{journey_key}"


def referral_holder(referral_id: int) -> str:
    return f"{held.KEPT}referral:{referral_id}"


def report_files(*, journey_key: str) -> list[HeldFile]:
    return held.held_files(holder=journey_holder(journey_key))


def report_files_add(*, journey_key: str, uploads: Sequence[Upload]) -> list[HeldFile]:
    """Hold the chosen files for the journey, all or none. Raises ValidationError({"files": [...]}) with
    every problem at once."""
    if not uploads:
        raise ValidationError({"files": ["Select a file"]})
    already = len(report_files(journey_key=journey_key))
    if already + len(uploads) > MAX_FILES:
        left = MAX_FILES - already
        message = (
            f"You can send up to {MAX_FILES} files. Select {left} or fewer"
            if left
            else f"You can send up to {MAX_FILES} files. Remove one to add another"
        )
        raise ValidationError({"files": [message]})
    problems = []
    for upload in uploads:
        try:
            check_file(upload.name, upload.file, max_bytes=MAX_BYTES)
        except FileRefused as refused:
            problems.append(refused.message)
    if problems:
        raise ValidationError({"files": problems})
    with transaction.atomic():
        return [
            held.held_file_add(
                holder=journey_holder(journey_key), upload=upload, max_files=MAX_FILES, max_bytes=MAX_BYTES
            )
            for upload in uploads
        ]


def report_file_remove(*, journey_key: str, token: str) -> bool:
    return held.held_file_discard(holder=journey_holder(journey_key), token=token)


def referral_files_take(*, journey_key: str, referral: Referral) -> int:
    """The journey's files handed to the report it sent (inside `referral_submit`'s transaction)."""
    return held.held_files_transfer(
        from_holder=journey_holder(journey_key), to_holder=referral_holder(referral.pk), max_files=MAX_FILES
    )


def referral_files(*, referral: Referral) -> list[HeldFile]:
    """The files sent with a report and not yet filed: their names and sizes for the screening page."""
    return held.held_files(holder=referral_holder(referral.pk))


def referral_files_file(*, actor: Actor, referral: Referral, concern: SafeguardingConcern) -> list[Document]:
    """Screening recorded a concern: the report's files become its documents (scanned before anyone can
    open them), provided by "the person who reported it online" (their name, if given, is on the concern)."""
    return document_upload_received(
        actor=actor,
        record=concern,
        held=referral_files(referral=referral),
        title=f"Sent with online report {referral.reference}",
        provided_by="The person who reported the concern online",
    )


def referral_files_discard(*, referral: Referral) -> None:
    """Screening closed the report without a concern: its files are deleted, never kept on any record."""
    held.held_release(referral_files(referral=referral))
