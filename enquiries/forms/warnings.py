"""Forms for a warning about a person: recording or changing it, and ending it. The rules are the service's
(`person_warning_problems`), asked here too so every problem shows at once."""

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Q
from django.utils import timezone

from msp_cases.accounts.models import User
from msp_cases.core.forms import GovDateField, GovFormMixin, VersionField, required_message

from ..models import Person, PersonWarning
from ..models.warnings import PersonTold, WarningType
from ..selectors.warnings import warning_managers
from ..services.warnings import WARNING_FIELDS, person_warning_end_problems, person_warning_problems
from .enquiry import _radios, _textarea


class PersonWarningForm(GovFormMixin, forms.Form):
    type = _radios("What kind of warning is it?", WarningType.choices, what="what kind of warning it is")
    what_to_do = _textarea(
        "What must staff do?",
        max_length=1000,
        required=True,
        what="what staff must do",
        help_text="Shown at the top of every page about the person. For example, do not call when her son "
        "is at home.",
    )
    starts_on = GovDateField(label="Start date", what="the start date", allow_future=True)
    review_on = GovDateField(
        label="Review date",
        what="the review date",
        allow_future=True,
        help_text="You will be reminded if it has not been reviewed by then.",
    )
    person_told = _radios(
        "Has the person been told about this warning?", PersonTold.choices, what="whether the person was told"
    )
    not_told_reason = _textarea(
        "If not, why not?",
        max_length=2000,
        help_text="For example, telling them would put them at risk.",
    )
    agreed_with = forms.ModelChoiceField(
        label="Which manager was it agreed with?",
        queryset=User.objects.none(),
        empty_label="Select a manager",
        error_messages=required_message("Select the manager the warning was agreed with"),
        help_text="A manager of a team that holds this person's records, other than you.",
    )

    def __init__(self, *args, user: User, person: Person, current: PersonWarning | None = None, **kwargs):
        if current is not None and kwargs.get("initial") is None:
            # A warning already recorded opens at what it says now.
            kwargs["initial"] = {name: getattr(current, name) for name in WARNING_FIELDS} | {
                "agreed_with": current.agreed_with_id,
                "version": current.version,
            }
        super().__init__(*args, **kwargs)
        self.user, self.person, self.current = user, person, current
        eligible = warning_managers(person=person).exclude(pk=user.pk)
        chosen = Q(pk__in=[])
        if current is not None:
            eligible = eligible.exclude(pk=current.recorded_by_id)
            chosen = Q(pk=current.agreed_with_id)  # whoever it was agreed with stays a choice
        self.fields["agreed_with"].queryset = User.objects.filter(
            Q(pk__in=eligible.order_by().values("pk")) | chosen
        ).order_by("full_name", "pk")
        self.fields["agreed_with"].label_from_instance = lambda u: u.full_name
        if not current:
            self.fields["starts_on"].initial = timezone.localdate()
        layout = [
            Field.radios("type", legend_size=Size.SMALL),
            Field.textarea("what_to_do", rows=3),
            Field("starts_on"),
            Field("review_on"),
            Field.radios("person_told", inline=True, legend_size=Size.SMALL),
            Field.textarea("not_told_reason", rows=2),
            Field.select("agreed_with"),
        ]
        if current is not None:
            self.fields["version"] = VersionField()
            layout.append(Field("version"))
        self.helper.layout = Layout(*layout)

    def clean(self):
        data = super().clean()
        for name, messages in person_warning_problems(
            user=self.user, person=self.person, fields=data, current=self.current
        ).items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        return data

    def warning_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in WARNING_FIELDS}


class PersonWarningEndForm(GovFormMixin, forms.Form):
    ended_on = GovDateField(label="End date", what="the date the warning ended")
    end_reason = _textarea(
        "Why has it ended?", max_length=2000, required=True, what="why the warning has ended"
    )
    version = VersionField()

    layout = Layout(Field("ended_on"), Field.textarea("end_reason", rows=3), Field("version"))

    def __init__(self, *args, warning: PersonWarning, **kwargs):
        kwargs.setdefault("initial", None)
        kwargs["initial"] = (kwargs["initial"] or {}) | {"version": warning.version}
        super().__init__(*args, **kwargs)
        self.warning = warning
        self.fields["ended_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        for name, messages in person_warning_end_problems(
            warning=self.warning, ended_on=data.get("ended_on")
        ).items():
            if name not in self.errors:
                self.add_error(name, messages[0])
        return data
