"""Helpers every case view shares."""

from django import forms
from django.db import models
from django.http import Http404, HttpRequest

from msp_cases.accounts.models import User
from msp_cases.accounts.roles import EDIT_CASE


def require_edit(request: HttpRequest, obj: models.Model) -> None:
    """Writing to a case record needs the shared access rule's `edit_case`. A record the user may see but not
    change (unit staff) or may not see at all answers 404 for a POST, so nothing leaks and nothing changes."""
    if not request.user.has_perm(EDIT_CASE, obj):
        raise Http404


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
    by = latest.history_user if latest and isinstance(latest.history_user, User) else None
    return {"conflict": current, "conflict_changes": changes, "conflict_by": by}


def _take_their_untouched_changes(form: forms.BaseForm, current: models.Model) -> None:
    """A three-way merge for the re-shown form: where this user left a field as they loaded it and the other
    person changed it, show the other person's value, so saving again does not quietly undo their change.
    Fields this user changed keep this user's input. (Fields made of several inputs, such as GOV.UK dates,
    and many-to-many fields are left as typed; the banner lists them.)"""
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
