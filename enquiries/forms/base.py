"""Form conventions: GOV.UK markup through crispy-forms-gds, errors in the GOV.UK voice, a hidden version
for concurrency, and dates entered as day / month / year."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone


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


class VersionField(forms.IntegerField):
    """The version of the record the form was loaded at (enquiries.services.concurrency)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, required=True, **kwargs)


def required_message(what: str) -> dict[str, str]:
    """Error messages in the GOV.UK voice: "Enter the date of the conversation"."""
    return {"required": what, "invalid": what, "invalid_choice": what}


class GovDateField(DateInputField):
    """Day / month / year, with errors in the GOV.UK voice about *this* date ("Enter the date capacity was
    assessed", "The date capacity was assessed must be a real date"). Dates in the future are refused
    unless `allow_future`. A partly filled date is an error, never silently dropped."""

    def __init__(self, *, what: str, allow_future: bool = False, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.what = what
        self.allow_future = allow_future
        title = what[0].upper() + what[1:]
        self.error_messages.update(
            required=f"Enter {what}", incomplete=f"{title} must include a day, month and year"
        )
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"{title} must include a {part}"
            field.validators = [RegexValidator(r"^[0-9]+$", f"{title} must be a real date")]
        self._real = f"{title} must be a real date"
        self._not_future = f"{title} must be today or in the past"

    def compress(self, data_list):
        try:
            value = super().compress(data_list)
        except ValidationError as exc:
            raise ValidationError(self._real, code="invalid") from exc
        if value is not None and value.year < 1900:
            raise ValidationError(self._real, code="invalid")
        return value

    def validate(self, value):
        super().validate(value)
        if value and not self.allow_future and value > timezone.localdate():
            raise ValidationError(self._not_future, code="future")
