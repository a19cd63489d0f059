"""Form conventions: GOV.UK markup through crispy-forms-gds, errors in the GOV.UK voice, a hidden version
for concurrency, and dates entered as day / month / year."""

from crispy_forms_gds.helper import FormHelper
from django import forms


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
