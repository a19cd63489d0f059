"""Letter pages. The templates' pages are for those who keep them (unit leads and administrators; anyone else
gets 403, as for the reports they cannot run); making a letter is for whoever may change the case, and an
enquiry out of the user's scope is "Page not found"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from enquiries.views.base import require_edit
from msp_cases.accounts.roles import MANAGE_LETTER_TEMPLATES
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.pages import add_service_errors, shown_as_typed, versioned_form_page
from msp_cases.drafts.pages import draft_for_page
from msp_cases.drafts.services import draft_discard

from . import selectors, services
from .forms import LetterChooseForm, LetterForm, LetterTemplateForm
from .models import LetterTemplate
from .placeholders import PLACEHOLDERS, fill

TEMPLATE_FORM = "letters/template_form.html"


def _require_keeper(request: HttpRequest) -> None:
    if not request.user.has_perm(MANAGE_LETTER_TEMPLATES):
        raise PermissionDenied


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    return render(
        request,
        "letters/template_list.html",
        {"templates": list(selectors.template_list()), "title": "Letter templates"},
    )


def _template_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.TEMPLATE_FIELDS}


def _template_context(title: str, submit_label: str, **extra) -> dict:
    return {
        "title": title,
        "submit_label": submit_label,
        "cancel_url": reverse("letters:template_list"),
        "placeholders": PLACEHOLDERS.values(),
        "second_submit": ("preview", "Preview the letter"),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def template_add(request: HttpRequest) -> HttpResponse:
    _require_keeper(request)
    actor = Actor.from_request(request)
    previewing = "preview" in request.POST
    return versioned_form_page(
        request,
        form_class=LetterTemplateForm,
        form_kwargs=lambda _: {"previewing": previewing},
        template=TEMPLATE_FORM,
        context=_template_context("Add a letter template", "Save template"),
        save=lambda form: services.template_create(actor=actor, **_template_data(form)),
        success_message=lambda template: f"“{template.title}” saved",
        success_url=reverse("letters:template_list"),
    )


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_keeper(request)
    template = selectors.template_get(pk=pk)
    actor = Actor.from_request(request)
    previewing = "preview" in request.POST
    history = list(template.history.select_related("history_user").order_by("-history_date")[:10])
    return versioned_form_page(
        request,
        form_class=LetterTemplateForm,
        record=template,
        initial={"version": template.version},
        form_kwargs=lambda obj: {"instance": obj, "with_version": True, "previewing": previewing},
        template=TEMPLATE_FORM,
        context=_template_context(
            "Change a letter template", "Save changes", template=template, history=history
        ),
        save=lambda form: services.template_update(
            actor=actor,
            template=template,
            expected_version=form.cleaned_data["version"],
            **_template_data(form),
        ),
        success_message=lambda saved: f"“{saved.title}” saved",
        success_url=reverse("letters:template_list"),
    )


def _enquiry_for_letter(request: HttpRequest, pk: int):
    enquiry = selectors.enquiry_for_letter(user=request.user, pk=pk)
    require_edit(request, enquiry)
    return enquiry


@require_http_methods(["GET", "POST"])
def letter_choose(request: HttpRequest, pk: int) -> HttpResponse:
    enquiry = _enquiry_for_letter(request, pk)
    form = LetterChooseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect("letters:write", pk=enquiry.pk, template_pk=form.cleaned_data["template"].pk)
    return render(
        request,
        "letters/choose.html",
        {
            "form": form,
            "enquiry": enquiry,
            "person": enquiry.person,
            "title": "Make a letter",
            "submit_label": "Continue",
            "cancel_url": enquiry.get_absolute_url(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def letter_write(request: HttpRequest, pk: int, template_pk: int) -> HttpResponse:
    enquiry = _enquiry_for_letter(request, pk)
    template = selectors.template_offered_get(pk=template_pk)
    actor = Actor.from_request(request)
    # The words as the person changes them are kept as their draft until the letter is made
    # (msp_cases.drafts): on the server, for them alone, until it expires; never part of the record.
    draft = draft_for_page(request, f"letter-write:enquiry-template:{enquiry.pk}-{template.pk}")
    if request.method == "POST":
        form = LetterForm(request.POST)
        if form.is_valid():
            try:
                services.letter_make(actor=actor, enquiry=enquiry, template=template, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                draft_discard(user=request.user, key=draft.key)
                messages.success(request, f"Letter made: “{template}” is filed with the documents")
                return redirect(enquiry.get_absolute_url() + "#documents")
    elif draft.continuing:
        form = shown_as_typed(LetterForm, draft.data)
        access_record(actor=actor, obj=enquiry, detail=f"Make a letter form: {template}")
    else:
        # The first draft reads the case (the person's words, their outcomes) as this user may see it.
        values = selectors.letter_values(user=request.user, enquiry=enquiry)
        recipient = {
            LetterTemplate.Audience.PERSON: (values["person_name"], values["person_address"]),
            LetterTemplate.Audience.REFERRER: (values["referrer_name"], ""),
        }.get(template.audience, ("", ""))
        form = LetterForm(
            initial={
                "recipient_name": recipient[0],
                "recipient_address": recipient[1],
                "heading": fill(template.heading, values),
                "text": fill(template.body, values),
            }
        )
        access_record(actor=actor, obj=enquiry, detail=f"Make a letter form: {template}")
    return render(
        request,
        "letters/write.html",
        {
            "form": form,
            "enquiry": enquiry,
            "person": enquiry.person,
            "letter_template": template,
            "title": f"Make a letter: {template}",
            "submit_label": "Make the letter",
            "back_url": reverse("letters:choose", args=[enquiry.pk]),
            "cancel_url": enquiry.get_absolute_url(),
            **draft.context,
        },
        status=400 if request.method == "POST" else 200,
    )
