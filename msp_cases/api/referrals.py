"""A partner's concern arriving at the front door: POST /api/v1/referrals/ with an Idempotency-Key.

The request is checked by the online form's own questions (msp_cases/frontdoor/journey.py and
forms/public.py), step by step, in the journey's order, so an API referral and a typed one obey the same rules
and say the same things when wrong ("Enter what happened"). The JSON names are the form's field names; a date
is ISO 8601 (YYYY-MM-DD), given to the form as its day, month and year boxes. Then the front door's own
service (`referral_submit`) keeps it, waiting for screening, and this module records which client sent it
under which key (ApiReferral): the unique (client, key) decides a retry, even two arriving at once."""

import hashlib
import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotFound, ServiceRefused
from msp_cases.core.forms import GovDateField
from msp_cases.frontdoor import journey
from msp_cases.frontdoor.models import Referral, ReferralEvent
from msp_cases.frontdoor.services.public import FrontDoorFull, referral_submit

from .models import ApiClient, ApiReferral

__all__ = [
    "FrontDoorFull",
    "IdempotencyKeyReused",
    "api_referral_submit",
    "referral_answers",
    "referral_status_read",
]

IDEMPOTENCY_KEY_MAX = ApiReferral._meta.get_field("idempotency_key").max_length
# Printable ASCII, as an HTTP header can carry it plainly (a UUID is a good key).
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[\x21-\x7e]+$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")

# Every question of the form, by its field name, and the steps that ask it (the referrer's name is asked of
# a member of the public and of a professional, on different pages).
QUESTIONS: dict[str, list[journey.Step]] = {}
for _step in journey.STEPS:
    for _name in _step.form.base_fields:
        QUESTIONS.setdefault(_name, []).append(_step)
NAME_SHOWN_MAX = 100  # an unknown field's name is echoed back at most this long


class IdempotencyKeyReused(ServiceRefused):
    """The key was used before by this client with a different request."""


def idempotency_key_problems(key: str | None, *, each: str = "referral") -> list[str]:
    if not key:
        return [f"Send an Idempotency-Key header: a value of your choosing, new for each {each}"]
    if len(key) > IDEMPOTENCY_KEY_MAX:
        return [f"The Idempotency-Key must be {IDEMPOTENCY_KEY_MAX} characters or fewer"]
    if not IDEMPOTENCY_KEY_PATTERN.match(key):
        return ["The Idempotency-Key must be printable ASCII characters with no spaces, such as a UUID"]
    return []


def _form_data(step: journey.Step, body: dict, errors: dict[str, list[str]]) -> dict:
    """What this step's form would have been posted, from the JSON: strings only; a date split into its
    boxes."""
    data = {}
    for name, field in step.form.base_fields.items():
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            errors.setdefault(name, []).append("Must be a string")
            continue
        if isinstance(field, GovDateField):
            match = _ISO_DATE.match(value)
            if value and not match:
                errors.setdefault(name, []).append(f"Enter {field.what} as a date like 1950-03-27")
                continue
            year, month, day = match.groups() if match else ("", "", "")
            for index, part in enumerate((day, month, year)):  # the form's boxes, in the form's order
                data[f"{name}_{index}"] = part
        else:
            data[name] = value
    return data


def referral_answers(body) -> dict:
    """The front door's answers (journey.flattened) from a request's JSON, or ValidationError with every
    problem at once, field by field, in the form's own words."""
    if not isinstance(body, dict):
        raise ValidationError({"non_field_errors": ["Send the referral as a JSON object"]})
    errors: dict[str, list[str]] = {}
    for name in body:
        if name not in QUESTIONS:
            errors.setdefault(str(name)[:NAME_SHOWN_MAX], []).append("Not a question of the referral form")
    answers: dict[str, dict] = {}
    asked: set[str] = set()
    for step in journey.STEPS:
        if not step.applies(answers):
            continue
        asked.update(step.form.base_fields)
        data = _form_data(step, body, errors)
        if any(name in errors for name in step.form.base_fields):
            continue
        form = step.form(data=data)
        if form.is_valid():
            answers[step.slug] = form.to_answers()
        else:
            for name, messages in form.errors.items():
                errors.setdefault("non_field_errors" if name == "__all__" else name, []).extend(messages)
    for name in body:
        if name in QUESTIONS and name not in asked and "referrer_type" not in errors:
            errors.setdefault(name, []).append(
                "Not asked of this kind of referrer: leave it out, or check referrer_type"
            )
    if errors:
        raise ValidationError(errors)
    return journey.flattened(answers)


def request_hash(body) -> str:
    """The same JSON however it was spaced or its keys ordered."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Sent:
    api_referral: ApiReferral
    replayed: bool  # an earlier request's referral, answered again


def _replay(stored: ApiReferral, digest: str) -> Sent:
    if stored.request_hash != digest:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different referral: use a new key for each referral"
        )
    return Sent(api_referral=stored, replayed=True)


def _stored(client: ApiClient, key: str) -> ApiReferral | None:
    return ApiReferral.objects.select_related("referral").filter(client=client, idempotency_key=key).first()


def api_referral_submit(*, actor: Actor, client: ApiClient, idempotency_key: str, body) -> Sent:
    """Send a partner's referral to the front door, once per key. Raises ValidationError (the form's
    problems), FrontDoorFull (the cap on referrals waiting) or IdempotencyKeyReused."""
    problems = idempotency_key_problems(idempotency_key)
    if problems:
        raise ValidationError({"Idempotency-Key": problems})
    digest = request_hash(body)
    if stored := _stored(client, idempotency_key):
        return _replay(stored, digest)
    answers = referral_answers(body)
    try:
        with transaction.atomic():
            referral = referral_submit(actor=actor, answers=answers, channel=f"Partners' API ({client.name})")
            api_referral = ApiReferral.objects.create(
                client=client, idempotency_key=idempotency_key, request_hash=digest, referral=referral
            )
    except IntegrityError:
        # The same key sent twice at once: the other request's insert committed first, and this one's
        # referral was rolled back with it. Answer as a retry would be answered.
        stored = _stored(client, idempotency_key)
        if stored is None:
            raise
        return _replay(stored, digest)
    return Sent(api_referral=api_referral, replayed=False)


STATUS_READ_DETAIL = "Partners' API: state read"


def referral_status_read(*, actor: Actor, client: ApiClient, pk: int) -> Referral:
    """A referral this client sent, and none other (another client's, or a typed one, is NotFound as a
    referral that does not exist is), its reading recorded in the referral's own record."""
    referral = Referral.objects.select_related("concern").filter(pk=pk, api_referral__client=client).first()
    if referral is None:
        raise NotFound("No such referral from this client")
    ReferralEvent.objects.create(
        referral=referral,
        action=ReferralEvent.Action.VIEWED,
        user=actor.user,
        ip_address=actor.ip_address,
        detail=STATUS_READ_DETAIL,
    )
    return referral
