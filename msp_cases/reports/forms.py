from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin
from msp_cases.oversight import overseen_teams


class ReportPeriodForm(GovFormMixin, forms.Form):
    """The period and team a report covers, from the query string (GET: a report is a page you can bookmark
    and share with a colleague, and carries no personal data)."""

    start = GovDateField(what="the first day of the period", allow_future=True, label="From")
    end = GovDateField(what="the last day of the period", allow_future=True, label="To")
    team = forms.ModelChoiceField(queryset=None, required=False, empty_label="All teams", label="Team")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = overseen_teams(user).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day of the period must be on or after the first day")
        if start and end and (end - start).days > 366 * 5:
            self.add_error("end", "A report can cover at most five years")
        return data
