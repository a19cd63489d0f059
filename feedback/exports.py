"""The PDFs My Safeguarding Experience offers for a case (registered in FeedbackConfig.ready): Part 1, Part 2
and "My safeguarding plan", each rendered by the export worker as the requester sees the case."""

from collections.abc import Callable

from django.utils import timezone

from enquiries.exports import enquiry_for_export
from enquiries.selectors import enquiry_get_for_user
from msp_cases.core.pdf import template_to_pdf
from msp_cases.exports.registry import ExportKind, may_see_enquiry, pdf_context

from .pdf import experience_context, safeguarding_plan_context


def _render_experience(part: str) -> Callable:
    def render(export) -> bytes:
        enquiry = enquiry_for_export(export)
        context = experience_context(user=export.requested_by, enquiry=enquiry, part=part)
        return template_to_pdf(f"feedback/pdf/part{part}.html", {**context, **pdf_context(export)})

    return render


def render_safeguarding_plan(export) -> bytes:
    context = safeguarding_plan_context(user=export.requested_by, enquiry=enquiry_for_export(export))
    return template_to_pdf(
        "feedback/pdf/safeguarding_plan.html",
        {**context, **pdf_context(export), "today": timezone.localdate()},
    )


EXPORT_KINDS = [
    ExportKind(
        key="experience_part1",
        title="My Safeguarding Experience Part 1",
        filename="enquiry-{enquiry}-experience-part-1.pdf",
        render=_render_experience("1"),
        allowed=may_see_enquiry,
        find_enquiry=enquiry_get_for_user,
    ),
    ExportKind(
        key="experience_part2",
        title="My Safeguarding Experience Part 2",
        filename="enquiry-{enquiry}-experience-part-2.pdf",
        render=_render_experience("2"),
        allowed=may_see_enquiry,
        find_enquiry=enquiry_get_for_user,
    ),
    ExportKind(
        key="safeguarding_plan",
        title="My safeguarding plan",
        filename="enquiry-{enquiry}-my-safeguarding-plan.pdf",
        render=render_safeguarding_plan,
        allowed=may_see_enquiry,
        find_enquiry=enquiry_get_for_user,
    ),
]
