"""Retention's short forms: a hold (why and the instruction's reference), lifting it, proposing a disposal,
approving one (a confirmation) and withdrawing one. Every reason is recorded with who gave it and when."""

from django import forms

from msp_cases.core.forms import GovFormMixin, required_message


def _reason(label: str, *, what: str, help_text: str = "", max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={
            **required_message(f"Enter {what}"),
            "max_length": f"{what[0].upper()}{what[1:]} must be {max_length} characters or fewer",
        },
    )


class HoldForm(GovFormMixin, forms.Form):
    reason = _reason(
        "Why must the record be kept?",
        what="why the record must be kept",
        help_text="For example, a notice from a public inquiry, a Safeguarding Adults Review, or litigation. "
        "Do not use the person’s name.",
    )
    reference = forms.CharField(
        label="Reference",
        max_length=100,
        required=False,
        help_text="The notice’s or the case’s reference, if it has one.",
        error_messages={"max_length": "The reference must be 100 characters or fewer"},
    )


class LiftForm(GovFormMixin, forms.Form):
    reason = _reason("Why is the hold lifted?", what="why the hold is lifted")


class ProposeForm(GovFormMixin, forms.Form):
    reason = _reason(
        "Why can the record be disposed of?",
        what="why the record can be disposed of",
        help_text="What you reviewed, for example ‘No open work, no holds, retention period passed; checked "
        "with the team’. Another unit lead reads this before approving.",
    )


class ApproveForm(GovFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label="I have reviewed the record and the reason, and approve its disposal",
        error_messages=required_message("Confirm that you have reviewed the record and approve its disposal"),
    )


class WithdrawForm(GovFormMixin, forms.Form):
    reason = _reason("Why is the disposal withdrawn?", what="why the disposal is withdrawn")
