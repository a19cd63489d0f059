"""Forms for keeping a case from drifting: a manager's review, and moving the next contact agreed with the
person (with their agreement)."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin, VersionField, required_message

from ..services.reviews import PERSON_AGREED_MESSAGE, next_contact_move_errors


class ManagerReviewForm(GovFormMixin, forms.Form):
    note = forms.CharField(
        label="Supervision note",
        help_text="What you reviewed, what you agreed with the practitioner and anything to do next. "
        "The practitioner will see this on the enquiry page.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={
            **required_message("Enter the supervision note"),
            "max_length": "The supervision note must be 5,000 characters or fewer",
        },
    )

    layout = Layout(Field.textarea("note", rows=6))


class NextContactChangeForm(GovFormMixin, forms.Form):
    to_date = GovDateField(
        label="New date of the next contact",
        what="the new date of the next contact",
        allow_future=True,
        help_text="For example, 27 3 2027",
    )
    how = forms.CharField(
        label="How will you contact them? (optional)",
        required=False,
        max_length=150,
        help_text="Leave blank to keep what was agreed.",
        error_messages={"max_length": "How you will contact them must be 150 characters or fewer"},
    )
    reason = forms.CharField(
        label="Why is the date moving?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            **required_message("Enter why the date moved"),
            "max_length": "Why the date moved must be 2,000 characters or fewer",
        },
    )
    person_agreed = forms.BooleanField(
        label="The person agreed to the new date",
        error_messages={"required": PERSON_AGREED_MESSAGE},
    )
    version = VersionField()

    layout = Layout(
        Field("to_date"),
        Field.text("how", field_width=20),
        Field.textarea("reason", rows=3),
        Field.checkbox("person_agreed"),
        Field("version"),
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean(self):
        data = super().clean()
        if "to_date" in data:
            errors = next_contact_move_errors(
                current=self.current, to_date=data["to_date"], reason="-", person_agreed=True
            )
            if "to_date" in errors:
                self.add_error("to_date", errors["to_date"])
        return data
