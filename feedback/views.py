"""Pages for My Safeguarding Experience: Part 1, Part 2 and the organisation's perspective (each a
create-or-update of one record per enquiry, versioned), and the PDFs. Views are thin: fetch in scope, check
edit access, parse the form, call one service."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from enquiries import selectors as enquiry_selectors
from enquiries.models import Enquiry
from enquiries.services.lifecycle import EnquiryClosed, TransitionRefused
from enquiries.views.base import require_edit
from msp_cases import oversight
from msp_cases.accounts.roles import VIEW_ALL_CASES
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard
from msp_cases.exports import services as export_services
from msp_cases.exports.safe_csv import safe_writer

from . import forms, selectors, services
from .pdf import blank_form_html  # noqa: F401 (the blank_form_pdf command imports it from here)

FORM_TEMPLATE = "feedback/form.html"


def _context(enquiry: Enquiry, **extra) -> dict:
    return {
        "enquiry": enquiry,
        "person": enquiry.person,
        "cancel_url": enquiry.get_absolute_url() + "#experience",
        **extra,
    }


def _record_page(
    request,
    pk,
    *,
    title,
    form_class,
    current_of,
    save,
    success,
    draft_name,
    intro="",
    form_kwargs=None,
    back=None,
):
    enquiry = enquiry_selectors.enquiry_get_for_user(user=request.user, pk=pk)
    require_edit(request, enquiry)
    kwargs = form_kwargs(enquiry) if form_kwargs else {}
    current = current_of(enquiry)
    # What the person types is kept as their draft until they save (msp_cases.drafts); the draft keeps the
    # version it was typed against, so a stale one is refused on saving as a crossed save.
    draft = draft_for_page(request, f"{draft_name}:enquiry:{enquiry.pk}")

    def save_and_forget_draft(form):
        saved = save(enquiry, form)
        draft_discard(user=request.user, key=draft.key)
        return saved

    context = _context(enquiry, title=title, intro=intro, submit_label="Save", **draft.context)
    if back is not None:  # (url, label): where the page was asked for, to return there
        context.update(cancel_url=back[0], back_label=back[1])
    return versioned_form_page(
        request,
        form_class=form_class,
        form_kwargs=lambda _: kwargs,
        record=current,
        initial=form_class.initial_for(current),
        template=FORM_TEMPLATE,
        context=context,
        closed=EnquiryClosed().message if enquiry.status == Enquiry.Status.CLOSED else "",
        refused_template="feedback/refused.html",
        refusals=(TransitionRefused,),
        audit=lambda: access_record(
            actor=Actor.from_request(request), obj=current or enquiry, person=enquiry.person, detail=title
        ),
        save=save_and_forget_draft,
        shown_data=draft.data,
        success_message=success,
        success_url=context["cancel_url"],
    )


@require_http_methods(["GET", "POST"])
def part1_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def save(enquiry, form):
        services.experience_part1_save(
            actor=Actor.from_request(request),
            enquiry=enquiry,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        )

    return _record_page(
        request,
        pk,
        title="My Safeguarding Experience Part 1",
        intro="At the start: how the person wants to be involved and kept informed.",
        form_class=forms.Part1Form,
        current_of=lambda e: selectors.part1_for_enquiry(user=request.user, enquiry=e),
        save=save,
        success="Part 1 saved",
        draft_name="experience-part1",
    )


@require_http_methods(["GET", "POST"])
def part2_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def save(enquiry, form):
        services.experience_part2_save(
            actor=Actor.from_request(request),
            enquiry=enquiry,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            manager_agrees=form.cleaned_data.get("manager_agrees", False),
        )

    return _record_page(
        request,
        pk,
        title="My Safeguarding Experience Part 2",
        intro="At the end: what the person made of the enquiry, or why they were not approached.",
        form_class=forms.Part2Form,
        current_of=lambda e: selectors.part2_for_enquiry(user=request.user, enquiry=e),
        save=save,
        success="Part 2 saved",
        draft_name="experience-part2",
        form_kwargs=lambda e: {"may_agree": oversight.is_team_manager(request.user, e)},
    )


@require_http_methods(["GET", "POST"])
def organisation_perspective(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = enquiry_selectors.enquiry_get_for_user(user=request.user, pk=pk)
    require_edit(request, enquiry)
    if not oversight.is_team_manager(request.user, enquiry):
        raise PermissionDenied("Only a manager in the enquiry's team records the organisation's perspective")

    def save(enquiry, form):
        services.organisation_perspective_save(
            actor=Actor.from_request(request),
            enquiry=enquiry,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
        )

    # Asked for on the sign-off page (a fixed value, never an address from the request): go back there.
    from_sign_off = request.GET.urlencode() == services.FROM_SIGN_OFF
    return _record_page(
        request,
        pk,
        title="The organisation's perspective",
        intro="Recorded by a manager in the team at sign-off: the closure cannot be approved without it.",
        form_class=forms.OrganisationPerspectiveForm,
        current_of=lambda e: selectors.perspective_for_enquiry(user=request.user, enquiry=e),
        save=save,
        success="The organisation's perspective saved",
        draft_name="organisation-perspective",
        back=(reverse("enquiries:enquiry_sign_off", args=[pk]), "Back to the sign-off")
        if from_sign_off
        else None,
    )


# PDFs ------------------------------------------------------------------------------------------------------
# Rendered by the export task (msp_cases.exports), never in a request. The panel's buttons POST to
# exports:request; these older addresses still work: a POST asks for the export, a GET (a bookmark, an old
# link) goes back to the case's My Safeguarding Experience panel, where the buttons are.

PDF_EXPORTS = {"1": "experience_part1", "2": "experience_part2", "plan": "safeguarding_plan"}


def _pdf_request(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    enquiry = enquiry_selectors.enquiry_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        export = export_services.export_request(
            actor=Actor.from_request(request), kind=PDF_EXPORTS[which], enquiry=enquiry
        )
        return redirect("exports:detail", pk=export.pk)
    return redirect(f"{enquiry.get_absolute_url()}#experience")


@require_http_methods(["GET", "POST"])
def part1_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_request(request, pk, "1")


@require_http_methods(["GET", "POST"])
def part2_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_request(request, pk, "2")


@require_http_methods(["GET", "POST"])
def safeguarding_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """ "My safeguarding plan": a plain-language letter to the person. Anyone who may read the case may
    ask for it; the request and every download are recorded (msp_cases.exports)."""
    return _pdf_request(request, pk, "plan")


# Co-production ---------------------------------------------------------------------------------------------


@require_GET
def coproduction_export(request: HttpRequest) -> HttpResponse:
    """Anonymised Part 2 answers for a service-user-by-experience group (seed 002), as CSV: safeguarding
    unit staff only, and every download is recorded."""
    if not request.user.has_perm(VIEW_ALL_CASES):
        raise Http404
    form = forms.CoproductionPeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = selectors.part2_answer_counts(user=request.user, start=start, end=end)
        access_record(
            actor=Actor.from_request(request),
            obj=request.user,
            action=AccessEvent.Action.EXPORT,
            detail=f"Co-production export of Part 2 answers {start:%Y-%m-%d} to {end:%Y-%m-%d}",
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="my-safeguarding-experience-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"'
        )
        writer = safe_writer(response)
        writer.writerow(["Question", "Answer", "Number of people"])
        writer.writerows(rows)
        return response
    return render(
        request,
        "feedback/coproduction.html",
        {"form": form, "title": "Part 2 answers for co-production", "submit_label": "Download CSV"},
    )


app_name = "feedback"
urlpatterns = [
    path("enquiries/<int:pk>/experience/part-1/", part1_edit, name="part1_edit"),
    path("enquiries/<int:pk>/experience/part-2/", part2_edit, name="part2_edit"),
    path(
        "enquiries/<int:pk>/organisation-perspective/",
        organisation_perspective,
        name="organisation_perspective",
    ),
    path("enquiries/<int:pk>/experience/part-1.pdf", part1_pdf, name="part1_pdf"),
    path("experience/co-production/", coproduction_export, name="coproduction_export"),
    path("enquiries/<int:pk>/experience/part-2.pdf", part2_pdf, name="part2_pdf"),
    path(
        "enquiries/<int:pk>/my-safeguarding-plan.pdf",
        safeguarding_plan_pdf,
        name="safeguarding_plan_pdf",
    ),
]
