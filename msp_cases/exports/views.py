"""Export pages: request (POST), the export's page with its state, a JSON status for the page's script,
the download, and "My exports". Thin: the services do the work, the selectors decide who sees what."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record, access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.middleware import passive
from msp_cases.notifications.services import export_notifications_mark_read

from . import registry, rendering, selectors, services
from .models import Export

# The filters a report export may carry from its page's form.
REPORT_PARAMS = ("from", "to", "team", "suppress")


@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    """Ask for an export of a case: `kind` (a registry key) and `enquiry` (its id). Out of scope: 404."""
    kind = request.POST.get("kind", "")
    spec = registry.get(kind)
    if spec is None:
        raise Http404
    enquiry = None
    params = {}
    if spec.needs_enquiry:
        enquiry = spec.find_enquiry(user=request.user, pk=request.POST.get("enquiry", ""))
    else:
        # A report's filters (period, team, ...): short plain values only; the kind's `allowed` and render
        # check them again.
        params = {
            name: value
            for name in REPORT_PARAMS
            if (value := request.POST.get(name, "").strip()) and len(value) <= 40
        }
    export = services.export_request(
        actor=Actor.from_request(request), kind=kind, enquiry=enquiry, params=params
    )
    return redirect("exports:detail", pk=export.pk)


def _state(export: Export) -> dict:
    return {
        "export": export,
        "broker_down": export.status == Export.Status.QUEUED and export.enqueued_at is None,
        "finished": export.status in rendering.FINISHED,
    }


@require_GET
@never_cache
def export_detail(request: HttpRequest, pk) -> HttpResponse:
    export = selectors.export_get_for_user(user=request.user, pk=pk)
    # The export is only shown to someone who may see its case, so its person may be named.
    about = export.enquiry.person if export.enquiry_id else None
    if about is not None:
        access_record_list(
            actor=Actor.from_request(request), person_ids=[about.pk], detail="Name shown on an export"
        )
    title = f"{export.title}: {about.display_name}" if about else export.title
    return render(request, "exports/detail.html", {**_state(export), "title": title, "about": about})


@passive
@require_GET
@never_cache
def export_status(request: HttpRequest, pk) -> JsonResponse:
    """The state for the page's script: the status and the same status panel the page shows. The script
    asks every few seconds, so asking does not extend the session (only the person's own actions do)."""
    export = selectors.export_get_for_user(user=request.user, pk=pk)
    state = _state(export)
    return JsonResponse(
        {
            "status": export.status,
            "finished": state["finished"],
            "html": render_to_string("exports/_status.html", state, request=request),
        },
        headers={"Cache-Control": "no-store"},
    )


@require_GET
def export_download(request: HttpRequest, pk) -> HttpResponse:
    """The file, streamed from storage, for its requester or unit staff; every download is recorded."""
    export = selectors.export_get_for_user(user=request.user, pk=pk)
    if export.status != Export.Status.READY or not export.file:
        return redirect("exports:detail", pk=export.pk)
    try:
        handle = export.file.storage.open(export.file.name, "rb")
    except FileNotFoundError:
        # Deleted from storage behind our back (a manual clean-up): say so on the page, not a 500.
        rendering.export_fail(
            export_id=export.pk, reason="The file is no longer available. Ask for it again."
        )
        return redirect("exports:detail", pk=export.pk)
    record, person = registry.recorded_against(
        registry.get(export.kind), export.enquiry, export.params, request.user
    )
    access_record(
        actor=Actor.from_request(request),
        obj=record,
        action=AccessEvent.Action.DOWNLOAD,
        person=person,
        detail=f"{export.title} downloaded",
    )
    # Downloaded: its "ready" notification no longer waits to be read.
    export_notifications_mark_read(user=request.user, export_id=export.pk)
    response = FileResponse(
        handle, as_attachment=True, filename=export.filename, content_type=export.content_type
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def export_retry(request: HttpRequest, pk) -> HttpResponse:
    """ "Try again": a new request of the same kind for the same case (the failed one is kept as it was)."""
    old = selectors.export_get_for_user(user=request.user, pk=pk)
    enquiry = None
    if old.enquiry_id is not None:
        enquiry = registry.get(old.kind).find_enquiry(user=request.user, pk=old.enquiry_id)
    params = {k: v for k, v in old.params.items() if k != "enquiry"}
    export = services.export_request(
        actor=Actor.from_request(request), kind=old.kind, enquiry=enquiry, params=params
    )
    return redirect("exports:detail", pk=export.pk)


@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    exports = list(selectors.export_list_for_user(user=request.user))
    about = selectors.people_named(user=request.user, exports=exports)
    for export in exports:
        export.about = about.get(export.pk)
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[p.pk for p in about.values()],
        detail="Name shown in my exports",
    )
    return render(
        request,
        "exports/list.html",
        {"exports": exports, "title": "My exports", "expire_days": settings.EXPORTS_EXPIRE_DAYS},
    )
