"""Forms for the safeguarding plan (its actions and agreed date changes) and meetings."""

import datetime

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from msp_cases.core.forms import GovDateField, GovFormMixin, VersionField, required_message

from ..models import Enquiry
from ..models.choices import MeetingKind, MeetingParticipation, PlanActionStatus
from .enquiry import _radios, _text, _textarea


class PlanActionForm(GovFormMixin, forms.Form):
    what = _textarea("What is the action?", max_length=1000, required=True, what="what the action is")
    who = _text("Who will do it?", max_length=150, required=True, what="who will do it")
    due_on = GovDateField(label="By when?", what="the date the action is due by", allow_future=True)
    agreed_with_person = forms.TypedChoiceField(
        label="Was the action agreed with the person?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages=required_message("Select whether the action was agreed with the person"),
    )
    status = _radios(
        "Status",
        PlanActionStatus.choices,
        what="the status of the action",
        initial=PlanActionStatus.NOT_STARTED,
    )

    FIELDS = ["what", "who", "due_on", "agreed_with_person", "status"]

    layout = Layout(
        Field.textarea("what", rows=3),
        Field.text("who", field_width=20),
        Field("due_on"),
        Field.radios("agreed_with_person", inline=True),
        Field.radios("status", small=True),
    )

    def clean_due_on(self):
        due = self.cleaned_data.get("due_on")
        if due and due < datetime.date(2000, 1, 1):
            raise ValidationError("The date the action is due by must be a real date")
        return due

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PlanActionEditForm(PlanActionForm):
    """Changing the due date needs why it moved, and, for an action agreed with the person, their agreement
    (the service checks the same, and records the move)."""

    date_change_reason = _textarea(
        "If the date is changing, why is it moving?",
        max_length=2000,
        help_text="Needed when you change the date: the enquiry keeps every move.",
    )
    person_agreed = forms.BooleanField(
        label="The person agreed to the new date",
        required=False,
        help_text="Needed when the action was agreed with the person.",
    )
    version = VersionField()

    layout = Layout(
        *PlanActionForm.layout.fields,
        Field.textarea("date_change_reason", rows=2),
        Field.checkbox("person_agreed"),
        Field("version"),
    )

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        from ..services.plans import plan_action_date_move_errors

        data = super().clean()
        if self.action is not None:
            errors = plan_action_date_move_errors(
                action=self.action,
                due_on=data.get("due_on"),
                reason=data.get("date_change_reason", ""),
                person_agreed=data.get("person_agreed", False),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data

    def date_move(self) -> dict:
        return {
            "date_change_reason": self.cleaned_data.get("date_change_reason", ""),
            "person_agreed": bool(self.cleaned_data.get("person_agreed")),
        }

    @classmethod
    def initial_for(cls, action) -> dict:
        initial = {name: getattr(action, name) for name in cls.FIELDS}
        initial["agreed_with_person"] = "yes" if action.agreed_with_person else "no"
        initial["version"] = action.version
        return initial


class MeetingForm(GovFormMixin, forms.Form):
    kind = _radios("What kind of meeting was it?", MeetingKind.choices, what="the kind of meeting")
    held_on = GovDateField(label="When was the meeting held?", what="the date of the meeting")
    attendees = _textarea(
        "Who attended?",
        max_length=2000,
        required=True,
        what="who attended the meeting",
        help_text="Names, roles and organisations.",
    )
    participation = _radios(
        "How did the person take part?", MeetingParticipation.choices, what="how the person took part"
    )
    persons_views = _textarea("The person's views put to the meeting", max_length=5000)

    def __init__(self, *args, enquiry: Enquiry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry

    def clean_held_on(self):
        held = self.cleaned_data.get("held_on")
        concern = self.enquiry.concern if self.enquiry else None
        if held and concern and held < timezone.localdate(concern.received_at):
            raise ValidationError(
                "The date of the meeting must be on or after the day the concern was received"
            )
        return held
