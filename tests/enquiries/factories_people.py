"""Factories and form data for the person and network tests."""

import factory

from enquiries.models import NetworkMember
from enquiries.models.choices import NetworkRelationship, PersonsViewOfContact

from ..factories import PersonFactory


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    person = factory.SubFactory(PersonFactory)
    name = factory.Faker("name", locale="en_GB")
    relationship = NetworkRelationship.FAMILY
    persons_view = PersonsViewOfContact.INVOLVED


def person_form_data(**overrides) -> dict:
    """A complete, valid person form as a browser would post it (unticked checkboxes are absent)."""
    data = {
        "given_name": "Margaret",
        "family_name": "Hughes",
        "preferred_name": "Peggy",
        "pronouns": "she/her",
        "date_of_birth_0": "12",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1941",
        "gender": "female",
        "ethnicity": "white",
        "primary_support_reason": "physical",
        "address": "1 Mill Lane\nNorthtown",
        "postcode": "nt1 2ab",
        "nhs_number": "",
        "local_identifier": "",
        "preferred_language": "English",
        "other_communication_needs": "",
        "contact_preferences": "Mornings, by phone",
        "safe_contact": "Do not leave voicemail",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def person_form_data_from(person, **overrides) -> dict:
    """The edit form as loaded for `person`, then changed by `overrides`."""
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "pronouns": person.pronouns,
        "date_of_birth_0": str(person.date_of_birth.day) if person.date_of_birth else "",
        "date_of_birth_1": str(person.date_of_birth.month) if person.date_of_birth else "",
        "date_of_birth_2": str(person.date_of_birth.year) if person.date_of_birth else "",
        "date_of_death_0": str(person.date_of_death.day) if person.date_of_death else "",
        "date_of_death_1": str(person.date_of_death.month) if person.date_of_death else "",
        "date_of_death_2": str(person.date_of_death.year) if person.date_of_death else "",
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "primary_support_reason": person.primary_support_reason,
        "address": person.address,
        "postcode": person.postcode,
        "nhs_number": person.nhs_number,
        "local_identifier": person.local_identifier,
        "description": person.description,
        "other_names": person.other_names,
        "phone": person.phone,
        "email": person.email,
        "preferred_contact_method": person.preferred_contact_method,
        "contact_through": person.contact_through,
        "preferred_language": person.preferred_language,
        "other_communication_needs": person.other_communication_needs,
        "contact_preferences": person.contact_preferences,
        "safe_contact": person.safe_contact,
        "version": str(person.version),
    }
    if person.is_restricted:
        data["is_restricted"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def network_form_data(**overrides) -> dict:
    data = {
        "name": "Susan Hughes",
        "relationship": "family",
        "role": "Daughter",
        "agency": "",
        "contact": "07700 900123",
        "persons_view": "involved",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def network_form_data_from(member, **overrides) -> dict:
    data = {
        "name": member.name,
        "relationship": member.relationship,
        "role": member.role,
        "agency": member.agency,
        "contact": member.contact,
        "persons_view": member.persons_view,
        "notes": member.notes,
        "version": str(member.version),
    }
    if member.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
