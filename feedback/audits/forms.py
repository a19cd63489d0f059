"""Forms for drawing an audit sample and auditing one enquiry (GOV.UK radios per checklist item)."""

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from enquiries.forms.enquiry import _radios, _textarea
from msp_cases.accounts.models import Team
from msp_cases.core.forms import GovDateField, GovFormMixin, required_message
from msp_cases.core.reveals import Reveal, RevealRadios

from ..models import AUDIT_CHECKLIST, TEXT_MAX, AuditAnswer, AuditGrade
from ..models import AUDIT_CHECKLIST_SHORT as SHORT
from .services import SAMPLE_MAX, SEED_MAX


class SampleDrawForm(GovFormMixin, forms.Form):
    start = GovDateField(what="the first day of the period", allow_future=True, label="Closed from")
    end = GovDateField(what="the last day of the period", allow_future=True, label="Closed to")
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="All teams", label="Team"
    )
    size = forms.IntegerField(
        label="How many enquiries",
        min_value=1,
        max_value=SAMPLE_MAX,
        error_messages={
            **required_message("Enter how many enquiries to draw"),
            "min_value": "Draw at least 1 enquiry",
            "max_value": f"Draw at most {SAMPLE_MAX} enquiries",
        },
    )
    seed = forms.IntegerField(
        label="Sample number",
        help_text=(
            "Keep the number shown, or enter an earlier sample's number to draw the same enquiries again."
        ),
        min_value=1,
        max_value=SEED_MAX,
        error_messages={
            **required_message("Enter the sample number, a whole number"),
            "min_value": f"The sample number must be a whole number from 1 to {SEED_MAX}",
            "max_value": f"The sample number must be a whole number from 1 to {SEED_MAX}",
        },
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day of the period must be on or after the first day")
        return data


class CaseFileAuditForm(GovFormMixin, forms.Form):
    replaces = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hints: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for name, question in AUDIT_CHECKLIST:
            self.fields[name] = _radios(
                question,
                AuditAnswer.choices,
                what=f"an answer to ‘{question}’",
                help_text=hints.get(name, ""),
            )
            self.fields[f"{name}_note"] = _textarea(
                f"Note on {SHORT[name]}",
                max_length=TEXT_MAX,
                help_text="Required if you answer Partly or No: say what was missing.",
            )
        # Each note under the answers that need it, Partly and No (clean() asks for it only then).
        self.helper.layout = Layout(
            *(
                RevealRadios(
                    name,
                    Reveal.on(AuditAnswer.PARTLY, AuditAnswer.NO).showing(
                        Field.textarea(f"{name}_note", rows=3)
                    ),
                )
                for name, _question in AUDIT_CHECKLIST
            ),
            "grade",
            "comments",
        )
        self.fields["grade"] = _radios("Grade", AuditGrade.choices, what="a grade")
        self.fields["comments"] = _textarea(
            "Comments for the practitioner and their manager",
            max_length=TEXT_MAX,
            required=True,
            what="comments for the practitioner and their manager",
            help_text="They will see these on the enquiry page.",
        )

    def clean(self):
        data = super().clean()
        for name, _question in AUDIT_CHECKLIST:
            if data.get(name) in (AuditAnswer.PARTLY, AuditAnswer.NO) and not data.get(f"{name}_note"):
                self.add_error(
                    f"{name}_note", ValidationError(f"Enter a note on {SHORT[name]}: what was missing")
                )
        return data

    @staticmethod
    def initial_for(audit) -> dict:
        """A revision starts from the current audit's answers (what the auditor is changing), never from the
        hints."""
        if audit is None:
            return {"replaces": None}
        from .services import ANSWER_FIELDS

        return {"replaces": audit.pk, **{name: getattr(audit, name) for name in ANSWER_FIELDS}}

    def answers(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "replaces"}
