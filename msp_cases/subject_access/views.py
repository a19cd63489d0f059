"""Subject access: the form a unit lead fills in on the way to the pack. Thin: the selector decides who may,
the service records the request and asks for the pack, the export's page shows its progress."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor

from . import selectors, services
from .forms import SubjectAccessRequestForm
from .models import statutory_due_date


@require_http_methods(["GET", "POST"])
def subject_access_request_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.person_for_pack(user=request.user, pk=pk)
    actor = Actor.from_request(request)
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sar = services.subject_access_request_record(
            actor=actor,
            person=person,
            reference=form.cleaned_data["reference"],
            received_on=form.cleaned_data["received_on"],
            reason=form.cleaned_data["reason"],
        )
        return redirect("exports:detail", pk=sar.export_id)
    if request.method == "GET":
        access_record(actor=actor, obj=person, detail="Subject access request form")
    today = timezone.localdate()
    return render(
        request,
        "subject_access/new.html",
        {
            "form": form,
            "person": person,
            "title": "Produce a subject access pack",
            "submit_label": "Produce the pack",
            "cancel_url": person.get_absolute_url(),
            "example_received": today,
            "example_due": statutory_due_date(today),
        },
        status=400 if request.method == "POST" else 200,
    )
