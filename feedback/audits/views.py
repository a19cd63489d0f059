"""Case-file audit pages for the safeguarding unit: the samples, drawing one, a sample's progress, and the
audit of one enquiry (append-only; a revision keeps the earlier versions). Anyone else: 403. Thin views:
fetch in scope, parse the form, call one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.pages import shown_as_typed
from msp_cases.core.periods import financial_year
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard

from . import forms, hints, selectors, services


def _require_unit(request: HttpRequest) -> None:
    if not services.may_audit(request.user):
        raise PermissionDenied


@require_GET
def sample_list(request: HttpRequest) -> HttpResponse:
    _require_unit(request)
    return render(
        request, "feedback/audits/sample_list.html", {"samples": selectors.sample_list(user=request.user)}
    )


@require_http_methods(["GET", "POST"])
def sample_draw(request: HttpRequest) -> HttpResponse:
    _require_unit(request)
    if request.method == "POST":
        form = forms.SampleDrawForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            sample = services.audit_sample_draw(
                user=request.user,
                start=data["start"],
                end=data["end"],
                team=data["team"],
                size=data["size"],
                seed=data["seed"],
            )
            messages.success(request, f"Sample drawn: {sample.items.count()} enquiries")
            return redirect("feedback:audit_sample", pk=sample.pk)
    else:
        start, end = financial_year(timezone.localdate())
        form = forms.SampleDrawForm(
            initial={"start": start, "end": end, "size": 10, "seed": services.new_seed()}
        )
    return render(
        request,
        "feedback/audits/sample_draw.html",
        {
            "form": form,
            "title": "Draw an audit sample",
            "submit_label": "Draw the sample",
            "cancel_url": reverse("feedback:audit_samples"),
        },
    )


@require_GET
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_unit(request)
    sample = selectors.sample_get(user=request.user, pk=pk)
    rows, hidden = selectors.sample_rows(user=request.user, sample=sample)
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[row.enquiry.person_id for row in rows],
        detail="Name shown in a case-file audit sample",
    )
    return render(
        request,
        "feedback/audits/sample_detail.html",
        {
            "sample": sample,
            "rows": rows,
            "hidden": hidden,
            "audited": sum(1 for row in rows if row.audit),
        },
    )


@require_http_methods(["GET", "POST"])
def audit_enquiry(request: HttpRequest, sample_pk: int, pk: int) -> HttpResponse:
    _require_unit(request)
    actor = Actor.from_request(request)
    sample = selectors.sample_get(user=request.user, pk=sample_pk)
    enquiry = selectors.sampled_enquiry_get(user=request.user, sample=sample, pk=pk)
    history = selectors.audit_history(sample=sample, enquiry=enquiry)
    current = history[0] if history else None
    record_hints = hints.checklist_hints(enquiry=enquiry)
    # What the auditor types is kept as their draft until they save (msp_cases.drafts); it keeps the audit it
    # revises (`replaces`), so a draft older than someone else's audit is refused on saving as a conflict.
    draft = draft_for_page(request, f"case-file-audit:sample-enquiry:{sample.pk}-{enquiry.pk}")
    context = {
        "sample": sample,
        "enquiry": enquiry,
        "person": enquiry.person,
        "current": current,
        "earlier": history[1:],
        "title": "Revise the audit" if current else "Audit this case file",
        "submit_label": "Save the revised audit" if current else "Save the audit",
        "cancel_url": reverse("feedback:audit_sample", args=[sample.pk]),
        **draft.context,
    }
    if request.method == "POST":
        form = forms.CaseFileAuditForm(request.POST, hints=record_hints)
        if form.is_valid():
            try:
                services.case_file_audit_record(
                    actor=actor,
                    sample=sample,
                    enquiry=enquiry,
                    replaces_id=form.cleaned_data["replaces"],
                    answers=form.answers(),
                )
            except services.AuditConflict as e:
                data = form.data.copy()
                data["replaces"] = str(e.current.pk) if e.current else ""
                form = forms.CaseFileAuditForm(data, hints=record_hints)
                return render(
                    request,
                    "feedback/audits/audit_form.html",
                    {**context, "form": form, "current": e.current, "audit_conflict": e.current},
                    status=409,
                )
            draft_discard(user=request.user, key=draft.key)
            messages.success(request, "Audit saved")
            return redirect(context["cancel_url"])
    elif draft.continuing:
        form = shown_as_typed(forms.CaseFileAuditForm, draft.data, hints=record_hints)
        access_record(actor=actor, obj=enquiry, detail="Case-file audit")
    else:
        form = forms.CaseFileAuditForm(
            initial=forms.CaseFileAuditForm.initial_for(current), hints=record_hints
        )
        access_record(actor=actor, obj=enquiry, detail="Case-file audit")
    return render(request, "feedback/audits/audit_form.html", {**context, "form": form})


urlpatterns = [
    path("audits/", sample_list, name="audit_samples"),
    path("audits/draw/", sample_draw, name="audit_sample_draw"),
    path("audits/<int:pk>/", sample_detail, name="audit_sample"),
    path("audits/<int:sample_pk>/enquiries/<int:pk>/", audit_enquiry, name="audit_enquiry"),
]
