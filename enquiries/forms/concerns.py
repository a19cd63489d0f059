"""The form for a safeguarding concern (the decision on it is in enquiries.forms.decisions).

The rules (received not in the future, the team is one of yours, an anonymous referrer has no name, the
three section 42 criteria, advice recorded for "no further action", a decision not before the concern) live in
enquiries.services.concerns and are called from `clean()`, so every problem is shown at once; the services
check them again."""

import datetime
import re

from crispy_forms_gds.layout import HTML, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from msp_cases.accounts.models import Team, User
from msp_cases.core.forms import GovDateField, GovFormMixin, VersionField

from ..models import RiskTypeOption, SafeguardingConcern
from ..models.choices import RiskLocation, RiskSource, YesNoUnknown
from ..selectors.concerns import teams_for_new_concern, workers_in_teams
from ..services.concerns import CONCERN_FIELDS, concern_problems
from .providers import AllegedHarmFields
from .sac_choices import sac_choices

TEXT_MAX = 10_000
_meta = SafeguardingConcern._meta

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(value: str) -> bool | None:
    return {"True": True, "False": False}.get(value)


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


class TimeOfDayField(forms.CharField):
    """A time on the 24-hour clock: "14:30" or "14.30"."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        super().__init__(
            error_messages={"required": f"Enter {what}"},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
            **kwargs,
        )

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        match = _TIME.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError(f"Enter {self.what} on the 24-hour clock, like 14:30")
        return datetime.time(int(match[1]), int(match[2]))


def _named(label: str) -> str:
    """A question's label as the subject of an error message: "Referrer’s name (optional)" becomes
    "Referrer’s name", and "If no further safeguarding action: the advice…" becomes "The advice…"."""
    label = label.removesuffix(" (optional)").split(": ", 1)[-1]
    return label[:1].upper() + label[1:]


def _text(field: str, label: str, **kwargs) -> forms.CharField:
    max_length = _meta.get_field(field).max_length
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{_named(label)} must be {max_length:,} characters or fewer"},
        **kwargs,
    )


def _textarea(label: str, *, required_message: str = "", help_text: str = "") -> forms.CharField:
    # strip=False: the text is kept exactly as typed.
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required_message),
        max_length=TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": required_message,
            "max_length": f"{_named(label)} must be {TEXT_MAX:,} characters or fewer",
        },
    )


def add_service_errors(
    form: forms.Form, errors: dict[str, list[str]], error_field: dict | None = None
) -> None:
    """Show a service's problems on the form: against the question they are about (one message per
    question: a question that already has an error keeps it), or at the top for the form as a whole."""
    for name, messages in errors.items():
        target = (error_field or {}).get(name, name)
        if target == "__all__" or target not in form.fields:
            for message in messages:
                form.add_error(None, message)
        elif target not in form.errors:
            form.add_error(target, messages[0])


def _heading(text: str) -> HTML:
    return HTML(f'<h2 class="govuk-heading-m govuk-!-margin-top-6">{text}</h2>')


# ---- The concern ----------------------------------------------------------------------------------------

SOURCE_OF_RISK_HINT = (
    "A paid care or support provider is one paid, contracted or commissioned to provide social care. "
    "Council, NHS trust and GP staff are someone known to the person, or someone they do not know."
)


class ConcernForm(GovFormMixin, AllegedHarmFields):
    """Recording a concern, or changing it while it awaits a decision (with `instance`)."""

    received_date = GovDateField(
        allow_future=True,
        what="the date the concern was received",
        label="Date received",
        help_text="For example, 27 3 2026",
    )
    received_time = TimeOfDayField(
        what="the time the concern was received",
        label="Time received",
        help_text="Use the 24-hour clock, for example 14:30",
    )
    team = forms.ModelChoiceField(
        queryset=None,
        label="Team",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the team", "invalid_choice": "Select one of your teams"},
    )
    allocated_to = forms.ModelChoiceField(
        queryset=None,
        label="Allocated worker (optional)",
        required=False,
        empty_label="Not allocated yet",
        error_messages={"invalid_choice": "Select someone in the team the concern is for"},
    )
    referrer_anonymous = forms.TypedChoiceField(
        label="Does the referrer want to stay anonymous?",
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the referrer wants to stay anonymous"},
    )
    referrer_name = _text("referrer_name", "Referrer’s name (optional)")
    referrer_role = _text("referrer_role", "Their role (optional)")
    referrer_organisation = _text("referrer_organisation", "Their organisation (optional)")
    referrer_contact = _text(
        "referrer_contact", "How to contact them (optional)", help_text="A phone number or email"
    )
    referrer_relationship = _text(
        "referrer_relationship",
        "Referrer’s relationship to the person (optional)",
        help_text="For example, neighbour, daughter, district nurse",
    )
    summary = _textarea(
        "What happened, in the referrer’s words",
        required_message="Enter what happened, in the referrer’s words",
    )
    risk_types = forms.ModelMultipleChoiceField(
        queryset=RiskTypeOption.objects.all(),
        label="Types of risk",
        help_text="Select all that apply",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the types of risk", "invalid_choice": "Select the types of risk"},
    )
    risk_location = forms.ChoiceField(
        label="Location of risk",
        choices=sac_choices(RiskLocation),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the location of risk",
            "invalid_choice": "Select the location of risk",
        },
    )
    risk_source = forms.ChoiceField(
        label="Source of risk",
        choices=sac_choices(RiskSource),
        help_text=SOURCE_OF_RISK_HINT,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the source of risk",
            "invalid_choice": "Select the source of risk",
        },
    )
    immediate_actions = _textarea(
        "Immediate actions taken to keep people safe (optional)",
        help_text="Include who did what, and anyone else who may be at risk",
    )
    person_aware = forms.ChoiceField(
        label="Does the person know about the concern?",
        choices=YesNoUnknown.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the person knows about the concern",
            "invalid_choice": "Select whether the person knows about the concern",
        },
    )
    person_initial_views = _textarea(
        "The person’s first views (optional)",
        help_text="What they said about the concern and what they want to happen, in their own words",
    )

    # Model field -> the form field its errors are shown against.
    ERROR_FIELD = {"received_at": "received_date"}

    def __init__(self, *args, user, instance: SafeguardingConcern | None = None, **kwargs):
        self.user = user
        self.instance = instance
        teams = teams_for_new_concern(user=user)
        if instance is not None:
            # The concern's own team stays a choice even if the user is not in it (cover across teams).
            teams = Team.objects.filter(Q(pk__in=teams.values("pk")) | Q(pk=instance.team_id)).order_by(
                "name"
            )
            kwargs.setdefault("initial", self.initial_from(instance))
        else:
            only = list(teams[:2])
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("referrer_anonymous", False)
            if len(only) == 1:
                initial.setdefault("team", only[0])
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        workers = workers_in_teams(teams=teams)
        if instance is not None and instance.allocated_to_id:
            workers = User.objects.filter(Q(pk__in=workers.values("pk")) | Q(pk=instance.allocated_to_id))
        self.fields["allocated_to"].queryset = workers
        if instance is not None:
            self.fields["version"] = VersionField(initial=instance.version)
        self.helper.layout = self.build_layout()

    @staticmethod
    def initial_from(concern: SafeguardingConcern) -> dict:
        received = timezone.localtime(concern.received_at)
        initial = {name: getattr(concern, name) for name in CONCERN_FIELDS if name != "received_at"}
        initial |= {
            "received_date": received.date(),
            "received_time": received.strftime("%H:%M"),
            "risk_types": [r.code for r in concern.risk_types.all()],
        }
        return initial

    def build_layout(self) -> Layout:
        parts = [
            _heading("When it was received and who holds it"),
            Field("received_date"),
            Field.text("received_time", field_width=5),
            Field.radios("team"),
            Field.select("allocated_to"),
            _heading("Who raised the concern"),
            Field.radios("referrer_anonymous", inline=True),
            # Not a conditional reveal: GOV.UK Frontend marks revealing radios with aria-expanded, which
            # axe-core reports as a WCAG failure (alphagov/govuk-frontend#979), and every page must pass axe.
            HTML(
                '<p class="govuk-body">If the referrer wants to stay anonymous, leave their name, role, '
                "organisation and contact details empty.</p>"
            ),
            Field.text("referrer_name"),
            Field.text("referrer_role"),
            Field.text("referrer_organisation"),
            Field.text("referrer_contact"),
            Field.text("referrer_relationship"),
            _heading("What happened"),
            Field.textarea("summary", rows=6),
            Field.checkboxes("risk_types", small=True),
            Field.radios("risk_location", small=True),
            Field.radios("risk_source", small=True),
            Field.textarea("immediate_actions", rows=4),
            *self.alleged_harm_layout(),
            _heading("The person"),
            Field.radios("person_aware", inline=True),
            Field.textarea("person_initial_views", rows=4),
        ]
        if "version" in self.fields:
            parts.append("version")
        return Layout(*parts)

    def clean(self):
        data = super().clean()
        day, time = data.get("received_date"), data.get("received_time")
        if day and time:
            data["received_at"] = timezone.make_aware(
                datetime.datetime.combine(day, time), timezone.get_current_timezone()
            )
        fields = {name: data.get(name) for name in CONCERN_FIELDS}
        fields["alleged_provider"] = data["alleged_provider"] = self.alleged_provider_choice(data)
        self.add_service_errors(concern_problems(user=self.user, fields=fields, current=self.instance))
        return data

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        add_service_errors(self, errors, self.ERROR_FIELD)

    def concern_fields(self) -> dict:
        """Keyword arguments for services.concern_record."""
        data = self.cleaned_data
        fields = {name: data.get(name) for name in CONCERN_FIELDS}
        for name in CONCERN_FIELDS:
            if fields[name] is None and name not in (
                "team",
                "allocated_to",
                "received_at",
                "alleged_provider",
            ):
                fields[name] = ""
        fields["referrer_anonymous"] = bool(data.get("referrer_anonymous"))
        fields["risk_types"] = list(data.get("risk_types") or [])
        return fields


# ---- The decision ---------------------------------------------------------------------------------------
