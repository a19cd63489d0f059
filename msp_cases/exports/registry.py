"""What can be exported: one entry per kind, each saying what it is called, the name the download is saved
as (never a person's name: a file name ends up in download folders, email attachments and logs), who may ask
for it and how it is rendered.

The apps that own what is exported register their kinds from `AppConfig.ready()` (grep `register(ExportKind`
and `EXPORT_KINDS`): enquiries the case summary (enquiries.exports), feedback My Safeguarding Experience and
"My safeguarding plan" (feedback.exports), reports their returns (msp_cases.reports.kinds). This module knows
none of them.

A kind about one case (`needs_enquiry`) is allowed to whoever may see that case (msp_cases.access), checked
when it is requested and again when it is rendered. Report exports register kinds with `needs_enquiry=False`
and their own `allowed` rule, e.g. a permission, and put their filters in `params`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from msp_cases import access


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str
    # "enquiry-{enquiry}-case-summary.pdf": formatted with the export's params (ids and plain values only)
    filename: str
    # (export) -> bytes; runs in the worker, as the requester
    render: Callable
    # (user, enquiry or None, params) -> bool
    allowed: Callable
    needs_enquiry: bool = True
    # For a kind about one case: (user=, pk=) -> the enquiry in that user's scope, or Http404. Given by the
    # app that registers the kind, so this mechanism knows nothing of enquiries.
    find_enquiry: Callable | None = None
    content_type: str = "application/pdf"
    # For a kind not about one case but about one person (a subject access pack): (params) -> (record,
    # person), what its request and downloads are recorded against, so the person's record of access shows
    # them. Without it, such an export is recorded against its requester.
    recorded_against: Callable | None = None

    def filename_for(self, params: dict) -> str:
        return self.filename.format(**params)


def may_see_enquiry(user, enquiry, params) -> bool:
    return enquiry is not None and access.is_in_scope(user, enquiry)


def recorded_against(kind: ExportKind, export_enquiry, params: dict, user) -> tuple:
    """(record, person) an export's request or download is recorded against: its case, the record the kind
    names, or else its requester."""
    if export_enquiry is not None:
        return export_enquiry, export_enquiry.person
    if kind.recorded_against is not None:
        return kind.recorded_against(params)
    return user, None


def pdf_context(export) -> dict:
    """What every PDF shows in its header and footer: who generated it and when."""
    user = export.requested_by
    return {
        "generated_by": user.full_name or user.get_username(),
        "generated_at": timezone.localtime(),
        "export": export,
    }


REGISTRY: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    """Add (or, for the same key, replace) a kind: from an app's `AppConfig.ready()`."""
    REGISTRY[kind.key] = kind
    return kind


def get(key: str) -> ExportKind | None:
    return REGISTRY.get(key)
