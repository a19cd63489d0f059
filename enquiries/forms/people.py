"""Forms for the person (the adult at risk) and their network, in the GOV.UK voice."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator

from msp_cases.accounts.models import User
from msp_cases.core.forms import GovFormMixin, VersionField

from ..models import NetworkMember, Person
from ..models.choices import ContactMethod, NetworkRelationship
from ..selectors.people import local_identifier_in_use, person_possible_duplicates, restrictable_users
from ..services.people import person_may_restrict
from ..validators import (
    format_nhs_number,
    normalise_nhs_number,
    validate_date_of_birth,
    validate_date_of_death,
    validate_nhs_number,
)

# Text with no limit in the database still gets one here, so a paste of a whole document is refused clearly.
TEXT_LIMITS = {
    "address": 500,
    "other_names": 1000,
    "other_communication_needs": 2000,
    "contact_preferences": 2000,
    "safe_contact": 2000,
    "notes": 5000,
}


def _heading(text: str) -> HTML:
    return HTML(f'<h2 class="govuk-heading-m govuk-!-margin-top-6">{text}</h2>')


class DateOfBirthField(DateInputField):
    """Day / month / year, with messages that say what is wrong with *this* date."""

    def __init__(self, *, what: str = "Date of birth", **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter their {what.lower()}"
        self.error_messages["incomplete"] = f"{what} must include a day, month and year"
        real_date = f"{what} must be a real date"
        day, month, year = self.fields
        day.error_messages["incomplete"] = f"{what} must include a day"
        month.error_messages["incomplete"] = f"{what} must include a month"
        year.error_messages["incomplete"] = f"{what} must include a year"
        day.validators = [RegexValidator(r"^[0-9]{1,2}$", real_date)]
        month.validators = [RegexValidator(r"^[0-9]{1,2}$", real_date)]
        year.validators = [RegexValidator(r"^[0-9]{4}$", "Year must include 4 numbers")]

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as exc:
            raise ValidationError(f"{self.what} must be a real date", code="invalid") from exc


class _CaseModelForm(GovFormMixin, forms.ModelForm):
    """Messages in the GOV.UK voice for required and over-long text; no `maxlength` attribute, which would
    silently cut off what the user typed instead of telling them."""

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in TEXT_LIMITS:
                field.max_length = TEXT_LIMITS[name]
                field.validators.append(MaxLengthValidator(TEXT_LIMITS[name]))
            if getattr(field, "max_length", None):
                label = (field.label or name).removesuffix(" (optional)")
                field.error_messages["max_length"] = f"{label} must be {field.max_length} characters or fewer"
                field.widget.attrs.pop("maxlength", None)
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]
                field.error_messages["invalid_choice"] = self.required_messages[name]

    def add_version(self) -> None:
        """Edit forms carry the version they were loaded at (msp_cases.core.concurrency)."""
        self.fields["version"] = VersionField(initial=self.instance.version)
        self.helper.layout.append(Field("version"))


class PersonForm(_CaseModelForm):
    date_of_birth = DateOfBirthField(
        label="Date of birth (optional)",
        required=False,
        help_text="For example, 27 3 1941. Leave it blank if you do not know it.",
    )
    # Recorded on a person's details once they are known; SG1 then counts their age at death.
    date_of_death = DateOfBirthField(
        what="Date of death",
        label="Date of death (optional)",
        required=False,
        help_text="Only if they have died. For example, 3 3 2026.",
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=20,
        help_text="A 10 digit number, like 485 777 3457",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
    )
    restricted_to = forms.ModelMultipleChoiceField(
        label="Staff named on this record",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only these staff and unit leads can see a restricted record. You stay named on it.",
    )
    not_a_duplicate = forms.BooleanField(label="This is a different person", required=False)

    required_messages = {
        "gender": "Select their gender, or \u2018Not Known\u2019",
        "ethnicity": "Select their ethnicity, or \u2018Undeclared / Not Known\u2019",
        "primary_support_reason": "Select their primary support reason, or \u2018Not Known\u2019",
    }
    # Asked with no answer chosen; "Not Known" is one of the answers, to be chosen like any other.
    NO_DEFAULT_ANSWER = ("gender", "ethnicity", "primary_support_reason")

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "description",
            "preferred_name",
            "other_names",
            "pronouns",
            "date_of_birth",
            "date_of_death",
            "gender",
            "ethnicity",
            "primary_support_reason",
            "has_autism",
            "has_aspergers",
            "address",
            "postcode",
            "nhs_number",
            "local_identifier",
            "phone",
            "email",
            "preferred_contact_method",
            "contact_through",
            "preferred_language",
            "needs_interpreter",
            "uses_bsl",
            "wants_easy_read",
            "other_communication_needs",
            "contact_preferences",
            "safe_contact",
            "is_restricted",
            "restricted_to",
        ]
        labels = {
            "given_name": "Given name",
            "family_name": "Family name",
            "description": "If you do not know their name yet, describe them",
            "preferred_name": "Preferred name (optional)",
            "other_names": "Other names (optional)",
            "pronouns": "Pronouns (optional)",
            "gender": "Gender",
            "ethnicity": "Ethnicity",
            "primary_support_reason": "Primary support reason",
            "has_autism": "Autism (excluding Asperger's syndrome or high functioning autism)",
            "has_aspergers": "Asperger's syndrome or high functioning autism",
            "address": "Address (optional)",
            "postcode": "Postcode (optional)",
            "local_identifier": "Local identifier (optional)",
            "phone": "Phone number (optional)",
            "email": "Email address (optional)",
            "preferred_contact_method": "How do they prefer to be contacted? (optional)",
            "contact_through": "Who should we contact them through? (optional)",
            "preferred_language": "Preferred language (optional)",
            "needs_interpreter": "Needs an interpreter",
            "uses_bsl": "Uses British Sign Language (BSL)",
            "wants_easy_read": "Wants easy read information",
            "other_communication_needs": "Other communication needs (optional)",
            "contact_preferences": "How and when they want to be contacted (optional)",
            "safe_contact": "Safe ways to contact them (optional)",
            "is_restricted": "Restrict this record",
        }
        help_texts = {
            "description": "For example, man, about 70, lives at 3 Elm Road. Add their names when known.",
            "preferred_name": "What they like to be called",
            "other_names": "Names they have been known by, such as a previous family name or a nickname. Put "
            "each name on a new line.",
            "pronouns": "For example, she/her, he/him, they/them",
            "local_identifier": "For example, their social care record number",
            "phone": "For example, 01632 960 001 or 07700 900 982",
            "contact_through": "If through a named person, their name and how they are connected to them",
            "preferred_language": "For example, English, Polish, Urdu",
            "contact_preferences": "For example, by phone to their mobile, weekday mornings",
            "safe_contact": "For example, do not leave voicemail, do not write to the home address",
            "is_restricted": "For example, when the person works for the council. Only named staff and unit "
            "leads will see them and their records.",
        }
        widgets = {
            "gender": forms.RadioSelect,
            "ethnicity": forms.RadioSelect,
            "primary_support_reason": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3}),
            "other_names": forms.Textarea(attrs={"rows": 2}),
            "preferred_contact_method": forms.RadioSelect,
            "other_communication_needs": forms.Textarea(attrs={"rows": 3}),
            "contact_preferences": forms.Textarea(attrs={"rows": 3}),
            "safe_contact": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.is_new = self.instance.pk is None
        self.duplicates = None
        if self.is_new:
            # A death is recorded on the person's details, not while they are first recorded.
            del self.fields["date_of_death"]
        for name in self.NO_DEFAULT_ANSWER:
            # No "---------" radio: the model field has no default, so Django would offer a blank choice.
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        # Optional: no answer is the blank, never a "---------" radio.
        self.fields["preferred_contact_method"].choices = ContactMethod.choices
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["phone"].widget.input_type = "tel"
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
        self.may_restrict = person_may_restrict(user)
        if self.may_restrict:
            self.fields["restricted_to"].queryset = restrictable_users(user=user, person=self.instance)
            self.fields["restricted_to"].label_from_instance = lambda u: u.full_name or u.email
        else:
            del self.fields["is_restricted"]
            del self.fields["restricted_to"]
        if not self.is_new:
            del self.fields["not_a_duplicate"]
            # Shown in the groups people read it in; stored as digits.
            self.initial["nhs_number"] = format_nhs_number(self.initial.get("nhs_number", ""))

        layout = [
            Field.text("given_name", field_width=20),
            Field.text("family_name", field_width=20),
            Field.text("description"),
            Field.text("preferred_name", field_width=20),
            Field.textarea("other_names", rows=2),
            Field.text("pronouns", field_width=10),
            Field("date_of_birth"),
            *([] if self.is_new else [Field("date_of_death")]),
            Field.radios("gender", legend_size=Size.SMALL, inline=True),
            Field.radios("ethnicity", legend_size=Size.SMALL),
            Field.radios("primary_support_reason", legend_size=Size.SMALL),
            Fieldset(
                HTML('<div class="govuk-hint">Select all that apply</div>'),
                Field.checkbox("has_autism"),
                Field.checkbox("has_aspergers"),
                legend="Learning, developmental or intellectual disability",
                legend_size=Size.SMALL,
            ),
            _heading("Address and identifiers"),
            Field.textarea("address", rows=3),
            Field.text("postcode", field_width=10),
            Field.text("nhs_number", field_width=10),
            Field.text("local_identifier", field_width=20),
            _heading("Communication"),
            Field.text("preferred_language", field_width=20),
            Fieldset(
                HTML('<div class="govuk-hint">Select all that apply</div>'),
                Field.checkbox("needs_interpreter"),
                Field.checkbox("uses_bsl"),
                Field.checkbox("wants_easy_read"),
                legend="Communication support",
                legend_size=Size.SMALL,
            ),
            Field.textarea("other_communication_needs", rows=3),
            _heading("Contacting them"),
            Field.text("phone", field_width=20),
            Field.text("email", field_width=20),
            Field.radios("preferred_contact_method", legend_size=Size.SMALL),
            Field.text("contact_through", field_width=20),
            Field.textarea("contact_preferences", rows=3),
            Field.textarea("safe_contact", rows=3),
        ]
        if self.may_restrict:
            layout += [
                _heading("Restricted record"),
                Field.checkbox("is_restricted"),
                Field.checkboxes("restricted_to", legend_size=Size.SMALL, small=True),
            ]
        self.helper.layout = Layout(*layout)
        if not self.is_new:
            self.add_version()

    def clean_nhs_number(self) -> str:
        value = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if value:
            validate_nhs_number(value)
        return value

    def clean_local_identifier(self) -> str:
        value = self.cleaned_data.get("local_identifier", "").strip()
        if value and local_identifier_in_use(value, exclude_pk=self.instance.pk):
            raise ValidationError(
                "A person with this local identifier is already recorded. Search for them by it",
                code="unique",
            )
        return value

    def clean_phone(self) -> str:
        return " ".join(self.cleaned_data.get("phone", "").split())

    def clean_postcode(self) -> str:
        return " ".join(self.cleaned_data.get("postcode", "").upper().split())

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        validate_date_of_birth(value)
        return value

    def _clean_date_of_death(self, cleaned: dict) -> None:
        if "date_of_death" not in self.fields or {"date_of_death", "date_of_birth"} & set(self.errors):
            return
        try:
            validate_date_of_death(cleaned.get("date_of_death"), date_of_birth=cleaned.get("date_of_birth"))
        except ValidationError as error:
            self.add_error("date_of_death", error)

    def _clean_names(self, cleaned: dict) -> None:
        """Both names, or a description of someone whose name is not known yet."""
        if cleaned.get("description", "").strip():
            return
        if not cleaned.get("given_name") and "given_name" not in self.errors:
            self.add_error("given_name", "Enter their given name, or describe them if you do not know it")
        if not cleaned.get("family_name") and "family_name" not in self.errors:
            self.add_error("family_name", "Enter their family name, or describe them if you do not know it")

    def _clean_contact_method(self, cleaned: dict) -> None:
        """The preferred way of contact needs the detail it uses."""
        method = cleaned.get("preferred_contact_method")
        needs = {
            ContactMethod.PHONE: ("phone", "Enter their phone number, or choose another way to contact them"),
            ContactMethod.TEXT: ("phone", "Enter their phone number, or choose another way to contact them"),
            ContactMethod.EMAIL: (
                "email",
                "Enter their email address, or choose another way to contact them",
            ),
            ContactMethod.LETTER: ("address", "Enter their address, or choose another way to contact them"),
            ContactMethod.NAMED_PERSON: ("contact_through", "Enter who to contact them through"),
        }
        if method in needs:
            field, message = needs[method]
            if not cleaned.get(field) and field not in self.errors:
                self.add_error(field, message)

    def clean(self):
        cleaned = super().clean()
        self._clean_names(cleaned)
        self._clean_date_of_death(cleaned)
        self._clean_contact_method(cleaned)
        if self.is_new and not self.errors:
            self.duplicates = person_possible_duplicates(
                user=self.user,
                given_name=cleaned.get("given_name", ""),
                family_name=cleaned.get("family_name", ""),
                date_of_birth=cleaned.get("date_of_birth"),
                nhs_number=cleaned.get("nhs_number", ""),
            )
            if self.duplicates:
                # The warning and the confirmation go first, where the user's eye lands after the summary.
                self.helper.layout.fields[0:0] = [
                    HTML('{% include "enquiries/people/_duplicate_warning.html" %}'),
                    Field.checkbox("not_a_duplicate"),
                ]
                if not cleaned.get("not_a_duplicate"):
                    self.add_error(
                        "not_a_duplicate",
                        "Check the possible matches, then confirm this is a different person",
                    )
        return cleaned

    def person_fields(self) -> dict:
        """What the services write: the model fields, without the form's own extras."""
        skip = {"restricted_to", "version", "not_a_duplicate"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}

    def named_staff(self):
        return self.cleaned_data["restricted_to"] if "restricted_to" in self.fields else None


class NetworkMemberForm(_CaseModelForm):
    required_messages = {
        "name": "Enter their name",
        "relationship": "Select how they are connected to the person",
        "persons_view": "Select what the person wants",
    }

    class Meta:
        model = NetworkMember
        fields = ["name", "relationship", "role", "agency", "contact", "persons_view", "notes", "is_active"]
        labels = {
            "name": "Name",
            "relationship": "How are they connected to the person?",
            "role": "Role or relationship, in the person's words (optional)",
            "agency": "Organisation or agency (optional)",
            "contact": "Contact details (optional)",
            "persons_view": "What does the person want?",
            "notes": "Notes (optional)",
            "is_active": "Still involved",
        }
        help_texts = {
            "role": "For example, daughter, GP, support worker",
            "agency": "For professionals and advocates",
            "contact": "Phone, email or address",
            "persons_view": "Ask the person. If they do not want someone to know, do not contact that person "
            "about the concern.",
            "is_active": "Untick if they are no longer part of the person's life or support",
        }
        widgets = {
            "relationship": forms.RadioSelect,
            "persons_view": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No "---------" radio: the relationship must be chosen.
        self.fields["relationship"].choices = NetworkRelationship.choices
        layout = [
            Field.text("name", field_width=20),
            Field.radios("relationship", legend_size=Size.SMALL),
            Field.text("role", field_width=20),
            Field.text("agency", field_width=20),
            Field.text("contact", field_width=20),
            Field.radios("persons_view", legend_size=Size.SMALL),
            Field.textarea("notes", rows=4),
        ]
        if self.instance.pk is None:
            del self.fields["is_active"]
        else:
            layout.append(Field.checkbox("is_active"))
        self.helper.layout = Layout(*layout)
        if self.instance.pk is not None:
            self.add_version()

    def member_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class PersonSearchForm(GovFormMixin, forms.Form):
    q = forms.CharField(
        label="Name, date of birth, NHS number, phone number, postcode or local identifier",
        max_length=100,
        required=False,
        help_text="For example, Margaret Hughes 12/3/1941, 485 777 3457, 07700 900982 or NT1 2AB",
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
