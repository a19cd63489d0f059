"""What can be exported: one entry per kind, each saying what it is called, the name the download is saved
as (never a person's name: a file name ends up in download folders, email attachments and logs), who may ask
for it and how it is rendered.

A kind about one case (`needs_enquiry`) is allowed to whoever may see that case (msp_cases.access), checked
when it is requested and again when it is rendered. Report exports (issue 6) register kinds with
`needs_enquiry=False` and their own `allowed` rule, e.g. a permission, and put their filters in `params`."""

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
    content_type: str = "application/pdf"

    def filename_for(self, params: dict) -> str:
        return self.filename.format(**params)


def may_see_enquiry(user, enquiry, params) -> bool:
    return enquiry is not None and access.is_in_scope(user, enquiry)


def pdf_context(export) -> dict:
    """What every PDF shows in its header and footer: who generated it and when."""
    user = export.requested_by
    return {
        "generated_by": user.full_name or user.get_username(),
        "generated_at": timezone.localtime(),
        "export": export,
    }


def _enquiry(export):
    from enquiries.selectors import enquiry_get_for_user

    # As the requester sees it: the same access layer the pages use (404 if the case has left their scope).
    return enquiry_get_for_user(user=export.requested_by, pk=export.enquiry_id)


def render_case_summary(export) -> bytes:
    from msp_cases.core.pdf import template_to_pdf

    from .selectors import case_summary_context

    enquiry = _enquiry(export)
    context = case_summary_context(user=export.requested_by, enquiry=enquiry)
    return template_to_pdf("exports/pdf/case_summary.html", {**context, **pdf_context(export)})


def _render_experience(part: str) -> Callable:
    def render(export) -> bytes:
        from feedback.pdf import experience_context
        from msp_cases.core.pdf import template_to_pdf

        context = experience_context(user=export.requested_by, enquiry=_enquiry(export), part=part)
        return template_to_pdf(f"feedback/pdf/part{part}.html", {**context, **pdf_context(export)})

    return render


def render_safeguarding_plan(export) -> bytes:
    from feedback.pdf import safeguarding_plan_context
    from msp_cases.core.pdf import template_to_pdf

    context = safeguarding_plan_context(user=export.requested_by, enquiry=_enquiry(export))
    return template_to_pdf(
        "feedback/pdf/safeguarding_plan.html",
        {**context, **pdf_context(export), "today": timezone.localdate()},
    )


REGISTRY: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    REGISTRY[kind.key] = kind
    return kind


def get(key: str) -> ExportKind | None:
    return REGISTRY.get(key)


register(
    ExportKind(
        key="case_summary",
        title="Case summary",
        filename="enquiry-{enquiry}-case-summary.pdf",
        render=render_case_summary,
        allowed=may_see_enquiry,
    )
)
register(
    ExportKind(
        key="experience_part1",
        title="My Safeguarding Experience Part 1",
        filename="enquiry-{enquiry}-experience-part-1.pdf",
        render=_render_experience("1"),
        allowed=may_see_enquiry,
    )
)
register(
    ExportKind(
        key="experience_part2",
        title="My Safeguarding Experience Part 2",
        filename="enquiry-{enquiry}-experience-part-2.pdf",
        render=_render_experience("2"),
        allowed=may_see_enquiry,
    )
)
register(
    ExportKind(
        key="safeguarding_plan",
        title="My safeguarding plan",
        filename="enquiry-{enquiry}-my-safeguarding-plan.pdf",
        render=render_safeguarding_plan,
        allowed=may_see_enquiry,
    )
)
