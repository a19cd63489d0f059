"""Forms for My Safeguarding Experience Part 1 and Part 2 and the organisation's perspective. Part 2 reveals
each branch's questions under the answer that needs them (msp_cases/core/reveals.py); the model's
answer_problems still decides what each branch requires."""

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from enquiries.forms.enquiry import _radios, _textarea
from msp_cases.core.forms import GovDateField, GovFormMixin, required_message
from msp_cases.core.reveals import Reveal, RevealedSection, RevealRadios

from .models import (
    PART2_QUESTIONS,
    TEXT_MAX,
    AnsweredBy,
    CompletedBy,
    ExperienceAnswer,
    ExperienceFeedbackPart2,
    InformedBy,
    Involvement,
    NotApproachedReason,
    SystemsSupported,
)

YES_NO = [("True", "Yes"), ("False", "No")]
ANSWERS_SECTION = "part2-answers"
LEGEND_S = Size.for_legend(Size.SMALL)


class OptionalVersionField(forms.IntegerField):
    """The version the record was loaded at; empty when there was no record yet (a create)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, required=False, **kwargs)


def _yes_no(label: str, *, what: str, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "True",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages=required_message(f"Select {what}"),
    )


def _checkboxes(label: str, choices, *, what: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=required_message(f"Select {what}"),
    )


class _RecordForm(GovFormMixin, forms.Form):
    version = OptionalVersionField()
    FIELDS: tuple[str, ...] = ()

    @classmethod
    def initial_for(cls, obj) -> dict:
        if obj is None:
            return {}
        initial = {"version": obj.version}
        for name in cls.FIELDS:
            value = getattr(obj, name)
            initial[name] = str(value) if isinstance(value, bool) else value
        return initial

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class Part1Form(_RecordForm):
    FIELDS = (
        "involvement",
        "informed_by",
        "who_involved",
        "who_not_told",
        "communication_support",
        "completed_by",
        "completed_on",
    )
    involvement = _checkboxes(
        "How do they want to be involved?", Involvement.choices, what="how they want to be involved"
    )
    informed_by = _checkboxes(
        "How do they want to be kept informed?", InformedBy.choices, what="how they want to be kept informed"
    )
    who_involved = _textarea("Who do they want involved?", max_length=TEXT_MAX)
    who_not_told = _textarea("Who do they not want told?", max_length=TEXT_MAX)
    communication_support = _textarea(
        "What communication support do they need?",
        max_length=TEXT_MAX,
        help_text="For example an interpreter, easy read, more time, or someone they trust present.",
    )
    completed_by = _radios("Who completed Part 1?", CompletedBy.choices, what="who completed Part 1")
    completed_on = GovDateField(what="the date Part 1 was completed", label="Date completed")

    layout = Layout(
        Field.checkboxes("involvement", legend_size="m", small=False),
        Field.checkboxes("informed_by", legend_size="m"),
        Field.textarea("who_involved", rows=3),
        Field.textarea("who_not_told", rows=3),
        Field.textarea("communication_support", rows=3),
        Field.radios("completed_by", legend_size="m"),
        Field("completed_on"),
    )

    def clean_involvement(self):
        value = self.cleaned_data["involvement"]
        if Involvement.NOT_INVOLVED in value and len(value) > 1:
            raise ValidationError("Select ‘Not involved’ on its own, or the ways they want to be involved")
        return value


COMMENT_LABELS = {
    "listened": "What they said about feeling listened to (optional)",
    "informed": "What they said about feeling informed (optional)",
    "safer": "What they said about feeling safer (optional)",
    "concerns_dealt_with": "What they said about how their concerns were dealt with (optional)",
}


def _answer_fields():
    fields = {}
    for name, question in PART2_QUESTIONS:
        fields[name] = _radios(question, ExperienceAnswer.choices, required=False)
        fields[f"{name}_comment"] = _textarea(COMMENT_LABELS[name], max_length=TEXT_MAX)
    return fields


class Part2Form(_RecordForm):
    FIELDS = (
        "approached",
        "not_approached_reason",
        "not_approached_note",
        "best_interests_answered",
        "best_interests_who",
        *[n for name, _q in PART2_QUESTIONS for n in (name, f"{name}_comment")],
        "questions_since",
        "further_work_needed",
        "further_work",
        "reflections",
        "answered_by",
        "completed_on",
    )
    approached = _yes_no(
        "Was the person approached for their feedback?", what="whether the person was approached"
    )
    not_approached_reason = _radios(
        "Why was the person not approached?", NotApproachedReason.choices, required=False
    )
    not_approached_note = _textarea(
        "Details of the reason", max_length=TEXT_MAX, help_text="Required when the reason is ‘Other’."
    )
    best_interests_answered = _yes_no(
        "Did someone acting in their best interests answer the questions instead?",
        what="whether someone acting in their best interests answered",
        required=False,
    )
    best_interests_who = forms.CharField(
        label="Who answered in their best interests?",
        help_text="If someone answered instead.",
        max_length=200,
        required=False,
        error_messages={"max_length": "Who answered must be 200 characters or fewer"},
    )
    manager_agrees = forms.BooleanField(
        label="I am the manager and I agree the person should not be approached",
        required=False,
    )
    locals().update(_answer_fields())
    questions_since = _textarea("Have any questions arisen since?", max_length=TEXT_MAX)
    further_work_needed = _yes_no(
        "Is further work needed to help them recover?",
        what="whether further work is needed to help them recover",
        required=False,
    )
    further_work = _textarea(
        "What further work is needed?",
        max_length=TEXT_MAX,
        help_text="Saving adds a follow-up action to the safeguarding plan.",
    )
    reflections = _textarea("Reflections", max_length=TEXT_MAX)
    answered_by = _radios("Who answered?", AnsweredBy.choices, required=False)
    completed_on = GovDateField(what="the date Part 2 was completed", label="Date completed", required=False)

    def __init__(self, *args, may_agree: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_agree = may_agree
        if not may_agree:
            del self.fields["manager_agrees"]
        questions = []
        for name, _q in PART2_QUESTIONS:
            questions += [Field.radios(name, legend_size="s"), Field.textarea(f"{name}_comment", rows=2)]
        # Two branches: approached (their answers), or not (why, a manager's agreement, and whether someone in
        # their best interests answered instead, which asks for the answers too). Each shown under the answer
        # that needs it; without JavaScript everything is shown.
        self.helper.layout = Layout(
            RevealRadios(
                "approached",
                Reveal.on("True", target=ANSWERS_SECTION),
                Reveal.on("False").showing(
                    RevealRadios(
                        "not_approached_reason",
                        Reveal.on(NotApproachedReason.OTHER).showing(
                            Field.textarea("not_approached_note", rows=2)
                        ),
                        legend_size=LEGEND_S,
                    ),
                    *([Field.checkbox("manager_agrees")] if may_agree else []),
                    RevealRadios(
                        "best_interests_answered",
                        Reveal.on("True", target=ANSWERS_SECTION),
                        legend_size=LEGEND_S,
                    ),
                    Field.text("best_interests_who"),
                ),
                legend_size=Size.for_legend(Size.MEDIUM),
            ),
            RevealedSection(
                ANSWERS_SECTION,
                Fieldset(
                    HTML(
                        '<p class="govuk-body">Answer these when the person was approached, or when someone '
                        "acting in their best interests answered instead.</p>"
                    ),
                    *questions,
                    Field.textarea("questions_since", rows=2),
                    Field.radios("further_work_needed", legend_size="s", inline=True),
                    Field.textarea("further_work", rows=2),
                    Field.textarea("reflections", rows=3),
                    Field.radios("answered_by", legend_size="s"),
                    Field("completed_on"),
                    legend="Their answers",
                    legend_size="m",
                ),
                when={"approached": ("True",), "best_interests_answered": ("True",)},
            ),
        )

    def clean(self):
        data = super().clean()
        if "approached" not in data or data.get("approached") is None:
            return data
        nullable = {"approached", "best_interests_answered", "further_work_needed", "completed_on"}
        values = {k: data.get(k) for k in self.FIELDS}
        values = {k: ("" if v is None and k not in nullable else v) for k, v in values.items()}
        obj = ExperienceFeedbackPart2(**values)
        for field, message in obj.answer_problems().items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


class OrganisationPerspectiveForm(_RecordForm):
    FIELDS = (
        "could_be_better",
        "agencies_worked_together",
        "changes_recommended",
        "systems_supported_msp",
        "systems_comment",
        "training_needs",
    )
    could_be_better = _textarea("What could have been done better?", max_length=TEXT_MAX)
    agencies_worked_together = _textarea("How well did agencies work together?", max_length=TEXT_MAX)
    changes_recommended = _textarea("What changes do you recommend?", max_length=TEXT_MAX)
    systems_supported_msp = _radios(
        "Did systems and processes support Making Safeguarding Personal?",
        SystemsSupported.choices,
        what="whether systems and processes supported Making Safeguarding Personal",
    )
    systems_comment = _textarea("About systems and processes", max_length=TEXT_MAX)
    training_needs = _textarea("What training needs have you identified?", max_length=TEXT_MAX)

    layout = Layout(
        Field.textarea("could_be_better", rows=3),
        Field.textarea("agencies_worked_together", rows=3),
        Field.textarea("changes_recommended", rows=3),
        Field.radios("systems_supported_msp", legend_size="s", inline=True),
        Field.textarea("systems_comment", rows=2),
        Field.textarea("training_needs", rows=3),
    )


class CoproductionPeriodForm(GovFormMixin, forms.Form):
    """The period of a co-production export, by the date Part 2 was completed."""

    start = GovDateField(what="the start of the period", label="From")
    end = GovDateField(what="the end of the period", label="To")

    layout = Layout(Field("start"), Field("end"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be the same as or after the start")
        return data
