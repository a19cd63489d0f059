"""What every report page shares: the permission, the period form read from the query string, and the
freshness of figures kept between requests (msp_cases.reports.cache) with "Recalculate now"."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone

from msp_cases.core.periods import financial_year
from msp_cases.oversight import may_oversee

from ..cache import Kept, recalculated_now
from ..forms import ReportPeriodForm
from ..scope import ReportScope, scope_for


def reports_required(view):
    """Practitioners and administrators get "You cannot do this" (403), as for other pages outside a role."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_oversee(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def period_from_request(request) -> tuple[ReportScope | None, ReportPeriodForm]:
    """The scope the query string asks for, and the bound form to show. The scope is None when the period
    asked for is not valid: the page then shows the form with its errors and no figures, since figures of
    another period (and buttons to download them) under the error would be taken for the ones asked for."""
    default_start, default_end = financial_year(timezone.localdate())
    if not {"start_0", "start_1", "start_2", "end_0", "end_1", "end_2", "team"} & set(request.GET):
        form = ReportPeriodForm(
            user=request.user,
            initial={"start": default_start, "end": default_end},
        )
        return scope_for(user=request.user, start=default_start, end=default_end), form
    form = ReportPeriodForm(request.GET, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        return scope_for(user=request.user, start=data["start"], end=data["end"], team=data["team"]), form
    return None, form


def recalculate_requested(request) -> bool:
    """A press of "Recalculate now": a POST to the report's own address, its period in the query string."""
    return request.method == "POST"


def recalculated(request, *kept: Kept):
    """After "Recalculate now": back to the report as a GET, so reloading the page does not count again. The
    message says whether the new figures are there, or still being counted by a worker."""
    if recalculated_now(*kept):
        messages.success(request, "Figures recalculated")
    else:
        messages.info(
            request, "The figures are being counted again. Refresh the page in a minute to see them."
        )
    return redirect(request.get_full_path())


def freshness(request, kept: Kept) -> dict:
    """What the page says about when its figures were counted (or that they are being counted), and where
    "Recalculate now" posts."""
    return {
        "as_at": kept.as_at,
        "as_at_today": kept.as_at is not None and timezone.localdate(kept.as_at) == timezone.localdate(),
        "recounting": kept.recounting,
        "kept_minutes": max(1, round(settings.REPORT_CACHE_SECONDS / 60)),
        "recalculate_action": request.get_full_path(),
        "refresh_url": request.get_full_path(),
    }
