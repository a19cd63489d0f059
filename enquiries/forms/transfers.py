"""Forms for transfers between teams and for adding a concern to an open enquiry. The rules are the services'
(enquiries.services.transfers, enquiries.transfer_rules); these parse what was typed and show the services'
refusals against the question they are about."""

from crispy_forms_gds.layout import Field, Layout
from django import forms

from msp_cases.core.forms import GovFormMixin, VersionField

from ..selectors.transfers import join_candidates, receiving_workers, transfer_team_choices
from ..services.transfers import MSG_DECLINE_REASON, MSG_JOIN_REASON, MSG_LEAD, MSG_REASON, MSG_TEAM
from ..validators import normalise_nhs_number
from .concerns import TEXT_MAX, ConcernForm
from .people import DateOfBirthField

REASON_MAX = 2_000


def _reason(label: str, required_message: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {REASON_MAX:,} characters or fewer",
        },
    )


class TransferRequestForm(GovFormMixin, forms.Form):
    to_team = forms.ModelChoiceField(
        queryset=None,
        label="Which team should take it on?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": MSG_TEAM, "invalid_choice": MSG_TEAM},
    )
    reason = _reason(
        "Why should it move to this team?",
        MSG_REASON,
        help_text="For example, the person has moved into their area. Their manager reads this first.",
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = transfer_team_choices(record=record)
        self.helper.layout = Layout(Field.radios("to_team"), Field.textarea("reason", rows=4))


class TransferAcceptForm(GovFormMixin, forms.Form):
    lead_practitioner = forms.ModelChoiceField(
        queryset=None,
        label="Who will lead the work?",
        empty_label="Select a member of your team",
        error_messages={"required": MSG_LEAD, "invalid_choice": MSG_LEAD},
    )

    def __init__(self, *args, transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_practitioner"].queryset = receiving_workers(transfer=transfer)
        self.helper.layout = Layout(Field.select("lead_practitioner"))


class TransferDeclineForm(GovFormMixin, forms.Form):
    decline_reason = _reason("Why is your team declining it?", MSG_DECLINE_REASON)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("decline_reason", rows=4))


class ConcernJoinForm(GovFormMixin, forms.Form):
    enquiry = forms.ModelChoiceField(
        queryset=None,
        label="Which enquiry should it join?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the enquiry to add the concern to",
            "invalid_choice": "Select the enquiry to add the concern to",
        },
    )
    reason = _reason("Why does this concern belong to that enquiry?", MSG_JOIN_REASON)

    def __init__(self, *args, user, concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enquiry"].queryset = join_candidates(user=user, concern=concern)
        self.fields["enquiry"].label_from_instance = lambda e: (
            f"{e.get_enquiry_type_display()} opened {e.opened_at:%-d %B %Y}, {e.team}"
            + (f", led by {e.lead_practitioner}" if e.lead_practitioner else "")
        )
        self.fields["version"] = VersionField(initial=concern.version)
        self.helper.layout = Layout(Field.radios("enquiry"), Field.textarea("reason", rows=4), "version")


# --- The duplicate check's dead end: a concern sent to the team that holds the person


class PersonIdentityForm(forms.Form):
    """The person as the sender typed them on the person form (the same field names), carried through the
    page as hidden inputs. Only what the duplicate check matches on."""

    given_name = forms.CharField(max_length=100, required=False)
    family_name = forms.CharField(max_length=100, required=False)
    date_of_birth = DateOfBirthField(required=False)
    nhs_number = forms.CharField(max_length=20, required=False)

    def clean_nhs_number(self) -> str:
        return normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))

    def identity(self) -> dict:
        data = self.cleaned_data
        return {
            "given_name": (data.get("given_name") or "").strip(),
            "family_name": (data.get("family_name") or "").strip(),
            "date_of_birth": data.get("date_of_birth"),
            "nhs_number": data.get("nhs_number") or "",
        }


class ReferralConcernForm(ConcernForm):
    """The concern form, less its allocated worker (the receiving team allocates). `team` is the sender's own
    team, which sends it: every other rule of a concern is the concern form's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].label = "Your team, sending the concern"
        del self.fields["allocated_to"]
        self.helper.layout = Layout(
            *[part for part in self.helper.layout.fields if getattr(part, "fields", None) != ["allocated_to"]]
        )

    def concern_fields(self) -> dict:
        fields = super().concern_fields()
        fields.pop("allocated_to", None)
        return fields


__all__ = [
    "TEXT_MAX",
    "ConcernJoinForm",
    "PersonIdentityForm",
    "ReferralConcernForm",
    "TransferAcceptForm",
    "TransferDeclineForm",
    "TransferRequestForm",
]
