"""Add documents (several files at once: a plain `<input type="file" multiple>`, which works without
JavaScript, enhanced by MOJ Frontend's multi-file upload, which holds each file as it is chosen: `held.py`)
and remove one in error."""

from crispy_forms_gds.layout import Layout
from django import forms
from django.conf import settings

from msp_cases.core.forms import GovDateField, GovFormMixin, required_message

from .files import ALLOWED_WORDS, size_words
from .models import Document
from .services import Upload, document_upload_problems


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Every file selected, as a list (Django's documented pattern for `multiple`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [item for item in data if item]
        return [data] if data else []


class DocumentUploadForm(GovFormMixin, forms.Form):
    # The files field is drawn by templates/documents/_file_input.html (a file input with `multiple`,
    # inside MOJ multi-file upload's markup); crispy draws the rest.
    layout = Layout("title", "kind", "document_date", "provided_by")
    files = MultipleFileField(label="Upload files", required=False)
    title = forms.CharField(
        label="Title",
        max_length=100,
        help_text="For example, “Letter from GP about medication”. With several files, each is titled with "
        "this and its file name.",
        error_messages={
            **required_message("Enter a title for the document"),
            "max_length": "The title must be 100 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages=required_message("Select what the document is"),
    )
    document_date = GovDateField(
        label="Date on the document (optional)",
        what="the date on the document",
        required=False,
        help_text="For example, 27 3 2026",
    )
    provided_by = forms.CharField(
        label="Who provided it (optional)",
        max_length=150,
        required=False,
        help_text="For example, the person’s GP, the care provider, the police",
        error_messages={"max_length": "Who provided it must be 150 characters or fewer"},
    )

    def __init__(self, *args, held=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Files already chosen in the multi-file upload and held for this form (checked when they came).
        self.held = list(held)
        self.fields["files"].help_text = (
            f"Up to {settings.DOCUMENT_MAX_FILES} files, each smaller than "
            f"{size_words(settings.DOCUMENT_MAX_BYTES)}: {ALLOWED_WORDS}."
        )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        # The same rule the service applies, so every problem with every file shows at once with the rest.
        # Held files count towards the limit but were checked when they came.
        if self.held and len(files) + len(self.held) > settings.DOCUMENT_MAX_FILES:
            problems = [f"Select up to {settings.DOCUMENT_MAX_FILES} files at a time"]
        elif self.held and not files:
            problems = []
        else:
            _, problems = document_upload_problems(uploads=self.uploads(files))
        if problems:
            raise forms.ValidationError(problems)
        return files

    @staticmethod
    def uploads(files) -> list[Upload]:
        return [Upload(name=f.name, file=f) for f in files]


class DocumentRemoveForm(GovFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is this document being removed?",
        help_text="For example, it was added to the wrong person’s record. Safeguarding unit staff can still "
        "see it and this reason.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            **required_message("Enter why the document is being removed"),
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
