from django import forms
from django.utils import timezone

from msp_cases.core.forms import GovFormMixin, VersionField, required_message

from .models import LetterTemplate
from .placeholders import blocks, fill, sample_values
from .selectors import long_date, templates_offered
from .services import letter_make_problems


class LetterTemplateForm(GovFormMixin, forms.ModelForm):
    """A template's wording and what it is for. The placeholders are checked by the model's clean() (every
    unknown name, and the person's own information in a letter to someone else, at once). With `previewing`,
    a valid form also gives `preview`: the letter filled in from a made-up case."""

    class Meta:
        model = LetterTemplate
        fields = ["title", "purpose", "audience", "format", "heading", "body", "is_active"]
        labels = {
            "title": "Name of the template",
            "purpose": "What is it for?",
            "audience": "Who is it to?",
            "format": "Format",
            "heading": "Heading of the letter",
            "body": "Words of the letter",
            "is_active": "Offer this template to practitioners",
        }
        help_texts = {
            "title": "Practitioners choose the letter by this name, for example ‘Closure letter’",
            "heading": "The first thing the reader sees, for example ‘We have finished our enquiry’",
            "body": (
                "Leave a blank line between paragraphs. Start a line with ‘- ’ to make a list. "
                "Put placeholders in braces, for example {person_first_name}."
            ),
        }
        error_messages = {
            "title": required_message("Enter the name of the template"),
            "purpose": required_message("Select what the letter is for"),
            "audience": required_message("Select who the letter is to"),
            "format": required_message("Select the format of the letter"),
            "heading": required_message("Enter the heading of the letter"),
            "body": required_message("Enter the words of the letter"),
        }
        widgets = {
            "purpose": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "format": forms.RadioSelect,
            "body": forms.Textarea(attrs={"rows": 20}),
        }

    def __init__(self, *args, previewing: bool = False, with_version: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.previewing = previewing
        self.preview = None
        for name in ("purpose", "audience", "format"):  # radios: no empty "---------" choice
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]
        if with_version:
            self.fields["version"] = VersionField()

    @property
    def needs_confirmation(self) -> bool:
        """A preview shows the form again with the letter below it, and saves nothing."""
        return self.previewing

    def _post_clean(self):
        super()._post_clean()
        if self.previewing and not self.errors:
            values = sample_values(long_date(timezone.localdate()))
            data = self.cleaned_data
            self.preview = {
                "heading": fill(data["heading"], values),
                "blocks": blocks(fill(data["body"], values)),
                "easy_read": data["format"] == LetterTemplate.Format.EASY_READ,
            }


class LetterChooseForm(GovFormMixin, forms.Form):
    template = forms.ModelChoiceField(
        queryset=templates_offered(),
        widget=forms.RadioSelect,
        label="Which letter?",
        empty_label=None,
        error_messages=required_message("Select which letter to make"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.label_from_instance = lambda t: f"{t}, to {t.get_audience_display().lower()}"


class LetterForm(GovFormMixin, forms.Form):
    """The letter as it will be made: filled in from the case, for the practitioner to check and change."""

    recipient_name = forms.CharField(
        label="Who is the letter to?",
        max_length=150,
        error_messages=required_message("Enter the name of the person the letter is to"),
    )
    recipient_address = forms.CharField(
        label="Their address (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    heading = forms.CharField(
        label="Heading of the letter",
        max_length=150,
        error_messages=required_message("Enter the heading of the letter"),
    )
    text = forms.CharField(
        label="Words of the letter",
        help_text="Change anything you need to. Leave a blank line between paragraphs.",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages=required_message("Enter the words of the letter"),
    )

    def clean(self):
        """The service's own rule (`letter_make_problems`), so every problem is shown at once."""
        data = super().clean()
        problems = letter_make_problems(
            recipient_name=data.get("recipient_name", ""),
            heading=data.get("heading", ""),
            text=data.get("text", ""),
        )
        for field, messages in problems.items():
            if field not in self.errors:
                self.add_error(field, messages)
        return data
