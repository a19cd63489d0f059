"""Recording a person asks for gender, ethnicity and primary support reason without answering for the user:
a preselected "Not Known" went into the SAC return (SG1b-d) whenever nobody looked. "Not Known" is still
there to choose, but it has to be chosen."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enquiries.models import Person
from enquiries.services.people import person_create
from msp_cases.core.actor import Actor

from .factories_people import person_form_data

pytestmark = pytest.mark.django_db

QUESTIONS = {
    "gender": ("Select their gender, or \u2018Not Known\u2019", "Not Known"),
    "ethnicity": ("Select their ethnicity, or \u2018Undeclared / Not Known\u2019", "Undeclared / Not Known"),
    "primary_support_reason": (
        "Select their primary support reason, or \u2018Not Known\u2019",
        "Not Known",
    ),
}


def _inputs(page: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', page)


def test_the_blank_form_answers_none_of_the_three_but_offers_not_known(practitioner_client):
    page = practitioner_client.get(reverse("enquiries:person_create")).content.decode()
    for name, (_message, not_known) in QUESTIONS.items():
        radios = _inputs(page, name)
        assert radios, name
        assert not [r for r in radios if "checked" in r], f"{name} has an answer already chosen"
        assert 'value="not_known"' in " ".join(radios)
        assert 'value=""' not in " ".join(radios)  # no "---------" option either
        assert not_known in page


def test_leaving_them_unanswered_says_what_to_do_for_each(practitioner_client):
    data = person_form_data(gender=None, ethnicity=None, primary_support_reason=None)
    response = practitioner_client.post(reverse("enquiries:person_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    for message, _not_known in QUESTIONS.values():
        assert message in page
    assert not Person.objects.filter(family_name="Hughes").exists()


def test_not_known_is_saved_when_it_is_chosen(practitioner_client):
    data = person_form_data(gender="not_known", ethnicity="not_known", primary_support_reason="not_known")
    assert practitioner_client.post(reverse("enquiries:person_create"), data).status_code == 302
    person = Person.objects.get(family_name="Hughes")
    assert (person.gender, person.ethnicity, person.primary_support_reason) == ("not_known",) * 3


def test_the_service_does_not_answer_for_the_caller_either(world):
    actor = Actor.of(world.users["practitioner_north"])
    with pytest.raises(ValidationError) as refused:
        person_create(actor=actor, fields={"given_name": "Ann", "family_name": "Lee"})
    assert {"gender", "ethnicity", "primary_support_reason"} <= set(refused.value.message_dict)
    assert not Person.objects.filter(family_name="Lee").exists()
