"""The Record of access's filter: a GET form, so a filtered record has an address to come back to."""

from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin


class AccessFilterForm(GovFormMixin, forms.Form):
    name = forms.CharField(
        label="Person’s name",
        help_text="Only people whose records you may see are found",
        max_length=100,
        required=False,
    )
    # From a person's own page (or a name in the list): exactly this person.
    person = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1)
    who = forms.CharField(
        label="Member of staff", help_text="Their name or email address", max_length=150, required=False
    )
    date_from = GovDateField(what="the first date to show", label="From", required=False)
    date_to = GovDateField(what="the last date to show", label="To", required=False)
    include_own = forms.BooleanField(
        label="Include the times this page named people",
        help_text="Each time this page shows people’s names, that is recorded. Those entries are left out "
        "unless you ask for them.",
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last date to show must be on or after the first date")
        return data
