"""The short form a unit lead fills in to produce a pack: the request's reference, when it was received, and
why they are producing it (kept with the request: gathering everything about a person is recorded)."""

from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin, required_message


class SubjectAccessRequestForm(GovFormMixin, forms.Form):
    reference = forms.CharField(
        label="Request reference",
        max_length=40,
        help_text="The reference from your information governance log, for example SAR-2026-0142. "
        "Do not use the person’s name.",
        error_messages={
            **required_message("Enter the request reference"),
            "max_length": "The request reference must be 40 characters or fewer",
        },
    )
    received_on = GovDateField(
        label="Date the request was received",
        what="the date the request was received",
        help_text="For example, 27 3 2026. The response is due one calendar month from this date.",
    )
    reason = forms.CharField(
        label="Why are you producing the pack?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, “Request from the person by letter, identity checked”. This is recorded.",
        error_messages={
            **required_message("Enter why you are producing the pack"),
            "max_length": "Why you are producing the pack must be 1000 characters or fewer",
        },
    )
