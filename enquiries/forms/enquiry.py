"""Forms for the enquiry: its stage changes, its details (risk, mental capacity, advocacy, outcomes asked)
and its closure details. The plan and meetings are in enquiries.forms.plans."""

from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin, VersionField, required_message

from ..models import Enquiry, RiskTypeOption
from ..models.choices import (
    ActionResult,
    CapacitySupport,
    LacksCapacity,
    OutcomesAsked,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    YesNoUnknown,
)
from .sac_choices import sac_choices


def _text(
    label: str, *, max_length: int, required: bool = False, what: str = "", **kwargs
) -> forms.CharField:
    messages = required_message(f"Enter {what}") if what else {}
    messages["max_length"] = f"{label.rstrip('?')} must be {max_length:,} characters or fewer"
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, strip=True, **kwargs
    )


def _textarea(label: str, *, max_length: int, required: bool = False, what: str = "", **kwargs):
    return _text(label, max_length=max_length, required=required, what=what, widget=forms.Textarea, **kwargs)


def _radios(label: str, choices, *, required: bool = True, what: str = "", **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages=required_message(f"Select {what}") if what else {},
        **kwargs,
    )


# Stage changes ---------------------------------------------------------------------------------------------


class TransitionForm(GovFormMixin, forms.Form):
    """Every stage change carries the version the page was loaded at, so a change made from a stale page is
    refused rather than applied on top of someone else's."""

    version = VersionField()


class AllocateForm(TransitionForm):
    lead_practitioner = forms.ModelChoiceField(
        label="Who should lead the enquiry?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=required_message("Select who should lead the enquiry"),
    )
    reason = _textarea(
        "Reason for the allocation",
        max_length=2000,
        help_text="Required when the enquiry already has a lead practitioner.",
    )

    def __init__(self, *args, enquiry: Enquiry, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry
        self.fields["lead_practitioner"].queryset = candidates
        if enquiry.lead_practitioner_id is not None:
            self.fields["reason"].label = "Why is the enquiry being re-allocated?"
            self.fields["reason"].help_text = ""

    def clean(self):
        data = super().clean()
        if self.enquiry.lead_practitioner_id is not None and not data.get("reason"):
            self.add_error("reason", "Enter the reason for re-allocating the enquiry")
        return data


class StartForm(TransitionForm):
    pass


class ProposeClosureForm(TransitionForm):
    comment = _textarea("Anything the manager should know (optional)", max_length=2000)


class SignOffForm(TransitionForm):
    APPROVE = "approve"
    RETURN = "return"
    decision = _radios(
        "Do you approve the closure of this enquiry?",
        [
            (APPROVE, "Approve: close the enquiry"),
            (RETURN, "Return it to the lead practitioner with comments"),
        ],
        what="whether you approve the closure",
    )
    comments = _textarea(
        "Comments",
        max_length=2000,
        help_text="Required when you return the closure: say what needs doing before it can close.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("comments"):
            self.add_error("comments", "Enter comments explaining why the closure is being returned")
        return data


class ReopenForm(TransitionForm):
    reason = _textarea(
        "Why is the enquiry being reopened?",
        max_length=2000,
        required=True,
        what="the reason for reopening the enquiry",
    )


# Details ---------------------------------------------------------------------------------------------------


class EnquiryDetailsForm(GovFormMixin, forms.Form):
    """Risk (SG2a/b), mental capacity about the enquiry (SG3a), advocacy (Care Act s67/68) and whether the
    person was asked about their desired outcomes (SG4a)."""

    risk_types = forms.ModelMultipleChoiceField(
        label="Type of risk",
        help_text="Select all that apply.",
        queryset=RiskTypeOption.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    risk_location = _radios("Location of risk", sac_choices(RiskLocation), required=False)
    risk_source = _radios("Source of risk", sac_choices(RiskSource), required=False)

    lacks_capacity = _radios(
        "Did the person lack capacity to make decisions about the enquiry?",
        LacksCapacity.choices,
        what="whether the person lacked capacity to make decisions about the enquiry",
    )
    capacity_decision = _text(
        "What decision was their capacity assessed for?",
        max_length=300,
        help_text="Capacity is decision-specific: name the decision.",
    )
    capacity_assessed_on = GovDateField(
        label="When was capacity assessed?", what="the date capacity was assessed", required=False
    )
    capacity_assessed_by = _text("Who assessed capacity?", max_length=150, help_text="Name and role.")

    substantial_difficulty = _radios(
        "Would the person have substantial difficulty being involved in the enquiry?",
        YesNoUnknown.choices,
        required=False,
    )
    capacity_support = _radios(
        "What support was provided to help them be involved?", CapacitySupport.choices, required=False
    )
    advocacy_referral_on = GovDateField(
        label="When was the advocacy referral made?",
        what="the date the advocacy referral was made",
        required=False,
        help_text="Leave blank if no referral was made.",
    )

    outcomes_asked = _radios(
        "Was the person or their representative asked about their desired outcomes?",
        OutcomesAsked.choices,
        what="whether the person or their representative was asked about their desired outcomes",
    )
    outcomes_asked_on = GovDateField(
        label="When were they asked?",
        what="the date they were asked about their desired outcomes",
        required=False,
    )
    version = VersionField()

    layout = Layout(
        HTML('<h2 class="govuk-heading-m">Risk</h2>'),
        Field.checkboxes("risk_types", small=True),
        Field.radios("risk_location", small=True),
        Field.radios("risk_source", small=True),
        HTML('<h2 class="govuk-heading-m">Mental capacity about the enquiry</h2>'),
        Field.radios("lacks_capacity", small=True),
        Field.text("capacity_decision"),
        Field("capacity_assessed_on"),
        Field.text("capacity_assessed_by", field_width=20),
        HTML('<h2 class="govuk-heading-m">Advocacy</h2>'),
        Field.radios("substantial_difficulty", small=True, inline=True),
        Field.radios("capacity_support", small=True),
        Field("advocacy_referral_on"),
        HTML('<h2 class="govuk-heading-m">Desired outcomes</h2>'),
        Field.radios("outcomes_asked", small=True),
        Field("outcomes_asked_on"),
        Field("version"),
    )

    FIELDS = [
        "risk_location",
        "risk_source",
        "lacks_capacity",
        "capacity_decision",
        "capacity_assessed_on",
        "capacity_assessed_by",
        "substantial_difficulty",
        "capacity_support",
        "advocacy_referral_on",
        "outcomes_asked",
        "outcomes_asked_on",
    ]

    @classmethod
    def initial_for(cls, enquiry: Enquiry) -> dict:
        initial = {name: getattr(enquiry, name) for name in cls.FIELDS}
        initial["risk_types"] = list(enquiry.risk_types.values_list("pk", flat=True))
        initial["version"] = enquiry.version
        return initial

    def clean(self):
        data = super().clean()
        lacks = data.get("lacks_capacity")
        if lacks in (LacksCapacity.YES, LacksCapacity.NO):
            # A capacity assessment is decision-specific, dated and names who assessed: recorded in full.
            if not data.get("capacity_decision"):
                self.add_error("capacity_decision", "Enter the decision their capacity was assessed for")
            if not data.get("capacity_assessed_on") and "capacity_assessed_on" not in self.errors:
                self.add_error("capacity_assessed_on", "Enter the date capacity was assessed")
            if not data.get("capacity_assessed_by"):
                self.add_error("capacity_assessed_by", "Enter who assessed capacity")
        support = data.get("capacity_support")
        if lacks == LacksCapacity.YES:
            if data.get("substantial_difficulty") == YesNoUnknown.YES and support == CapacitySupport.NONE:
                self.add_error(
                    "capacity_support",
                    "The person lacked capacity and would have substantial difficulty being involved, so an "
                    "independent advocate must be arranged (Care Act 2014, sections 67 and 68). Select the "
                    "support provided",
                )
            elif not support:
                self.add_error("capacity_support", "Select the support provided to the person")
        asked = data.get("outcomes_asked")
        was_asked = asked in (OutcomesAsked.ASKED_EXPRESSED, OutcomesAsked.ASKED_NONE)
        if was_asked and not data.get("outcomes_asked_on") and "outcomes_asked_on" not in self.errors:
            self.add_error("outcomes_asked_on", "Enter the date they were asked about their desired outcomes")
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ClosureDetailsForm(GovFormMixin, forms.Form):
    """SG2c action and result, SG2e risk outcome, and the closure summary written to the person."""

    action_result = _radios("Action taken and result", sac_choices(ActionResult), required=False)
    risk_outcome = _radios(
        "What happened to the risk?",
        [("", "Not applicable: risk was not identified and acted on"), *RiskOutcome.choices],
        required=False,
        help_text="Only when risk was identified and action taken.",
    )
    closure_summary = _textarea(
        "Closure summary, written to the person",
        max_length=5000,
        help_text="Write to the person, in plain words: what happened, what changed, what happens next.",
    )
    version = VersionField()

    FIELDS = ["action_result", "risk_outcome", "closure_summary"]

    @classmethod
    def initial_for(cls, enquiry: Enquiry) -> dict:
        return {**{name: getattr(enquiry, name) for name in cls.FIELDS}, "version": enquiry.version}

    def clean(self):
        data = super().clean()
        result, outcome = data.get("action_result"), data.get("risk_outcome")
        if result == ActionResult.RISK_ACTION and not outcome:
            self.add_error("risk_outcome", "Select whether the risk remained, was reduced or was removed")
        elif outcome and result != ActionResult.RISK_ACTION:
            self.add_error(
                "risk_outcome",
                "Only record what happened to the risk when risk was identified and action taken",
            )
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
