"""The page that allocates a concern awaiting a decision (enquiries.services.concern_allocation)."""

from django import forms

from msp_cases.core.forms import required_message

from ..models import SafeguardingConcern
from .enquiry import TransitionForm


class ConcernAllocateForm(TransitionForm):
    practitioner = forms.ModelChoiceField(
        label="Who should look at the concern?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=required_message("Select who should look at the concern"),
    )

    def __init__(self, *args, concern: SafeguardingConcern, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.fields["practitioner"].queryset = candidates
        if concern.allocated_to_id is not None:
            self.fields["practitioner"].label = "Who should look at the concern instead?"
            self.fields["practitioner"].help_text = f"It is allocated to {concern.allocated_to} now."
