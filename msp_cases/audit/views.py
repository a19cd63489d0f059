from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from msp_cases.accounts.roles import VIEW_ACCESS_LOG

from .selectors import access_events_recent


@require_GET
@permission_required(VIEW_ACCESS_LOG, raise_exception=True)
def recent(request: HttpRequest) -> HttpResponse:
    """The unit's view of recent reads and exports across the service, newest first."""
    events = access_events_recent(user=request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/recent.html", {"page": page})
