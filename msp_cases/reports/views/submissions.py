"""Submitted versions of the SAC return: "Mark as submitted" for the period shown on the SAC page, the list
of versions, one version's figures exactly as submitted (and its workbook), and a version compared with the
figures now. Unit staff only (msp_cases.reports.submissions.may_submit_sac): the return is the council's."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import ServiceRefused
from msp_cases.core.forms import GovFormMixin

from ..models import SacSubmission
from ..sac.workbook import sac_workbook
from ..submissions import may_submit_sac
from ..submissions.comparison import sac_submission_compare
from ..submissions.frozen import submitted_return
from ..submissions.services import latest_version, sac_submission_create
from .base import period_from_request
from .drilldown import sac_cell_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def submissions_required(view):
    """Managers and practitioners get "You cannot do this" (403), as for a report outside their role."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_submit_sac(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class SacSubmitForm(GovFormMixin, forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        help_text="Such as the reference the Strategic Data Collection Service gave, or what this version "
        "corrects",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 500 characters or fewer"},
    )
    confirmed = forms.BooleanField(
        label="I confirm this return has been submitted to the Strategic Data Collection Service",
        error_messages={"required": "Confirm that this return has been submitted"},
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _submission(pk, *, with_records: bool = False) -> SacSubmission:
    """A version; its record ids (thousands of them for a large council) only for the comparison."""
    versions = SacSubmission.objects.select_related("submitted_by", "team")
    if not with_records:
        versions = versions.defer("record_ids")
    return get_object_or_404(versions, pk=pk)


@require_http_methods(["GET", "POST"])
@submissions_required
def sac_submit(request):
    """The confirmation page: the period and the council, who is marking it, a note, and a checkbox."""
    scope, _ = period_from_request(request)
    if scope is None or scope.team is not None:
        # Not a period, or one team's figures: the button is only on the council's return.
        raise Http404
    newest = latest_version(start=scope.start, end=scope.end)
    form = SacSubmitForm(request.POST if request.method == "POST" else None, initial={"seen_version": newest})
    if request.method == "POST" and form.is_valid():
        try:
            submission = sac_submission_create(
                actor=Actor.from_request(request),
                scope=scope,
                note=form.cleaned_data["note"],
                seen_version=form.cleaned_data["seen_version"],
            )
        except ServiceRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(
                request,
                f"SAC return marked as submitted: version {submission.version} for {scope.label}",
            )
            return redirect("reports:sac_submission", pk=submission.pk)
    query = request.GET.urlencode()
    return render(
        request,
        "reports/submissions/submit.html",
        {
            "form": form,
            "scope": scope,
            "council": settings.ORGANISATION_NAME,
            "newest": newest,
            "next_version": newest + 1,
            "sac_url": f"{reverse('reports:sac')}{'?' + query if query else ''}",
        },
    )


@require_GET
@submissions_required
def sac_submission_list(request):
    # The frozen figures and records stay in the database: the list shows who, when and the note.
    submissions = SacSubmission.objects.select_related("submitted_by", "team").defer("figures", "record_ids")
    return render(request, "reports/submissions/list.html", {"submissions": submissions})


@require_GET
@submissions_required
def sac_submission_detail(request, pk):
    submission = _submission(pk)
    figures = submitted_return(submission)
    suppress = request.GET.get("suppress") == "1"
    return render(
        request,
        "reports/submissions/detail.html",
        {
            "submission": submission,
            "scope": figures.scope,
            "suppress": suppress,
            "tables": [(table, table.display(suppress=suppress)) for table in figures.tables],
            "council": settings.ORGANISATION_NAME,
        },
    )


@require_GET
@submissions_required
def sac_submission_workbook(request, pk):
    """The workbook of the version, from its frozen figures: what was sent, whatever the records say now.
    Aggregates only, so it is made here rather than by an export worker (no person is named in it)."""
    submission = _submission(pk)
    suppress = request.GET.get("suppress") == "1"
    content = sac_workbook(
        submitted_return(submission),
        council=settings.ORGANISATION_NAME,
        suppress=suppress,
        made_at=submission.submitted_at,
    )
    access_record(
        actor=Actor.from_request(request),
        obj=submission,
        action=AccessEvent.Action.DOWNLOAD,
        detail=f"SAC return workbook as submitted, version {submission.version}",
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = f"sac-return-{submission.period_start}-to-{submission.period_end}-version-{submission.version}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@submissions_required
def sac_submission_compare_view(request, pk):
    submission = _submission(pk, with_records=True)
    comparison = sac_submission_compare(submission=submission, user=request.user)
    show_all = request.GET.get("all") == "1"
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=comparison.named_person_ids,
        detail="SAC return: records moved since a submitted version",
    )
    tables = [
        (table, table.cells if show_all else table.changed_cells)
        for table in comparison.tables
        if show_all or table.changed_cells
    ]
    return render(
        request,
        "reports/submissions/compare.html",
        {
            "submission": submission,
            "comparison": comparison,
            "tables": tables,
            "show_all": show_all,
            # Each figure now links to the records it counts now (views/drilldown.py).
            "cell_url": sac_cell_url(comparison.scope),
        },
    )


urlpatterns = [
    path("sac/submit/", sac_submit, name="sac_submit"),
    path("sac/submitted/", sac_submission_list, name="sac_submissions"),
    path("sac/submitted/<int:pk>/", sac_submission_detail, name="sac_submission"),
    path("sac/submitted/<int:pk>/workbook/", sac_submission_workbook, name="sac_submission_workbook"),
    path("sac/submitted/<int:pk>/compare/", sac_submission_compare_view, name="sac_submission_compare"),
]
