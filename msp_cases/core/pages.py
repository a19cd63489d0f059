"""Form pages, written once. `versioned_form_page` does in Python what templates/includes/form_page.html
does in markup: one page that changes a versioned record (msp_cases.core.models.Versioned), from the form
shown at the record's version to the redirect after the save, with the ways such a page says no:

- the record is closed to changes (a closed enquiry): the refusal page instead of the form, 200 for a GET
  and 409 for a POST, and nothing is saved;
- someone else saved first (msp_cases.core.concurrency.ConcurrentEditError): 409, the form again with what
  this user typed, what the other person changed listed above it, fields this user left alone taking the
  other person's values, and the newer version carried, so saving again is a deliberate choice;
- the service refuses (a stage that no longer allows it): 409 with its message above the form;
- the service finds a problem the form could not see: its messages on the form's fields.

Pages with no version (adding a plan action, a meeting) use it too, for the same refusal and redirect."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from msp_cases.core.concurrency import ConcurrentEditError
from msp_cases.core.exceptions import NotFound, NotPermitted, ServiceRefused


def versioned_form_page(
    request: HttpRequest,
    *,
    form_class: type[forms.BaseForm],
    template: str,
    context: dict,
    save: Callable[[forms.BaseForm], Any],
    success_url: str | Callable[[Any], str],
    success_message: str | Callable[[Any], str],
    initial: dict | None = None,
    form_kwargs: Callable[[models.Model | None], dict] | None = None,
    record: models.Model | None = None,
    closed: str = "",
    refused_template: str = "",
    refusals: tuple[type[Exception], ...] = (),
    audit: Callable[[], None] | None = None,
    describe_conflict: Callable[[forms.BaseForm, models.Model], dict] | None = None,
    service_error_status: int = 200,
    shown_data: dict | None = None,
) -> HttpResponse:
    """One edit page. `save(form)` calls the one service with the valid form and returns what it saved;
    `record` is what the form edits (its history gives the values a user started from); `form_kwargs(obj)`
    builds the form's extra arguments for that record, or for the newer one after a crossed save; `closed` is
    the message when the record is closed to changes; `audit()` records that the form was shown;
    `shown_data` is what to show in the form on a GET instead of `initial` (a restored draft)."""
    status = 200 if request.method == "GET" else 409
    if closed:
        return render(request, refused_template, {**context, "message": closed}, status=status)
    kwargs_for = form_kwargs or (lambda obj: {})
    if request.method != "POST":
        if audit is not None:
            audit()
        if shown_data is not None:
            form = shown_as_typed(form_class, shown_data, initial=initial, **kwargs_for(record))
        else:
            form = form_class(initial=initial, **kwargs_for(record))
        return render(request, template, {**context, "form": form})

    form = form_class(request.POST, **kwargs_for(record))
    status = 200
    extra: dict = {}
    # A form may ask to be shown again before saving (the outcomes' check that the words are the person's).
    if form.is_valid() and not getattr(form, "needs_confirmation", False):
        try:
            saved = save(form)
        except ConcurrentEditError as conflict:
            form, extra = _crossed_save(
                form, conflict.current, form_class, kwargs_for, describe_conflict or conflict_context
            )
            status = 409
        except refusals as refusal:
            form.add_error(None, refusal.message)
            status = 409
        except (NotPermitted, NotFound):
            raise  # Django's 403 and 404 pages
        except ServiceRefused as refusal:  # any other "no" from the service, shown on the form
            form.add_error(None, refusal.message)
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
            status = service_error_status
        else:
            text = success_message(saved) if callable(success_message) else success_message
            messages.success(request, text)
            return redirect(success_url(saved) if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form, **extra}, status=status)


def shown_as_typed(form_class: type[forms.BaseForm], data, **kwargs) -> forms.BaseForm:
    """A form showing values typed earlier (a restored draft) that have not been sent yet: bound, so every
    input (dates in three boxes, checkbox groups) shows exactly what was typed, but with no error messages,
    since nobody has asked to save. Saving still validates as usual."""
    form = form_class(data, **kwargs)
    form._errors = ErrorDict()
    return form


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's messages on the fields they name, the rest above the form. A form whose questions are not
    the model's fields one for one (a date and a time for one moment) places them with its own
    `add_service_errors(errors)`, given field name -> messages."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    if hasattr(form, "add_service_errors"):
        form.add_service_errors(error.message_dict)
        return
    for name, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _crossed_save(form, current, form_class, kwargs_for, describe) -> tuple[forms.BaseForm, dict]:
    """Someone else saved first. The notice compares the record as this user loaded it with the record now;
    fields this user left alone take the other person's values; the form carries the newer version. (A record
    with no version, such as an entry corrected by amendment, has `describe` put in `form.data` what the form
    must carry instead.)"""
    form.initial = values_at_version(current, form.cleaned_data.get("version"), form)
    extra = describe(form, current)
    data = form.data.copy()
    if hasattr(current, "version"):
        data["version"] = str(current.version)
    again = form_class(data, initial=form.initial, **kwargs_for(current))
    again.is_valid()
    return again, extra


def values_at_version(record: models.Model, version: int | None, form: forms.BaseForm) -> dict:
    """The values of the form's fields as the record was at `version` (from its history), so a conflict
    notice lists exactly what the other person changed. Nothing loaded (a create) means every value they saved
    is their change."""
    history = getattr(record, "history", None)
    if not version or history is None or record.pk is None:
        return {}
    old = history.filter(version=version).order_by("-history_date").first()
    if old is None:
        return {}
    return {name: getattr(old, name) for name in form.fields if name != "version" and hasattr(old, name)}


def conflict_context(form: forms.BaseForm, current: models.Model) -> dict:
    """What to show when a save was refused because someone else saved first: their values for the fields
    this form edits that they changed, and who saved. The user's own input stays in the bound form."""
    changes = []
    model_fields = {f.name for f in current._meta.get_fields()}
    for name, field in form.fields.items():
        # Only real model fields: a form field may share a name with a model property (e.g. `with_whom`).
        if name == "version" or name not in model_fields:
            continue
        if isinstance(current._meta.get_field(name), models.ManyToManyField):
            # History keeps no many-to-many values, so there is nothing honest to compare against.
            continue
        theirs = getattr(current, name)
        if hasattr(current, f"get_{name}_display"):
            theirs = getattr(current, f"get_{name}_display")()
        if str(form.initial.get(name, "")) != str(getattr(current, name, "")):
            changes.append((field.label or name, theirs))
    _take_their_untouched_changes(form, current)
    latest = current.history.first() if hasattr(current, "history") else None
    by = latest.history_user if latest and isinstance(latest.history_user, get_user_model()) else None
    return {"conflict": current, "conflict_changes": changes, "conflict_by": by}


def _take_their_untouched_changes(form: forms.BaseForm, current: models.Model) -> None:
    """A three-way merge for the re-shown form: where this user left a field as they loaded it and the other
    person changed it, show the other person's value, so saving again does not quietly undo their change.
    Fields this user changed keep this user's input. (Fields made of several inputs, such as GOV.UK dates,
    lists and many-to-many fields are left as typed; the notice lists them.)"""
    loaded_version = getattr(form, "cleaned_data", {}).get("version")
    history = getattr(current, "history", None)
    if not loaded_version or history is None:
        return
    loaded = history.filter(version=loaded_version).first()
    if loaded is None:
        return
    model_fields = {f.name: f for f in current._meta.concrete_fields}
    data = form.data.copy()
    for name, field in form.fields.items():
        model_field = model_fields.get(name)
        if name == "version" or model_field is None or isinstance(field.widget, forms.MultiWidget):
            continue
        if getattr(field.widget, "allow_multiple_selected", False):
            continue
        theirs, before = getattr(current, model_field.attname), getattr(loaded, model_field.attname)
        mine = form.cleaned_data.get(name)
        mine = mine.pk if isinstance(mine, models.Model) else mine
        if theirs == before or (mine or None) != (before or None):
            continue  # they did not change it, or this user changed it too: keep this user's input
        html_name = form.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if theirs:
                data[html_name] = "on"
            else:
                data.pop(html_name, None)
        else:
            data[html_name] = "" if theirs is None else str(theirs)
    form.data = data
