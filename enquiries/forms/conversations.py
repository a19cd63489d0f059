"""The conversation log form: what happened, with whom, what matters to the person in their words, who made
the decisions, the next contact agreed with them, and the practitioner's reflection.

The rules (not in the future, not before the concern, someone present, reasons for a decision against the
person's wishes, next contact not in the past) live in enquiries.services.conversations and are called from
`clean()` here, so every problem is shown at once."""

import datetime
import re

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Layout,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html

from msp_cases.core.forms import GovDateField, GovFormMixin

from ..models import ConversationLog, ConversationMethod, DecisionMadeBy
from ..services.conversations import (
    AGAINST_WISHES_FIELDS,
    MSP_CHECK_FIELDS,
    PARTICIPANT_FIELDS,
    conversation_rule_errors,
)

TEXT_MAX = 10_000
_meta = ConversationLog._meta


def _label(field: str) -> str:
    text = str(_meta.get_field(field).verbose_name)
    return text[:1].upper() + text[1:]


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> datetime.time | None:
    """'14:30', '14.30', '2:30pm', '2pm'."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if match[2] is None and not half:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def _textarea(label: str, *, help_text: str = "", required: bool = False, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {TEXT_MAX:,} characters or fewer"},
    )


def _text(field: str, label: str | None = None, **kwargs) -> forms.CharField:
    label = label or _label(field)
    max_length = _meta.get_field(field).max_length
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
        **kwargs,
    )


PARTICIPANT_CHOICES = [
    ("with_person", "The person"),
    ("with_representative", "Their representative"),
    ("with_advocate", "Their advocate"),
    ("with_family", "Family or friends"),
    ("with_professional", "A professional"),
]
MSP_CHECK_CHOICES = [
    ("check_involve", "I involved the person"),
    ("check_choice", "I gave the person choice"),
    ("check_control", "I gave the person control"),
    ("check_quality_of_life", "It improved their quality of life"),
    ("check_wellbeing", "It improved their wellbeing"),
    ("check_safety", "It improved their safety"),
]
# Model field -> the form field its errors are shown against.
ERROR_FIELD = {"occurred_at": "occurred_on", **dict.fromkeys(PARTICIPANT_FIELDS, "with_whom")}


LEGEND_S = Size.for_legend(Size.SMALL)


class _ConditionalQuestion(ConditionalQuestion):
    template = "enquiries/conversations/_conditional_question.html"


class _ConditionalRadios(ConditionalRadios):
    """ConditionalRadios with a bold legend like the other questions, and markup that passes axe-core
    (templates/enquiries/conversations/_conditional_radios.html says why)."""

    template = "enquiries/conversations/_conditional_radios.html"

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        with context.push(legend_size=LEGEND_S):
            html = super().render(form, context, template_pack, **kwargs)
        # The template extends the plain radios, which have no form group: without one the question had no
        # space below it and, when wrong, no red error bar. Wrapped as crispy-forms-gds' own template does.
        error = " govuk-form-group--error" if form[self.field].errors else ""
        return format_html('<div class="govuk-form-group{}">{}</div>', error, html)


class ConversationForm(GovFormMixin, forms.Form):
    occurred_on = GovDateField(
        allow_future=True,
        what="the date of the conversation",
        label="Date of the conversation",
        help_text="For example, 27 3 2026",
        require_all_fields=False,
    )
    occurred_time = forms.CharField(
        label="Time of the conversation",
        help_text="For example, 14:30 or 2:30pm",
        max_length=10,
        error_messages={
            "required": "Enter the time of the conversation",
            "max_length": "Enter the time of the conversation, for example 14:30",
        },
    )
    with_whom = forms.MultipleChoiceField(
        label="Who was the conversation with?",
        help_text="Select all that apply.",
        choices=PARTICIPANT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who the conversation was with"},
    )
    others_present = _text(
        "others_present",
        "Names and roles of others present",
        help_text="For example, Sam Patel, district nurse",
    )
    method = forms.ChoiceField(
        label="How did the conversation happen?",
        choices=ConversationMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the conversation happened"},
    )
    location = _text(
        "location", "Where did it happen?", help_text="For example, at home, or a café they chose"
    )
    what_matters = _textarea(
        "What matters to the person, in their words",
        help_text="Write down what they said, in their words. Use quotation marks for direct quotes.",
        rows=6,
    )
    wants_to_happen = _textarea("What they want to happen")
    risks_discussed = _textarea("Risks discussed")
    persons_view_of_risks = _textarea("The person's view of the risks")
    options_discussed = _textarea("Options discussed")
    expectations_discussed = _textarea(
        "Expectations that may be hard to meet, and how this was discussed",
        help_text="Where what the person hopes for may not be possible, say so early and record how you "
        "talked about it.",
    )
    decisions = _textarea("Decisions made")
    decision_made_by = forms.ChoiceField(
        label="Who made the decisions?",
        choices=DecisionMadeBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who made the decisions"},
    )
    against_wishes_reason = _textarea("Why the decision went against the person's wishes", rows=3)
    others_at_risk = _textarea("Who else was at risk", rows=3)
    least_restrictive_reason = _textarea("Why this was the least restrictive option", rows=3)
    next_contact_on = GovDateField(
        allow_future=True,
        what="the date of the next contact",
        label="Date of the next contact agreed with the person",
        help_text="For example, 3 4 2026. Leave blank if no contact was agreed.",
        required=False,
        require_all_fields=False,
    )
    next_contact_how = _text(
        "next_contact_how",
        "How the next contact will happen",
        help_text="For example, a phone call after 4pm",
    )
    msp_checks = forms.MultipleChoiceField(
        label="Making Safeguarding Personal: looking back on this conversation",
        help_text="Select all that are true.",
        choices=MSP_CHECK_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reflection = _textarea(
        "Reflection (optional)",
        help_text="Am I being overly protective? Avoiding a conversation? Being risk averse?",
        rows=3,
    )

    def __init__(self, *args, earliest: datetime.datetime | None = None, **kwargs):
        self.earliest = earliest
        self.unchanged_next_contact = None
        super().__init__(*args, **kwargs)
        labels = dict(DecisionMadeBy.choices)
        self.helper.layout = Layout(
            *self.leading_layout(),
            Fieldset(
                Field("occurred_on", context={"legend_size": LEGEND_S}),
                Field.text("occurred_time", field_width=5, label_size=Size.SMALL),
                Field.checkboxes("with_whom", legend_size=Size.SMALL),
                Field.text("others_present"),
                Field.radios("method", legend_size=Size.SMALL),
                Field.text("location"),
                legend="The conversation",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("what_matters", rows=6, label_size=Size.SMALL),
                Field.textarea("wants_to_happen", rows=4),
                Field.textarea("risks_discussed", rows=4),
                Field.textarea("persons_view_of_risks", rows=4),
                Field.textarea("options_discussed", rows=4),
                Field.textarea("expectations_discussed", rows=4),
                legend="What the person said",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("decisions", rows=4),
                _ConditionalRadios(
                    "decision_made_by",
                    _ConditionalQuestion(labels[DecisionMadeBy.PERSON]),
                    _ConditionalQuestion(labels[DecisionMadeBy.JOINTLY]),
                    _ConditionalQuestion(labels[DecisionMadeBy.REPRESENTATIVE]),
                    _ConditionalQuestion(
                        labels[DecisionMadeBy.AGAINST_WISHES],
                        Field.textarea("against_wishes_reason", rows=3),
                        Field.textarea("others_at_risk", rows=3),
                        Field.textarea("least_restrictive_reason", rows=3),
                    ),
                    _ConditionalQuestion(labels[DecisionMadeBy.NO_DECISION]),
                ),
                legend="Decisions",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("next_contact_on", context={"legend_size": LEGEND_S}),
                Field.text("next_contact_how"),
                legend="Next contact agreed with the person",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("msp_checks", small=True),
                Field.textarea("reflection", rows=3),
                legend="Your reflection",
                legend_size=Size.MEDIUM,
            ),
        )

    def leading_layout(self) -> list:
        return []

    def clean_occurred_time(self):
        value = parse_time(self.cleaned_data["occurred_time"])
        if value is None:
            raise ValidationError("Enter the time of the conversation, for example 14:30")
        return value

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("occurred_on"), cleaned.get("occurred_time")
        if day and time:
            cleaned["occurred_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        # The rules run whatever else is wrong, so every problem is shown at once.
        values = self.model_values()
        values["occurred_on"] = day
        errors = conversation_rule_errors(
            values=values, earliest=self.earliest, unchanged_next_contact=self.unchanged_next_contact
        )
        if "with_whom" in self.errors:
            errors.pop("with_person", None)  # already told to select who it was with
        self.add_service_errors(errors)
        return cleaned

    def add_service_errors(self, errors: dict) -> None:
        """Show errors keyed by model field (from the service) against the form field the user answered."""
        for field, messages in errors.items():
            target = ERROR_FIELD.get(field, field)
            if field == "occurred_at" and any("time" in m for m in messages):
                target = "occurred_time"
            target = target if target in self.fields else None
            for message in messages:
                if target is None or target not in self.errors or message not in self.errors[target]:
                    self.add_error(target, message)

    def model_values(self) -> dict:
        """The cleaned answers as ConversationLog field values."""
        data = self.cleaned_data
        with_whom = set(data.get("with_whom") or [])
        checks = set(data.get("msp_checks") or [])
        values = {
            "occurred_at": data.get("occurred_at"),
            **{f: f in with_whom for f in PARTICIPANT_FIELDS},
            **{f: f in checks for f in MSP_CHECK_FIELDS},
        }
        for name in [
            "others_present",
            "method",
            "location",
            "what_matters",
            "wants_to_happen",
            "risks_discussed",
            "persons_view_of_risks",
            "options_discussed",
            "expectations_discussed",
            "decisions",
            "decision_made_by",
            *AGAINST_WISHES_FIELDS,
            "next_contact_on",
            "next_contact_how",
            "reflection",
        ]:
            value = data.get(name)
            values[name] = value if value is not None or name == "next_contact_on" else ""
        return values

    @staticmethod
    def initial_from(log: ConversationLog) -> dict:
        """Answers to start an amendment from: the version being corrected."""
        local = timezone.localtime(log.occurred_at)
        initial = {
            "occurred_on": local.date(),
            "occurred_time": f"{local:%H:%M}",
            "with_whom": [f for f in PARTICIPANT_FIELDS if getattr(log, f)],
            "msp_checks": [f for f in MSP_CHECK_FIELDS if getattr(log, f)],
        }
        for name in ConversationForm.base_fields:
            if name not in initial and hasattr(log, name):
                initial[name] = getattr(log, name)
        return initial


class ConversationAmendForm(ConversationForm):
    """The entry's answers, corrected, and why."""

    based_on = forms.IntegerField(widget=forms.HiddenInput)
    amendment_reason = _textarea("What is being corrected and why", required=True, rows=3)

    field_order = ["amendment_reason"]

    def __init__(self, *args, unchanged_next_contact: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unchanged_next_contact = unchanged_next_contact
        self.fields["amendment_reason"].error_messages["required"] = "Enter what is being corrected and why"

    def leading_layout(self) -> list:
        return [
            Field("based_on"),
            Field.textarea("amendment_reason", rows=3, label_size=Size.MEDIUM),
            HTML(
                '<p class="govuk-body">Correct the answers below. '
                "Anything you leave as it is stays the same.</p>"
            ),
        ]
