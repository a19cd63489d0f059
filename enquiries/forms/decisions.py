"""The section 42 decision on a concern: the three criteria, then what happens next."""

from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms
from django.utils import timezone

from msp_cases.core.forms import GovFormMixin, VersionField
from msp_cases.core.reveals import Reveal, RevealRadios

from ..models import RiskTypeOption, SafeguardingConcern
from ..models.choices import RiskLocation, RiskSource
from ..selectors.concerns import workers_in_teams
from ..services.concerns import decision_problems
from .concerns import SOURCE_OF_RISK_HINT, YES_NO, _heading, _textarea, _yes_no, add_service_errors
from .sac_choices import sac_choices

Decision = SafeguardingConcern.Decision


def _criterion(label: str, required_message: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


# The three conditions of section 42(1) of the Care Act 2014, in order.
CRITERIA = ("criteria_care_needs", "criteria_abuse_or_neglect", "criteria_unable_to_protect")
CLASSIFICATION = ("risk_types", "risk_location", "risk_source")
CLASSIFICATION_HINT = "Needed for a section 42 or other safeguarding enquiry"


def _classification_fields(concern: SafeguardingConcern) -> dict[str, forms.Field]:
    """The types, location and source of risk, asked on the decision page when the concern was recorded
    without them (from the front door, in the referrer's words). Not required by the field: the service
    says when the decision needs them, so its one rule gives the one message."""
    return {
        "risk_types": forms.ModelMultipleChoiceField(
            queryset=RiskTypeOption.objects.all(),
            label="Types of risk",
            help_text=f"Select all that apply. {CLASSIFICATION_HINT}",
            widget=forms.CheckboxSelectMultiple,
            required=False,
            initial=[r.code for r in concern.risk_types.all()],
            error_messages={"invalid_choice": "Select the types of risk"},
        ),
        "risk_location": forms.ChoiceField(
            label="Location of risk",
            help_text=CLASSIFICATION_HINT,
            choices=sac_choices(RiskLocation),
            widget=forms.RadioSelect,
            required=False,
            initial=concern.risk_location,
            error_messages={"invalid_choice": "Select the location of risk"},
        ),
        "risk_source": forms.ChoiceField(
            label="Source of risk",
            help_text=f"{SOURCE_OF_RISK_HINT} {CLASSIFICATION_HINT}",
            choices=sac_choices(RiskSource),
            widget=forms.RadioSelect,
            required=False,
            initial=concern.risk_source,
            error_messages={"invalid_choice": "Select the source of risk"},
        ),
    }


def classification_missing(concern: SafeguardingConcern) -> bool:
    return not (concern.risk_location and concern.risk_source and concern.risk_types.exists())


class ConcernDecisionForm(GovFormMixin, forms.Form):
    """The decision on a concern: the three section 42 criteria, then what happens next and why."""

    criteria_care_needs = _criterion(
        "Does the person have needs for care and support?",
        "Select yes if the person has needs for care and support",
        help_text="Whether or not the council is meeting any of those needs",
    )
    criteria_abuse_or_neglect = _criterion(
        "Are they experiencing, or at risk of, abuse or neglect?",
        "Select yes if the person is experiencing, or at risk of, abuse or neglect",
    )
    criteria_unable_to_protect = _criterion(
        "As a result of those needs, are they unable to protect themselves from the abuse or neglect, or the "
        "risk of it?",
        "Select yes if, as a result of those needs, the person is unable to protect themselves",
    )

    decision = forms.ChoiceField(
        label="What is the decision?",
        choices=[
            (Decision.SECTION_42, Decision.SECTION_42.label),
            (Decision.OTHER_ENQUIRY, Decision.OTHER_ENQUIRY.label),
            (Decision.NO_FURTHER_ACTION, Decision.NO_FURTHER_ACTION.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision", "invalid_choice": "Select the decision"},
    )
    no_further_action_response = _textarea(
        "If no further safeguarding action: the advice, signposting or other services offered",
        help_text="What the person (and the referrer, if appropriate) was offered instead",
    )
    decision_rationale = _textarea(
        "Why was this decision made?", required_message="Enter the reason for the decision"
    )
    decision_person_involvement = _textarea(
        "How was the person involved in the decision? (optional)",
        help_text="What they said they wanted. If they were not involved, say why",
    )
    lead_practitioner = forms.ModelChoiceField(
        queryset=None,
        label="Lead practitioner for the enquiry (optional)",
        help_text="For a section 42 or other safeguarding enquiry. Someone in the team the concern is for",
        required=False,
        empty_label="Not allocated yet",
        error_messages={"invalid_choice": "Select a lead practitioner from the team the concern is for"},
    )

    ERROR_FIELD: dict[str, str] = {}

    def __init__(self, *args, concern: SafeguardingConcern, **kwargs):
        self.concern = concern
        super().__init__(*args, **kwargs)
        workers = workers_in_teams(teams=[concern.team])
        self.fields["lead_practitioner"].queryset = workers
        if concern.allocated_to_id and workers.filter(pk=concern.allocated_to_id).exists():
            self.fields["lead_practitioner"].initial = concern.allocated_to
        self.fields["version"] = VersionField(initial=concern.version)
        self.asks_classification = classification_missing(concern)
        classification = []
        if self.asks_classification:
            self.fields.update(_classification_fields(concern))
            classification = [
                HTML('<h3 class="govuk-heading-s">Classify the concern</h3>'),
                HTML(
                    '<p class="govuk-body">The concern was recorded without its types, location and source '
                    "of risk. An enquiry needs them.</p>"
                ),
                Field.checkboxes("risk_types"),
                Field.radios("risk_location"),
                Field.radios("risk_source"),
            ]
        self.helper.layout = Layout(
            _heading("The section 42 criteria"),
            HTML(
                '<p class="govuk-body">Under section 42 of the Care Act 2014 the council must make, or cause '
                "to be made, enquiries when all three of these are met.</p>"
            ),
            *(Field.radios(name, inline=True) for name in CRITERIA),
            _heading("Decision"),
            # What each answer needs, under it (msp_cases/core/reveals.py): an enquiry's classification and
            # lead, or what was offered instead. All shown without JavaScript; decision_problems asks only for
            # the chosen answer's.
            RevealRadios(
                "decision",
                Reveal.on(Decision.SECTION_42, Decision.OTHER_ENQUIRY).showing(
                    *classification, Field.select("lead_practitioner")
                ),
                Reveal.on(Decision.NO_FURTHER_ACTION).showing(
                    Field.textarea("no_further_action_response", rows=4)
                ),
            ),
            Field.textarea("decision_rationale", rows=5),
            Field.textarea("decision_person_involvement", rows=4),
            "version",
        )

    def clean(self):
        data = super().clean()
        problems = decision_problems(
            concern=self.concern,
            decision=data.get("decision") or "",
            criteria=tuple(data.get(name) for name in CRITERIA),
            rationale=data.get("decision_rationale") or "",
            no_further_action_response=data.get("no_further_action_response") or "",
            lead_practitioner=data.get("lead_practitioner"),
            decided_at=timezone.now(),
            **self._classification(),
        )
        self.add_service_errors(problems)
        return data

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        add_service_errors(self, errors)

    def decision_fields(self) -> dict:
        """Keyword arguments for services.concern_decide."""
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "decision": data["decision"],
            **{name: data.get(name) for name in CRITERIA},
            "decision_rationale": data.get("decision_rationale") or "",
            "decision_person_involvement": data.get("decision_person_involvement") or "",
            "no_further_action_response": data.get("no_further_action_response") or "",
            "lead_practitioner": data.get("lead_practitioner"),
            **self._classification(),
        }

    def _classification(self) -> dict:
        if not self.asks_classification:
            return {}
        data = self.cleaned_data
        return {
            "risk_types": list(data.get("risk_types") or ()),
            "risk_location": data.get("risk_location") or "",
            "risk_source": data.get("risk_source") or "",
        }
