"""Who is alleged to have caused harm (a section of the concern form), and finding a care provider.

The rules are enquiries.services.providers' (`alleged_harm_problems`), called from the concern form's
`clean()` through `concern_problems`, so every problem shows at once and the services check them again."""

from crispy_forms_gds.layout import HTML, Field
from django import forms

from msp_cases.core.forms import GovFormMixin

from ..models import CareProvider, SafeguardingConcern
from ..models.choices import AllegedHarmBy, YesNoUnknown
from ..services.providers import NewCareProvider
from .conversations import _ConditionalQuestion, _ConditionalRadios

MSG_PROVIDER_BOTH = (
    "Choose a care provider from the list, or enter a new one, not both. Choose ‘Not listed’ to add a new one"
)
# A search box for the list of providers, shown by static/src/app.js ("A long list made searchable"); it has
# no name, so it is never sent. Without JavaScript it stays hidden and the list is complete.
PROVIDER_FILTER = """
<div class="govuk-form-group" data-app-select-filter="id_alleged_provider" hidden>
  <label class="govuk-label" for="alleged-provider-search">Search the care providers</label>
  <div class="govuk-hint" id="alleged-provider-search-hint">Type part of its name to shorten the list</div>
  <input class="govuk-input govuk-!-width-two-thirds" id="alleged-provider-search" type="search"
    autocomplete="off" spellcheck="false" aria-describedby="alleged-provider-search-hint">
  <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0" role="status"></p>
</div>
"""
_concern = SafeguardingConcern._meta
_provider = CareProvider._meta


def _text(meta, field: str, label: str, **kwargs) -> forms.CharField:
    max_length = meta.get_field(field).max_length
    subject = label.removesuffix(" (optional)")
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        error_messages={"max_length": f"{subject} must be {max_length:,} characters or fewer"},
        **kwargs,
    )


def _radios(label: str, choices, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": message},
    )


class AllegedHarmFields(forms.Form):
    """The questions; the concern form adds them to its own and lays them out with `alleged_harm_layout()`."""

    alleged_harm_by = _radios(
        "Who is alleged to have caused harm? (optional)",
        AllegedHarmBy.choices,
        "Select who is alleged to have caused harm",
    )
    alleged_person_name = _text(_concern, "alleged_person_name", "Their name")
    alleged_person_relationship = _text(
        _concern,
        "alleged_person_relationship",
        "Their relationship to the adult (optional)",
        help_text="For example, son, partner, paid carer, neighbour",
    )
    alleged_person_at_risk = _radios(
        "Are they also an adult at risk? (optional)",
        YesNoUnknown.choices,
        "Select whether they are also an adult at risk",
    )
    alleged_person_known_to_services = _radios(
        "Are they known to services? (optional)",
        YesNoUnknown.choices,
        "Select whether they are known to services",
    )
    alleged_provider = forms.ModelChoiceField(
        queryset=CareProvider.objects.all(),
        label="Care provider",
        help_text="Care providers already recorded, by name. Choose ‘Not listed’ to add a new one",
        required=False,
        empty_label="Not listed: add a new care provider",
        error_messages={"invalid_choice": "Select a care provider from the list"},
    )
    new_provider_name = _text(_provider, "name", "Name of the new care provider")
    new_provider_address = forms.CharField(
        label="Its address (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Its address must be 500 characters or fewer"},
    )
    new_provider_cqc_location_id = forms.CharField(
        label="Its CQC location ID (optional)",
        help_text="From the CQC register, for example 1-123456789. The same ID is always the same provider",
        required=False,
        max_length=30,
        error_messages={
            "max_length": "Enter the CQC location ID as it is on the CQC register, like 1-123456789"
        },
    )

    # The form's question these follow on the page, so the error summary lists problems in page order.
    alleged_harm_after = "immediate_actions"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mine = list(AllegedHarmFields.base_fields)
        others = [name for name in self.fields if name not in mine]
        at = others.index(self.alleged_harm_after) + 1 if self.alleged_harm_after in others else len(others)
        self.order_fields(others[:at] + mine + others[at:])

    def alleged_harm_layout(self) -> list:
        labels = dict(AllegedHarmBy.choices)
        return [
            HTML('<h2 class="govuk-heading-m govuk-!-margin-top-6">Who is alleged to have caused harm</h2>'),
            _ConditionalRadios(
                "alleged_harm_by",
                _ConditionalQuestion(
                    labels[AllegedHarmBy.PERSON],
                    Field.text("alleged_person_name"),
                    Field.text("alleged_person_relationship"),
                    Field.radios("alleged_person_at_risk", small=True, inline=True),
                    Field.radios("alleged_person_known_to_services", small=True, inline=True),
                ),
                _ConditionalQuestion(
                    labels[AllegedHarmBy.CARE_PROVIDER],
                    HTML(PROVIDER_FILTER),
                    Field.select("alleged_provider"),
                    Field.text("new_provider_name"),
                    Field.textarea("new_provider_address", rows=3),
                    Field.text("new_provider_cqc_location_id", field_width=10),
                ),
                _ConditionalQuestion(labels[AllegedHarmBy.NOT_KNOWN]),
            ),
        ]

    def alleged_provider_choice(self, data: dict) -> CareProvider | NewCareProvider | None:
        """The provider chosen from the list, or the new one typed in (None for neither, or both: the
        form says so)."""
        chosen = data.get("alleged_provider")
        typed = NewCareProvider(
            name=(data.get("new_provider_name") or "").strip(),
            address=(data.get("new_provider_address") or "").strip(),
            cqc_location_id=(data.get("new_provider_cqc_location_id") or "").strip(),
        )
        new = typed.name or typed.cqc_location_id or typed.address
        if data.get("alleged_harm_by") != AllegedHarmBy.CARE_PROVIDER:
            return chosen
        if chosen is not None and new:
            self.add_error("new_provider_name", MSG_PROVIDER_BOTH)
            return None
        return chosen or (typed if new else None)


class ProviderSearchForm(GovFormMixin, forms.Form):
    q = forms.CharField(
        label="Name or CQC location ID",
        max_length=200,
        required=False,
        help_text="For example, Oakfield or 1-123456789",
        error_messages={"max_length": "Search must be 200 characters or fewer"},
    )
