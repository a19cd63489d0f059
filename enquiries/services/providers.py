"""Care providers, and who a concern says is alleged to have caused harm.

`alleged_harm_problems` is the one rule for the concern form and the concern services: a person needs a name,
a care provider must be chosen or added, and a care provider is SAC's "Service Provider" source of risk
(docs/sac.md), so the two answers cannot disagree. `alleged_harm_cleaned` drops the answers of the choices not
taken (a conditional question left filled in before the user changed their mind)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor

from ..models.choices import AllegedHarmBy, RiskSource
from ..models.providers import CareProvider, normalise_cqc_location_id, validate_cqc_location_id

# The concern's fields this section edits.
ALLEGED_HARM_FIELDS = (
    "alleged_harm_by",
    "alleged_person_name",
    "alleged_person_relationship",
    "alleged_person_at_risk",
    "alleged_person_known_to_services",
    "alleged_provider",
)
_PERSON_FIELDS = (
    "alleged_person_name",
    "alleged_person_relationship",
    "alleged_person_at_risk",
    "alleged_person_known_to_services",
)

MSG_PERSON_NAME = "Enter the name of the person alleged to have caused harm"
MSG_PROVIDER = "Select the care provider, or enter the name of a new one"
MSG_PROVIDER_NAME = "Enter the name of the care provider"
MSG_SOURCE_SERVICE_PROVIDER = (
    "Select ‘A paid care or support provider’ as the source of risk: a care provider is alleged to have "
    "caused harm"
)


@dataclass(frozen=True)
class NewCareProvider:
    """A provider typed into the concern form, recorded with the concern (in the same transaction)."""

    name: str
    address: str = ""
    cqc_location_id: str = ""


def care_provider_problems(*, name: str, cqc_location_id: str, exclude_pk: int | None = None) -> dict:
    """What stops this provider being recorded, by field; empty when it may be. The same CQC location ID
    is the same provider; without one, the same name is taken to be the same provider too, so the user
    chooses the one already recorded rather than making a second."""
    problems: dict[str, list[str]] = {}
    name = (name or "").strip()
    cqc = normalise_cqc_location_id(cqc_location_id)
    if not name:
        problems["name"] = [MSG_PROVIDER_NAME]
    try:
        validate_cqc_location_id(cqc)
    except ValidationError as error:
        problems["cqc_location_id"] = error.messages
    others = CareProvider.objects.exclude(pk=exclude_pk)
    if cqc and "cqc_location_id" not in problems:
        same = others.filter(cqc_location_id=cqc).first()
        if same is not None:
            problems["cqc_location_id"] = [
                f"{same.name} already has CQC location ID {cqc}: choose it from the list of care providers"
            ]
    elif name and not cqc:
        same = others.annotate(lower=Lower("name")).filter(lower=name.lower()).first()
        if same is not None:
            problems["name"] = [
                f"{same.name} is already recorded: choose it from the list of care providers, or enter "
                "its CQC location ID if this is a different location"
            ]
    return problems


@transaction.atomic
def care_provider_create(
    *, actor: Actor, name: str, address: str = "", cqc_location_id: str = ""
) -> CareProvider:
    """Record a care provider. Two people adding the same CQC location ID at once get one provider: the
    unique constraint decides, and the second is refused as a duplicate."""
    cqc = normalise_cqc_location_id(cqc_location_id)
    problems = care_provider_problems(name=name, cqc_location_id=cqc)
    if problems:
        raise ValidationError(problems)
    provider = CareProvider(name=name.strip(), address=(address or "").strip(), cqc_location_id=cqc)
    provider.created_by = actor.user
    provider.full_clean()
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError as error:
        raise ValidationError(
            {
                "cqc_location_id": [
                    "A care provider with this CQC location ID has just been recorded: choose it"
                ]
            }
        ) from error
    access_record(
        actor=actor, obj=provider, action=AccessEvent.Action.CREATE, detail="Care provider recorded"
    )
    return provider


def alleged_harm_cleaned(fields: dict[str, Any]) -> dict[str, Any]:
    """The alleged-harm answers with those of the choices not taken left empty, and the source of risk set
    to "Service Provider" where a care provider is named and no source was given. Other fields unchanged."""
    cleaned = dict(fields)
    kind = cleaned.get("alleged_harm_by") or ""
    if "alleged_harm_by" not in cleaned:
        return cleaned
    if kind != AllegedHarmBy.PERSON:
        for name in _PERSON_FIELDS:
            cleaned[name] = ""
    else:
        cleaned["alleged_person_name"] = " ".join((cleaned.get("alleged_person_name") or "").split())
    if kind != AllegedHarmBy.CARE_PROVIDER:
        cleaned["alleged_provider"] = None
    elif not cleaned.get("risk_source"):
        cleaned["risk_source"] = RiskSource.SERVICE_PROVIDER
    return cleaned


def alleged_harm_problems(fields: dict[str, Any]) -> dict[str, list[str]]:
    """What is wrong with who is alleged to have caused harm, by field name; empty when nothing is.
    A new provider's problems are given as `new_provider_<field>`."""
    problems: dict[str, list[str]] = {}
    kind = fields.get("alleged_harm_by") or ""
    if kind == AllegedHarmBy.PERSON and not (fields.get("alleged_person_name") or "").strip():
        problems["alleged_person_name"] = [MSG_PERSON_NAME]
    if kind == AllegedHarmBy.CARE_PROVIDER:
        provider = fields.get("alleged_provider")
        if provider is None:
            problems["alleged_provider"] = [MSG_PROVIDER]
        elif isinstance(provider, NewCareProvider):
            found = care_provider_problems(name=provider.name, cqc_location_id=provider.cqc_location_id)
            for name, messages in found.items():
                problems[f"new_provider_{name}"] = messages
        source = fields.get("risk_source")
        if source and source != RiskSource.SERVICE_PROVIDER:
            problems["risk_source"] = [MSG_SOURCE_SERVICE_PROVIDER]
    return problems


def alleged_provider_resolved(*, actor: Actor, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields with a new provider typed into the form recorded, and named in its place. Called inside
    the concern service's transaction, so a concern refused leaves no provider behind."""
    provider = fields.get("alleged_provider")
    if not isinstance(provider, NewCareProvider):
        return fields
    try:
        created = care_provider_create(
            actor=actor,
            name=provider.name,
            address=provider.address,
            cqc_location_id=provider.cqc_location_id,
        )
    except ValidationError as error:
        raise ValidationError(
            {f"new_provider_{name}": messages for name, messages in error.message_dict.items()}
        ) from error
    return {**fields, "alleged_provider": created}
