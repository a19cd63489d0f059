"""The register's forms: a review (its referral, the board's decision, the section 44 criteria, whether
anyone died, when it was published, the enquiries and concerns it is about) and an individual it concerns.
The model's `review_problems` and the services decide what goes together; every problem is shown at once."""

from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin, VersionField, required_message

from .models import NOTES_MAX, SafeguardingAdultsReview

YES_NO = [("True", "Yes"), ("False", "No")]


def _yes_no(label: str, *, what: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "True",
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages=required_message(f"Select {what}"),
    )


class ReviewForm(GovFormMixin, forms.Form):
    name = forms.CharField(
        label="Name of the review",
        max_length=100,
        help_text="How the board speaks of it, never the person’s name: for example ‘Adult V’ or ‘Family W’",
        error_messages={
            **required_message("Enter the name of the review"),
            "max_length": "The name of the review must be 100 characters or fewer",
        },
    )
    referred_on = GovDateField(
        what="the date it was referred to the board", label="Date referred to the board"
    )
    decision = forms.ChoiceField(
        label="Has the board decided whether to arrange a review?",
        choices=SafeguardingAdultsReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages=required_message("Select the board’s decision"),
    )
    decided_on = GovDateField(
        what="the date of the decision",
        label="Date of the decision",
        required=False,
        help_text="Leave empty until the board has decided.",
    )
    criteria = forms.ChoiceField(
        label="Were the section 44 criteria met?",
        choices=SafeguardingAdultsReview.Criteria.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Leave unselected until the board has decided.",
        error_messages=required_message("Select whether the section 44 criteria were met"),
    )
    anyone_died = _yes_no(
        "Did one or more of the individuals die?", what="whether one or more individuals died"
    )
    completed_on = GovDateField(
        what="the date the review was published or completed",
        label="Date the review was published or completed",
        required=False,
        help_text="Leave empty while the review is under way.",
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea,
        error_messages={"max_length": f"Notes must be {NOTES_MAX} characters or fewer"},
    )

    def __init__(self, *args, enquiries=None, concerns=None, with_version: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.text("name"),
            Field("referred_on"),
            Field.radios("decision", legend_size="m"),
            Field("decided_on"),
            Field.radios("criteria", legend_size="m"),
            Field.radios("anyone_died", legend_size="m", inline=True),
            Field("completed_on"),
            Field.textarea("notes", rows=5),
        ]
        # The enquiries and concerns to link: offered where there are some (those of the individuals'
        # people, and those linked already); where there are none, the page says how to have some.
        offered = [
            (name, queryset, label, hint, label_from_instance)
            for name, queryset, label, hint, label_from_instance in (
                (
                    "enquiries",
                    enquiries,
                    "Which enquiries is the review about?",
                    "The enquiries of the review’s individuals.",
                    _enquiry_label,
                ),
                (
                    "concerns",
                    concerns,
                    "Which safeguarding concerns is the review about?",
                    "The concerns of the review’s individuals.",
                    _concern_label,
                ),
            )
            if queryset is not None and queryset.exists()
        ]
        for name, queryset, label, hint, label_from_instance in offered:
            self.fields[name] = forms.ModelMultipleChoiceField(
                queryset=queryset,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=label,
                help_text=hint,
            )
            self.fields[name].label_from_instance = label_from_instance
            fields.append(Field.checkboxes(name, legend_size="m"))
        if enquiries is not None and not offered:
            fields.append(
                HTML(
                    '<h2 class="govuk-heading-m">Enquiries and concerns</h2>'
                    '<p class="govuk-body">To link the review to enquiries and concerns, first add its '
                    "individuals with the record numbers of their people’s records.</p>"
                )
            )
        if with_version:
            self.fields["version"] = VersionField()
            fields.append(Field("version"))
        self.helper.layout = Layout(*fields)

    @classmethod
    def initial_for(cls, review: SafeguardingAdultsReview) -> dict:
        initial = {name: getattr(review, name) for name in cls.base_fields}
        initial["anyone_died"] = str(review.anyone_died)
        initial["version"] = review.version
        initial["enquiries"] = [e.pk for e in review.enquiries.all()]
        initial["concerns"] = [c.pk for c in review.concerns.all()]
        return initial

    def add_service_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _enquiry_label(enquiry) -> str:
    return (
        f"{enquiry.person.display_name}: {enquiry.get_enquiry_type_display()} opened "
        f"{enquiry.opened_at:%-d %B %Y} ({enquiry.team.name})"
    )


def _concern_label(concern) -> str:
    received = f"{concern.received_at:%-d %B %Y}"
    return f"{concern.person.display_name}: concern received {received} ({concern.team.name})"


class IndividualForm(GovFormMixin, forms.Form):
    """An individual: their person's record where they are on the system (by its number, as in the address
    of their record), or a short description."""

    person_number = forms.IntegerField(
        label="Record number of their person’s record (optional)",
        required=False,
        min_value=1,
        max_value=10**15,
        help_text=(
            "If they are on this system: the number at the end of the address of their record, for example "
            "123 for /people/123/. Find them with ‘Find a person’."
        ),
        error_messages={
            "invalid": "Enter the record number in digits, for example 123",
            "min_value": "Enter the record number in digits, for example 123",
            "max_value": "There is no person’s record with that number",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    description = forms.CharField(
        label="Short description (optional if they are on this system)",
        required=False,
        max_length=200,
        help_text="For example ‘Adult V, aged 70s’. Required when they are not on this system.",
        error_messages={"max_length": "The description must be 200 characters or fewer"},
    )
    serious_harm = _yes_no("Did they suffer serious harm?", what="whether they suffered serious harm")
    died = _yes_no("Did they die?", what="whether they died")

    layout = Layout(
        Field.text("person_number", field_width=10),
        Field.text("description"),
        Field.radios("serious_harm", legend_size="m", inline=True),
        Field.radios("died", legend_size="m", inline=True),
    )

    def __init__(self, *args, find_person=None, with_version: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # find_person(pk) -> the person the user may see, or None (the selector, scoped to the user).
        self.find_person = find_person
        if with_version:
            self.fields["version"] = VersionField()
            self.helper.layout = Layout(*self.layout.fields, Field("version"))

    @classmethod
    def initial_for(cls, individual) -> dict:
        return {
            "person_number": individual.person_id,
            "description": individual.description,
            "serious_harm": str(individual.serious_harm),
            "died": str(individual.died),
            "version": individual.version,
        }

    def clean(self):
        data = super().clean()
        number = data.get("person_number")
        data["person"] = None
        if number is not None:
            person = self.find_person(number) if self.find_person else None
            if person is None:
                self.add_error(
                    "person_number", "There is no person’s record with that number that you can see"
                )
            data["person"] = person
        elif "person_number" not in self.errors and not data.get("description"):
            self.add_error(
                "description", "Enter a short description, or the record number of their person’s record"
            )
        return data

    def add_service_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            field = "person_number" if name == "person" else name
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("person", "description", "serious_harm", "died")}
