from django import forms

from msp_cases.core.forms import GovFormMixin


class AccountStatusForm(GovFormMixin, forms.Form):
    """Deactivate or reactivate an account: the reason is kept with the record of the change."""

    reason = forms.CharField(
        label="Why?",
        help_text=(
            "For example, ‘Left the council on 30 November’. It is kept with the record of the change."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why you are making this change"},
    )
