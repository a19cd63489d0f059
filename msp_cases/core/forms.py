"""Form conventions: GOV.UK markup through crispy-forms-gds, errors in the GOV.UK voice, a hidden version
for concurrency, dates entered as day / month / year, and typed or pasted text taken as it was meant
(msp_cases.core.text): no control characters stored, and text with nothing visible counts as empty."""

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from msp_cases.core.text import has_visible_text, without_control_characters

# The most digits an id in a choice can have (a 64-bit integer has 19): longer is not one of the choices,
# and would overflow the database's integer before it could be looked up.
_MAX_ID_DIGITS = 18


class GovFormMixin:
    """Builds the crispy helper without a <form> tag (templates/includes/form_page.html owns the form, its
    CSRF token and buttons). Subclasses may set `layout` to a crispy Layout."""

    layout = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if self.layout is not None:
            self.helper.layout = self.layout

    def full_clean(self):
        # Here rather than in __init__, so fields a form adds after construction (the version) are covered.
        for field in self.fields.values():
            _guard_field(field)
        super().full_clean()


def _guard_field(field: forms.Field) -> None:
    """Every text field of every form: control characters removed, and text with no visible character (a
    zero-width space, spaces) is empty, so a required field says its own "Enter ..." message. Every choice
    of a record: an id too long to be one is "not one of the choices", never a database error."""
    if getattr(field, "_guarded", False):
        return
    field._guarded = True
    if isinstance(field, forms.CharField):
        to_python = field.to_python

        def visible_text(value, to_python=to_python):
            if isinstance(value, str):
                value = without_control_characters(value)
                if not has_visible_text(value):
                    value = ""
            return to_python(value)

        field.to_python = visible_text
    elif isinstance(field, forms.ModelChoiceField):
        clean = field.clean

        def known_ids_only(value, clean=clean, field=field):
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, str) and len(item.strip().lstrip("+-")) > _MAX_ID_DIGITS:
                    raise ValidationError(
                        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
            return clean(value)

        field.clean = known_ids_only


class VersionField(forms.IntegerField):
    """The version of the record the form was loaded at (msp_cases.core.concurrency)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, required=True, **kwargs)


def required_message(what: str) -> dict[str, str]:
    """Error messages in the GOV.UK voice: "Enter the date of the conversation"."""
    return {"required": what, "invalid": what, "invalid_choice": what}


class GovDateField(DateInputField):
    """Day / month / year, with errors in the GOV.UK voice about *this* date ("Enter the date capacity was
    assessed", "The date capacity was assessed must be a real date"). Dates in the future are refused
    unless `allow_future`. A partly filled date is an error, never silently dropped. A day or month of more
    than two digits, a year of other than four, or a year outside 1900 to 2999 is not a real date (and
    leaves room to add days to it: periods, due dates)."""

    FIRST_YEAR, LAST_YEAR = 1900, 2999

    def __init__(self, *, what: str, allow_future: bool = False, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.what = what
        self.allow_future = allow_future
        title = what[0].upper() + what[1:]
        self.error_messages.update(
            required=f"Enter {what}", incomplete=f"{title} must include a day, month and year"
        )
        digits = {"day": r"^[0-9]{1,2}$", "month": r"^[0-9]{1,2}$", "year": r"^[0-9]{4}$"}
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"{title} must include a {part}"
            field.validators = [RegexValidator(digits[part], f"{title} must be a real date")]
        self._real = f"{title} must be a real date"
        self._not_future = f"{title} must be today or in the past"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as exc:
            raise ValidationError(self._real, code="invalid") from exc
        if not self.FIRST_YEAR <= value.year <= self.LAST_YEAR:
            raise ValidationError(self._real, code="invalid")
        return value

    def validate(self, value):
        super().validate(value)
        if value and not self.allow_future and value > timezone.localdate():
            raise ValidationError(self._not_future, code="future")
