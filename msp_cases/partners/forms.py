"""The unit leads' forms for partners' systems. The services decide what is allowed (a name not taken, a
scope that exists, an address that is https); every problem is shown at once."""

from django import forms

from msp_cases.accounts.models import Team
from msp_cases.api.scopes import SCOPES
from msp_cases.core.forms import GovFormMixin, required_message

from .models import EventType
from .services import partner_client_create_problems


class ClientForm(GovFormMixin, forms.Form):
    name = forms.CharField(
        label="Name of the partner’s system",
        max_length=100,
        help_text="For example ‘Police referrals’ or ‘Hospital discharge team’",
        error_messages={
            **required_message("Enter the name of the partner’s system"),
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages=required_message("Select at least one thing the client may do"),
    )
    teams = forms.ModelMultipleChoiceField(
        label="Whose records may it read?",
        queryset=Team.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="It reads what a practitioner of these teams could. Select none for a system that only "
        "sends referrals to the front door.",
        error_messages=required_message("Select the teams whose records it may read"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(is_active=True).order_by("name")

    def clean(self):
        """The service's own rule, so a name already taken is shown with the form's other problems."""
        data = super().clean()
        problems = partner_client_create_problems(
            name=data.get("name") or "", scopes=data.get("scopes") or [], teams=list(data.get("teams") or [])
        )
        for field, messages in problems.items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return data


class DeactivateClientForm(GovFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is it being switched off?",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded with the change to its account. Do not include anyone’s personal details.",
        error_messages={
            **required_message("Enter why the client is being switched off"),
            "max_length": "The reason must be 400 characters or fewer",
        },
    )


class SubscriptionForm(GovFormMixin, forms.Form):
    url = forms.CharField(
        label="Address the partner’s system receives webhooks at",
        max_length=500,
        help_text="Starting https://, as the partner gave it",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            **required_message(
                "Enter the address the partner’s system receives webhooks at, starting https://"
            ),
            "max_length": "The address must be 500 characters or fewer",
        },
    )
    events = forms.MultipleChoiceField(
        label="Which events?",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only about the referrals this client sent.",
        error_messages=required_message("Select at least one event"),
    )
