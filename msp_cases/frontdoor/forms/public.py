"""The questions of "Report a concern", one page each, in plain words (GOV.UK question pages).

Every field has the size limit of the column it ends up in, so nothing typed can be longer than the
referral can keep, and every error is in the GOV.UK voice ("Enter what happened")."""

import datetime

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from msp_cases.core.forms import GovDateField, GovFormMixin, required_message
from msp_cases.documents.forms import MultipleFileField

from ..models import Referral, YesNoUnknown

YES_NO = [("yes", "Yes"), ("no", "No")]


def _max(field: str) -> int:
    return Referral._meta.get_field(field).max_length


def _text(
    field: str, label: str, *, required: bool = False, hint: str = "", what: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        max_length=_max(field),
        error_messages={
            "required": what or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label.rstrip('?')} must be {_max(field)} characters or fewer",
        },
    )


def _area(field: str, label: str, **kwargs) -> forms.CharField:
    text = _text(field, label, **kwargs)
    text.widget = forms.Textarea()
    return text


class StepForm(GovFormMixin, forms.Form):
    """One question page. Its cleaned data is kept in the session as JSON (`to_answers`), and the page is
    filled again from it (`from_answers`) when someone changes an answer or comes back to a draft."""

    @classmethod
    def from_answers(cls, answers: dict) -> dict:
        initial = dict(answers)
        for name, field in cls.base_fields.items():
            if isinstance(field, GovDateField) and initial.get(name):
                initial[name] = datetime.date.fromisoformat(initial[name])
        return initial

    def to_answers(self) -> dict:
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.cleaned_data.items()
        }


class DangerForm(StepForm):
    immediate_danger = forms.ChoiceField(
        label="Is the adult in danger right now?",
        help_text="For example, they are hurt, or someone is about to hurt them.",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=required_message("Select yes if the adult is in danger right now"),
    )
    layout = Layout(Field.radios("immediate_danger", legend_size=Size.LARGE, legend_tag="h1", inline=True))


class ReporterForm(StepForm):
    referrer_type = forms.ChoiceField(
        label="Are you telling us as part of your job?",
        choices=[
            (
                Referral.ReferrerType.PROFESSIONAL,
                "Yes, I am telling you as part of my job, for example as a doctor, nurse, police officer "
                "or care worker",
            ),
            (Referral.ReferrerType.PUBLIC, "No, I am a member of the public, a friend or a relative"),
        ],
        widget=forms.RadioSelect,
        error_messages=required_message("Select yes if you are telling us as part of your job"),
    )
    layout = Layout(Field.radios("referrer_type", legend_size=Size.LARGE, legend_tag="h1"))


class AdultForm(StepForm):
    heading = "Who is the adult?"
    adult_name = _text("adult_name", "Their full name", hint="Leave this blank if you do not know it.")
    adult_description = _area(
        "adult_description",
        "If you do not know their name, how can we find them?",
        hint="For example, ‘the man who lives at number 12’.",
    )
    layout = Layout(Field.text("adult_name"), Field.textarea("adult_description", rows=3))

    def clean(self):
        data = super().clean()
        if not data.get("adult_name") and not data.get("adult_description") and not self.errors:
            self.add_error("adult_name", "Enter the adult’s name, or tell us how we can find them")
        return data


class AddressForm(StepForm):
    adult_address = _area(
        "adult_address", "Where does the adult live?", hint="Leave this blank if you do not know."
    )
    layout = Layout(Field.textarea("adult_address", label_size=Size.LARGE, label_tag="h1", rows=4))


class AgeForm(StepForm):
    heading = "How old is the adult?"
    adult_date_of_birth = GovDateField(
        what="their date of birth",
        label="Their date of birth",
        help_text="For example, 27 3 1950. Leave this blank if you do not know it.",
        required=False,
    )
    adult_age = _text(
        "adult_age",
        "If you do not know their date of birth, how old are they?",
        hint="For example, about 80.",
    )
    layout = Layout(Field("adult_date_of_birth"), Field.text("adult_age", field_width=10))


class CommunicationForm(StepForm):
    adult_communication_needs = _area(
        "adult_communication_needs",
        "Does the adult need help to talk with us?",
        hint="For example, they use sign language, need someone to speak their language, or need easy "
        "words. Leave this blank if not.",
    )
    layout = Layout(
        Field.textarea("adult_communication_needs", label_size=Size.LARGE, label_tag="h1", rows=4)
    )


class WhatHappenedForm(StepForm):
    what_happened = _area(
        "what_happened",
        "What happened?",
        required=True,
        what="Enter what happened",
        hint="Tell us what you saw, heard or were told. Use your own words.",
    )
    layout = Layout(
        Field.textarea(
            "what_happened",
            label_size=Size.LARGE,
            label_tag="h1",
            rows=8,
            max_characters=_max("what_happened"),
        )
    )


class WhenWhereForm(StepForm):
    heading = "When and where did it happen?"
    when_happened = _text(
        "when_happened", "When did it happen?", hint="For example, last night, or it has gone on for months."
    )
    where_happened = _text(
        "where_happened", "Where did it happen?", hint="For example, at their home, or at a care home."
    )
    layout = Layout(Field.text("when_happened"), Field.text("where_happened"))


class AllegedForm(StepForm):
    heading = "Who do you think caused the harm?"
    alleged_cause = _area(
        "alleged_cause",
        "Their name, or what you know about them",
        hint="Leave this blank if you do not know.",
    )
    alleged_cause_relationship = _text(
        "alleged_cause_relationship",
        "How do they know the adult?",
        hint="For example, son, neighbour or paid carer.",
    )
    layout = Layout(Field.textarea("alleged_cause", rows=3), Field.text("alleged_cause_relationship"))


class KnowsForm(StepForm):
    adult_knows = forms.ChoiceField(
        label="Does the adult know you are telling us?",
        choices=YesNoUnknown.choices,
        widget=forms.RadioSelect,
        error_messages=required_message("Select if the adult knows you are telling us"),
    )
    layout = Layout(Field.radios("adult_knows", legend_size=Size.LARGE, legend_tag="h1"))


class WishesForm(StepForm):
    adult_wishes = _area(
        "adult_wishes",
        "What does the adult want to happen?",
        hint="Use their own words if you can. Leave this blank if you do not know.",
    )
    layout = Layout(Field.textarea("adult_wishes", label_size=Size.LARGE, label_tag="h1", rows=5))


class ContactForm(StepForm):
    heading = "Contacting the adult"
    safe_to_contact = forms.ChoiceField(
        label="Is it safe for us to contact the adult?",
        choices=YesNoUnknown.choices,
        widget=forms.RadioSelect,
        error_messages=required_message("Select if it is safe for us to contact the adult"),
    )
    contact_how = _text(
        "contact_how", "How should we contact them?", hint="For example, phone their mobile, or visit."
    )
    contact_when = _text("contact_when", "When is it safe to contact them?", hint="For example, mornings.")
    must_not_know = _text(
        "must_not_know",
        "Is there anyone who must not know we are in touch?",
        hint="For example, the person who lives with them.",
    )
    layout = Layout(
        Field.radios("safe_to_contact", legend_size=Size.MEDIUM),
        Field.text("contact_how"),
        Field.text("contact_when"),
        Field.text("must_not_know"),
    )


class PublicReferrerForm(StepForm):
    heading = "Your details"
    intro = (
        "You do not have to tell us who you are. If you do, we can contact you if we need to know more, "
        "and we will email you a reference number."
    )
    referrer_name = _text("referrer_name", "Your name")
    referrer_relationship = _text(
        "referrer_relationship", "How do you know the adult?", hint="For example, neighbour or daughter."
    )
    referrer_phone = _text("referrer_phone", "Your phone number")
    referrer_email = forms.EmailField(
        label="Your email address",
        required=False,
        max_length=_max("referrer_email"),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    layout = Layout(
        Field.text("referrer_name"),
        Field.text("referrer_relationship"),
        Field.text("referrer_phone", field_width=20),
        Field.text("referrer_email", spellcheck="false", autocomplete="email"),
    )


class ProfessionalReferrerForm(StepForm):
    heading = "Your details"
    referrer_name = _text("referrer_name", "Your name", required=True)
    referrer_organisation = _text(
        "referrer_organisation", "Your organisation", required=True, hint="For example, Elm Road Surgery."
    )
    referrer_role = _text("referrer_role", "Your job", required=True, hint="For example, practice nurse.")
    referrer_email = forms.EmailField(
        label="Your work email address",
        max_length=_max("referrer_email"),
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    referrer_phone = _text(
        "referrer_phone", "Your work phone number", required=True, what="Enter your work phone number"
    )
    police_crime_number = _text(
        "police_crime_number",
        "Police crime reference number",
        hint="If the police have been told and gave a crime number. Leave this blank if not.",
    )
    layout = Layout(
        Field.text("referrer_name"),
        Field.text("referrer_organisation"),
        Field.text("referrer_role"),
        Field.text("referrer_email", spellcheck="false", autocomplete="email"),
        Field.text("referrer_phone", field_width=20),
        Field.text("police_crime_number", field_width=20),
    )


class SubmitForm(GovFormMixin, forms.Form):
    """The check-answers page's button. `website` is a honeypot: hidden from people (and from screen
    readers), filled in only by scripts that fill every box."""

    website = forms.CharField(required=False, max_length=200)


class SaveForm(GovFormMixin, forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        help_text="We will email you a link to come back to your report. It works for 30 days.",
        max_length=254,
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    layout = Layout(Field.text("email", spellcheck="false", autocomplete="email"))


class CodeForm(GovFormMixin, forms.Form):
    code = forms.RegexField(
        label="Security code",
        help_text="The 6 numbers in the email we sent you.",
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=20,
        error_messages={
            "required": "Enter the security code",
            "invalid": "Enter the 6 numbers from the email",
        },
    )
    layout = Layout(Field.text("code", field_width=5, autocomplete="one-time-code", inputmode="numeric"))


class ReportFilesForm(GovFormMixin, forms.Form):
    """Photos or documents to send with the report (services/report_files.py checks and holds them). The
    file input is drawn by templates/frontdoor/public/documents.html."""

    files = MultipleFileField(label="Upload a file", required=False)
