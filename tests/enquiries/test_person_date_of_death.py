"""A person's date of death: recorded on their details (a GOV.UK date, not in the future, not before they
were born, every problem in the error summary), shown on their page, in the identity bar on every page about
them and on the case summary; the letter pages warn before a letter goes to someone who has died. (SG1's age
at death: tests/reports/test_sac_age_at_death.py.)"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from enquiries.services.people import person_update
from msp_cases.core.actor import Actor
from msp_cases.letters.models import LetterTemplate
from tests.exports.conftest import filled_case, pdf_text  # noqa: F401 (a fixture: a case with words)
from tests.test_pdf_tagged import make_pdf

from .factories_people import person_form_data_from

pytestmark = pytest.mark.django_db


def _died(day: datetime.date | None) -> dict:
    return {
        "date_of_death_0": str(day.day) if day else "",
        "date_of_death_1": str(day.month) if day else "",
        "date_of_death_2": str(day.year) if day else "",
    }


def test_a_date_of_death_is_recorded_and_shown_on_their_page_and_in_the_identity_bar(
    world, practitioner_client
):
    person = world.cases["north"][0]
    url = reverse("enquiries:person_edit", args=[person.pk])
    assert 'name="date_of_death_0"' in practitioner_client.get(url).content.decode()
    response = practitioner_client.post(
        url, {**person_form_data_from(person), **_died(datetime.date(2026, 3, 3))}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.date_of_death == datetime.date(2026, 3, 3)

    page = practitioner_client.get(person.get_absolute_url()).content.decode()
    assert '<dt class="govuk-summary-list__key">Date of death</dt>' in page
    assert "<strong>Died 3 March 2026</strong>" in page  # the identity bar
    enquiry_page = practitioner_client.get(world.cases["north"][2].get_absolute_url()).content.decode()
    assert "Died 3 March 2026" in enquiry_page

    # Editing the rest of their details keeps it (the form carries it); clearing the date clears it.
    data = person_form_data_from(person, pronouns="she/her")
    assert data["date_of_death_0"] == "3"
    assert practitioner_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.date_of_death == datetime.date(2026, 3, 3)
    assert practitioner_client.post(url, {**person_form_data_from(person), **_died(None)}).status_code == 302
    person.refresh_from_db()
    assert person.date_of_death is None
    assert "Died " not in practitioner_client.get(person.get_absolute_url()).content.decode()


def test_a_living_person_has_no_date_of_death_row_and_a_new_person_is_not_asked(world, practitioner_client):
    person = world.cases["north"][0]
    assert "Date of death" not in practitioner_client.get(person.get_absolute_url()).content.decode()
    assert "date_of_death" not in practitioner_client.get(reverse("enquiries:person_create")).content.decode()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            {"date_of_death_0": "31", "date_of_death_1": "2", "date_of_death_2": "2026"},
            "Date of death must be a real date",
        ),
        (
            {"date_of_death_0": "3", "date_of_death_1": "", "date_of_death_2": "2026"},
            "Date of death must include a month",
        ),
        (
            {"date_of_death_0": "3", "date_of_death_1": "3", "date_of_death_2": "26"},
            "Year must include 4 numbers",
        ),
        ("tomorrow", "Date of death must be today or in the past"),
        ("before birth", "Date of death must be the same as or after their date of birth"),
    ],
)
def test_a_date_of_death_that_cannot_be_is_refused_with_an_error_summary(
    world, practitioner_client, day, message
):
    person = world.cases["north"][0]
    if day == "tomorrow":
        day = _died(timezone.localdate() + datetime.timedelta(days=1))
    elif day == "before birth":
        day = _died(person.date_of_birth - datetime.timedelta(days=1))
    url = reverse("enquiries:person_edit", args=[person.pk])
    response = practitioner_client.post(url, {**person_form_data_from(person), **day})
    assert response.status_code == 200  # the form again, not saved
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    assert message in summary
    assert 'href="#id_date_of_death' in summary
    person.refresh_from_db()
    assert person.date_of_death is None


def test_the_service_refuses_a_date_of_death_before_birth_whoever_calls_it(world):
    person = world.cases["north"][0]
    actor = Actor(user=world.users["practitioner_north"])
    with pytest.raises(ValidationError, match="after their date of birth"):
        person_update(
            actor=actor,
            person=person,
            expected_version=person.version,
            fields={"date_of_death": person.date_of_birth - datetime.timedelta(days=1)},
        )


def test_the_letter_pages_warn_that_the_person_has_died(world, client_for):
    person, _, enquiry = world.cases["north"]
    client = client_for(world.users["practitioner_north"])
    template = LetterTemplate.objects.filter(audience=LetterTemplate.Audience.PERSON, is_active=True).first()
    choose = reverse("letters:choose", args=[enquiry.pk])
    write = reverse("letters:write", args=[enquiry.pk, template.pk])
    assert "This person has died" not in client.get(choose).content.decode()
    person.date_of_death = datetime.date(2026, 3, 3)
    person.save()
    for url in (choose, write):
        page = client.get(url).content.decode()
        assert "This person has died: 3 March 2026" in page, url
        assert 'class="govuk-warning-text"' in page


def test_the_case_summary_says_when_the_person_died(world, filled_case):  # noqa: F811
    person = filled_case.person
    person.date_of_death = datetime.date(2026, 3, 3)
    person.save()
    assert "died 3 March 2026" in pdf_text(make_pdf("case_summary", world, filled_case))
