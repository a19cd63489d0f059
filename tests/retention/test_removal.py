"""Disposal leaves no kind of personal data behind unseen: every text field of every model it clears is
either emptied or named as kept (codes, fingerprints, the service's own words), so a field added later fails
here until someone decides which it is."""

import pytest
from django.db import models

from enquiries.models import Person
from msp_cases.retention.removal import CLEARED, KEPT, PERSON_FIELDS

# Records about a case whose text is a code, never free text: nothing in them to remove.
CODES_ONLY = {"partners.WebhookEvent"}  # the decision, state or outcome sent to partners' systems

TEXT = (models.CharField, models.TextField, models.FileField, models.JSONField)


def _text_fields(model) -> set[str]:
    return {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, TEXT) and not f.choices and not f.primary_key
    }


@pytest.mark.parametrize("cleared", CLEARED, ids=lambda c: c.model._meta.label)
def test_every_text_field_is_emptied_or_kept_on_purpose(cleared):
    label = cleared.model._meta.label
    assert _text_fields(cleared.model) - set(cleared.fields) - KEPT.get(label, set()) == set()
    assert set(cleared.fields) <= {f.name for f in cleared.model._meta.concrete_fields}


def test_the_persons_own_details_are_emptied_and_their_description_becomes_the_tombstone():
    assert _text_fields(Person) - set(PERSON_FIELDS) == {"description"}


def test_every_record_about_a_person_with_text_is_covered():
    """Each model holding free text that hangs off a person, concern or enquiry is cleared (or is about the
    disposal itself, or the record of access, whose details never hold a name)."""
    from django.apps import apps

    covered = {c.model for c in CLEARED} | {Person}
    parents = {"enquiries.Person", "enquiries.SafeguardingConcern", "enquiries.Enquiry"}
    missing = [
        model._meta.label
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        if model._meta.app_label not in ("retention", "audit", "notifications", "exports")
        if any(
            f.is_relation and f.related_model and f.related_model._meta.label in parents
            for f in model._meta.concrete_fields
        )
        if _text_fields(model)
        if model not in covered and model._meta.label not in CODES_ONLY
    ]
    assert missing == []
