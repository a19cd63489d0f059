"""The screening form: who the referral is about, and what happens next. One page, every problem shown at
once; the service (services/screening.py) checks the same things again."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.core.validators import MaxLengthValidator

from enquiries.forms.conversations import _ConditionalQuestion, _ConditionalRadios
from enquiries.forms.people import DateOfBirthField
from enquiries.models import Person
from enquiries.selectors.concerns import teams_for_new_concern
from enquiries.validators import format_nhs_number, normalise_nhs_number, validate_nhs_number
from msp_cases.core.forms import GovFormMixin, VersionField

from ..services.screening import (
    CRITERIA_MESSAGES,
    MSG_ADULT,
    MSG_ADVICE,
    MSG_FAMILY_NAME,
    MSG_GIVEN_NAME,
    MSG_REASON,
    MSG_TEAM,
    NewPerson,
    split_name,
)

NEW_PERSON = "new"
ROUTE, ADVICE, NOT_SAFEGUARDING = "route", "advice", "not_safeguarding"
OUTCOMES = [
    (ROUTE, "Send it to a team to decide"),
    (ADVICE, "Close it: information and advice given"),
    (NOT_SAFEGUARDING, "Close it: not a safeguarding concern"),
]
MSG_OUTCOME = "Select what happens next"
YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _criterion(label: str, name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": CRITERIA_MESSAGES[name]},
    )


def _text(label: str, limit: int, *, textarea: bool = False, help_text: str = "") -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea if textarea else forms.TextInput,
        validators=[MaxLengthValidator(limit)],
        error_messages={
            "max_length": f"{label.removesuffix(' (optional)')} must be {limit} characters or fewer"
        },
    )
    field.max_length = limit
    return field


def describe_match(person: Person) -> str:
    """What a match shows of a person, in one line: date of birth, address, NHS number. Nothing else."""
    parts = [
        f"Born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else "Date of birth not recorded",
        ", ".join(p for p in (person.address.replace("\n", ", "), person.postcode) if p)
        or "No address recorded",
        f"NHS number {format_nhs_number(person.nhs_number)}"
        if person.nhs_number
        else "No NHS number recorded",
    ]
    return ". ".join(parts)


class ScreeningForm(GovFormMixin, forms.Form):
    adult = forms.ChoiceField(
        label="Who is the referral about?",
        widget=forms.RadioSelect,
        error_messages={"required": MSG_ADULT, "invalid_choice": MSG_ADULT},
    )
    given_name = _text("First name", 100)
    family_name = _text("Last name", 100)
    date_of_birth = DateOfBirthField(label="Date of birth (optional)", required=False)
    address = _text("Address (optional)", 500, textarea=True)
    postcode = _text("Postcode (optional)", 10)
    nhs_number = _text("NHS number (optional)", 12, help_text="10 digits, for example 943 476 5919")

    outcome = forms.ChoiceField(
        label="What happens next?",
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": MSG_OUTCOME, "invalid_choice": MSG_OUTCOME},
    )
    team = forms.ModelChoiceField(
        queryset=None,
        label="Team to send it to",
        required=False,
        empty_label="Select a team",
        error_messages={"invalid_choice": MSG_TEAM},
    )
    criteria_care_needs = _criterion("Does the adult have needs for care and support?", "criteria_care_needs")
    criteria_abuse_or_neglect = _criterion(
        "Are they experiencing, or at risk of, abuse or neglect?", "criteria_abuse_or_neglect"
    )
    criteria_unable_to_protect = _criterion(
        "As a result of those needs, are they unable to protect themselves?", "criteria_unable_to_protect"
    )
    advice = _text(
        "What information and advice was given?",
        2000,
        textarea=True,
        help_text="To the adult, the referrer or both. It is recorded as the concern's decision",
    )
    advice_reason = _text("Why does it need no further safeguarding action?", 2000, textarea=True)
    closure_reason = _text("Why is it not a safeguarding concern?", 2000, textarea=True)

    def __init__(self, *args, user, matches: list[Person], referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = {str(person.pk): person for person in matches}
        choices = [
            Choice(str(person.pk), person.display_name, hint=describe_match(person)) for person in matches
        ]
        new_label = "None of these: record a new person" if matches else "Record a new person"
        choices.append(Choice(NEW_PERSON, new_label))
        self.fields["adult"].choices = choices
        self.fields["team"].queryset = teams_for_new_concern(user=user)
        self.fields["version"] = VersionField(initial=referral.version)
        self.helper.layout = Layout(
            Field.radios("adult", legend_size=Size.MEDIUM),
            Fieldset(
                HTML(
                    '<p class="govuk-body">Only when nobody above is the adult. Start from what the referrer '
                    "said; correct it if you know better.</p>"
                ),
                Field.text("given_name", field_width=Fluid.TWO_THIRDS),
                Field.text("family_name", field_width=Fluid.TWO_THIRDS),
                Field("date_of_birth"),
                Field.textarea("address", rows=3),
                Field.text("postcode", field_width=10),
                Field.text("nhs_number", field_width=10),
                legend="A new person",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                _ConditionalRadios(
                    "outcome",
                    _ConditionalQuestion(OUTCOMES[0][1], Field.select("team")),
                    _ConditionalQuestion(
                        OUTCOMES[1][1],
                        HTML(
                            '<p class="govuk-body">It is still a safeguarding concern: it is recorded for '
                            "your team and decided “no further safeguarding action”, so it counts in the "
                            "Safeguarding Adults Collection.</p>"
                        ),
                        Field.radios("criteria_care_needs", inline=True),
                        Field.radios("criteria_abuse_or_neglect", inline=True),
                        Field.radios("criteria_unable_to_protect", inline=True),
                        Field.textarea("advice", rows=4),
                        Field.textarea("advice_reason", rows=4),
                    ),
                    _ConditionalQuestion(
                        OUTCOMES[2][1],
                        HTML(
                            '<p class="govuk-body">Nothing is recorded on anyone’s record. The referral '
                            "keeps your reason.</p>"
                        ),
                        Field.textarea("closure_reason", rows=4),
                    ),
                ),
                legend="Your decision",
                legend_size=Size.MEDIUM,
            ),
            "version",
        )

    def clean_nhs_number(self):
        value = self.cleaned_data.get("nhs_number") or ""
        if not value:
            return ""
        validate_nhs_number(value)
        return normalise_nhs_number(value)

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        adult = data.get("adult")
        needs_adult = outcome in (ROUTE, ADVICE)
        if needs_adult and adult == NEW_PERSON:
            if not data.get("given_name"):
                self.add_error("given_name", MSG_GIVEN_NAME)
            if not data.get("family_name"):
                self.add_error("family_name", MSG_FAMILY_NAME)
        if outcome == ROUTE and not data.get("team") and "team" not in self.errors:
            self.add_error("team", MSG_TEAM)
        if outcome == ADVICE:
            for name, message in CRITERIA_MESSAGES.items():
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, message)
            if not data.get("advice"):
                self.add_error("advice", MSG_ADVICE)
            if not data.get("advice_reason"):
                self.add_error("advice_reason", MSG_REASON)
        if outcome == NOT_SAFEGUARDING and not data.get("closure_reason"):
            self.add_error("closure_reason", MSG_REASON)
        # "Who is it about" matters only when a concern is recorded.
        if outcome == NOT_SAFEGUARDING and "adult" in self.errors:
            del self.errors["adult"]
        return data

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's field names, placed on this form's questions."""
        reason_field = (
            "closure_reason" if self.cleaned_data.get("outcome") == NOT_SAFEGUARDING else "advice_reason"
        )
        names = {"reason": reason_field}
        for name, messages in errors.items():
            target = names.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields else None, message)

    def person(self) -> Person | None:
        return self.matches.get(self.cleaned_data.get("adult") or "")

    def new_person(self) -> NewPerson | None:
        if self.cleaned_data.get("adult") != NEW_PERSON:
            return None
        data = self.cleaned_data
        return NewPerson(
            given_name=data.get("given_name") or "",
            family_name=data.get("family_name") or "",
            date_of_birth=data.get("date_of_birth"),
            address=data.get("address") or "",
            postcode=(data.get("postcode") or "").upper(),
            nhs_number=data.get("nhs_number") or "",
        )


def initial_for(referral) -> dict:
    """The new-person questions start from what the referral says of the adult."""
    given, family = split_name(referral.adult_name)
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": referral.adult_date_of_birth,
        "address": referral.adult_address,
    }
