"""The person's chronology filter: a GET form, so a filtered chronology has an address to come back to."""

from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin

from ..selectors.chronology import CHRONOLOGY_KINDS


class ChronologyFilterForm(GovFormMixin, forms.Form):
    date_from = GovDateField(what="the first date to show", allow_future=True, label="From", required=False)
    date_to = GovDateField(what="the last date to show", allow_future=True, label="To", required=False)
    kinds = forms.MultipleChoiceField(
        label="Kind of event",
        choices=list(CHRONOLOGY_KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    record = forms.ChoiceField(label="Concern or enquiry", required=False)

    def __init__(self, *args, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", "All concerns and enquiries")] + [
            (r.key, r.label) for r in records
        ]
        # The kinds' labels as the page shows them; their checkboxes and dates at the size of a filter.
        self.fields["kinds"].help_text = "Leave all unticked to see every kind"
        self.fields["kinds"].error_messages["invalid_choice"] = "Select a kind of event from the list"
        self.fields["record"].error_messages["invalid_choice"] = "Select a concern or enquiry from the list"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last date to show must be on or after the first date")
        return data
