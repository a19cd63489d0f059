"""The page that allocates a concern awaiting a decision (enquiries.services.concern_allocation)."""

from django import forms

from msp_cases.core.forms import GovFormMixin, required_message

from ..models import SafeguardingConcern
from .enquiry import TransitionForm, _textarea


class ConcernAllocateForm(TransitionForm):
    practitioner = forms.ModelChoiceField(
        label="Who should look at the concern?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=required_message("Select who should look at the concern"),
    )

    reason = _textarea("Why is the concern being re-allocated?", max_length=2000)

    def __init__(self, *args, concern: SafeguardingConcern, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.fields["practitioner"].queryset = candidates
        if concern.allocated_to_id is not None:
            self.fields["practitioner"].label = "Who should look at the concern instead?"
            self.fields["practitioner"].help_text = f"It is allocated to {concern.allocated_to} now."
        else:
            del self.fields["reason"]  # a first allocation needs none

    def clean(self):
        data = super().clean()
        if "reason" in self.fields and not data.get("reason"):
            self.add_error("reason", "Enter the reason for re-allocating the concern")
        return data


class BulkAllocateForm(GovFormMixin, forms.Form):
    """Allocating the records ticked on the team dashboard (enquiries.services.bulk_allocation)."""

    practitioner = forms.ModelChoiceField(
        label="Who should they be allocated to?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=required_message("Select who to allocate them to"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = candidates
