"""Forms for desired outcomes: the person's words first, prompts as a hint, and a gentle warning (not a
block) when the words sound like a conclusion or a service response."""

from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms
from django.template.loader import render_to_string

from enquiries.models import ConversationLog
from msp_cases.core.forms import GovDateField, GovFormMixin, VersionField, required_message

from .models import NOTE_MAX, WORDS_MAX, Achievement, ExpressedBy
from .services import PROMPTS, WARNING, looks_like_service_response


def _text(label: str, *, max_length: int, required: bool = False, what: str = "", **kwargs):
    messages = required_message(f"Enter {what}") if what else {}
    messages["max_length"] = f"{label.rstrip('?')} must be {max_length:,} characters or fewer"
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages=messages,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


def _radios(label: str, choices, *, required: bool = True, what: str = "", **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages=required_message(f"Select {what}") if what else {},
        **kwargs,
    )


class WordsMixin:
    """The person's words, and the "I've checked" confirmation shown only when they look like a service
    response. `needs_confirmation` tells the view to show the form again with the warning."""

    def _words_layout(self) -> list:
        parts = [Field.textarea("words")]
        if self.warn:
            parts += [
                HTML(render_to_string("outcomes/_warning.html", {"warning": WARNING})),
                Field("confirmed"),
            ]
        return parts

    def _setup_words(self) -> None:
        words = self.data.get(self.add_prefix("words"), "") if self.is_bound else ""
        self.warn = looks_like_service_response(words)
        self.needs_confirmation = False

    def clean(self):
        cleaned = super().clean()
        if looks_like_service_response(cleaned.get("words", "")) and not cleaned.get("confirmed"):
            self.needs_confirmation = True
        return cleaned


WORDS_FIELD_KWARGS = {
    "max_length": WORDS_MAX,
    "required": True,
    "what": "what the person wants to happen, in their own words",
    "help_text": "Write exactly what they said. It is kept as typed.",
}


class OutcomeAddForm(WordsMixin, GovFormMixin, forms.Form):
    words = _text("What does the person want to happen, in their own words?", **WORDS_FIELD_KWARGS)
    confirmed = forms.BooleanField(
        label="I\u2019ve checked \u2013 these are the person\u2019s words", required=False
    )
    expressed_by = _radios("Who said it?", ExpressedBy.choices, what="who said it")
    expressed_on = GovDateField(label="When did they say it?", what="the date they said it")
    conversation = forms.ModelChoiceField(
        label="In which conversation? (optional)",
        queryset=ConversationLog.objects.none(),
        required=False,
        empty_label="Not from a recorded conversation",
        error_messages=required_message("Select a conversation from this enquiry"),
    )
    priority = forms.IntegerField(
        label="The person\u2019s priority (optional)",
        help_text="1 is what matters most to them.",
        required=False,
        min_value=1,
        max_value=99,
        error_messages={
            "invalid": "The priority must be a whole number, like 1",
            "min_value": "The priority must be 1 or more",
            "max_value": "The priority must be 99 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
    )
    expectations_discussion = _text(
        "Discussion about expectations (optional)",
        max_length=NOTE_MAX,
        help_text="If what they want may not be possible, record what you discussed with them.",
    )
    practitioner_note = _text("Practitioner\u2019s note (optional)", max_length=NOTE_MAX)

    def __init__(self, *args, enquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_words()
        self.fields["conversation"].queryset = ConversationLog.objects.filter(enquiry=enquiry).order_by(
            "-occurred_at"
        )
        self.fields["conversation"].label_from_instance = lambda c: (
            f"{c.occurred_at:%-d %B %Y %H:%M} \u2013 {c.get_method_display()}"
        )
        self.helper.layout = Layout(
            HTML(render_to_string("outcomes/_prompts.html", {"prompts": PROMPTS})),
            *self._words_layout(),
            Field.radios("expressed_by", small=True),
            Field("expressed_on"),
            Field.select("conversation"),
            Field.text("priority", field_width=2),
            Field.textarea("expectations_discussion"),
            Field.textarea("practitioner_note"),
        )


class OutcomeReviseForm(WordsMixin, GovFormMixin, forms.Form):
    FIELDS = ["words", "expressed_by", "expressed_on"]

    version = VersionField()
    words = _text("What does the person want to happen now, in their own words?", **WORDS_FIELD_KWARGS)
    confirmed = forms.BooleanField(
        label="I\u2019ve checked \u2013 these are the person\u2019s words", required=False
    )
    expressed_by = _radios("Who said it?", ExpressedBy.choices, what="who said it")
    expressed_on = GovDateField(label="When did they say it?", what="the date they said it")
    reason = _text("Why has it changed? (optional)", max_length=NOTE_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_words()
        self.helper.layout = Layout(
            Field("version"),  # a layout renders only what it names: without it every save is refused
            *self._words_layout(),
            Field.radios("expressed_by", small=True),
            Field("expressed_on"),
            Field.textarea("reason"),
        )


class OutcomeWithdrawForm(GovFormMixin, forms.Form):
    version = VersionField()
    reason = _text(
        "Why is the outcome being withdrawn?",
        max_length=NOTE_MAX,
        required=True,
        what="why it is being withdrawn",
    )
    layout = Layout(Field("version"), Field.textarea("reason"))


class OutcomeAchievementForm(GovFormMixin, forms.Form):
    FIELDS = ["achievement", "person_comment", "practitioner_view", "practitioner_comment"]

    version = VersionField()
    achievement = _radios(
        "How far does the person feel this outcome was achieved?",
        Achievement.choices,
        what="how far the person feels the outcome was achieved",
    )
    person_comment = _text("The person\u2019s comment (optional)", max_length=NOTE_MAX)
    practitioner_view = _radios(
        "Your view, if it differs (optional)",
        [("", "Same as the person\u2019s"), *Achievement.choices],
        required=False,
    )
    practitioner_comment = _text(
        "Why your view differs",
        max_length=NOTE_MAX,
        help_text="Required when your view differs from the person\u2019s.",
    )
    layout = Layout(
        Field("version"),
        Field.radios("achievement", small=True),
        Field.textarea("person_comment"),
        Field.radios("practitioner_view", small=True),
        Field.textarea("practitioner_comment"),
    )

    def clean(self):
        cleaned = super().clean()
        view, achievement = cleaned.get("practitioner_view"), cleaned.get("achievement")
        if view and achievement and view != achievement and not cleaned.get("practitioner_comment"):
            self.add_error("practitioner_comment", "Explain why your view differs from the person\u2019s")
        return cleaned
