"""The unit's register of Safeguarding Adults Reviews: adding and changing a review and its individuals,
every problem shown at once in a GOV.UK error summary with what was typed kept, the history of each change,
the reads recorded, and a list page that costs the same however many reviews."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from msp_cases.audit.models import AccessEvent
from msp_cases.reviews.models import SafeguardingAdultsReview

from .helpers import review

pytestmark = pytest.mark.django_db


def _date(prefix: str, value: datetime.date | None) -> dict:
    if value is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _review_data(**overrides) -> dict:
    data = {
        "name": "Adult V",
        **_date("referred_on", datetime.date(2025, 5, 2)),
        "decision": "arranged",
        **_date("decided_on", datetime.date(2025, 6, 10)),
        "criteria": "mandatory",
        "anyone_died": "True",
        **_date("completed_on", None),
        "notes": "Referred by the police after Mr V's death.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def unit(world, client_for):
    return client_for(world.users["unit"])


def test_the_unit_adds_a_review_and_its_history_keeps_who(world, unit):
    response = unit.post(reverse("reviews:add"), _review_data())
    made = SafeguardingAdultsReview.objects.get()
    assert response.status_code == 302 and response.url == made.get_absolute_url()
    assert (made.name, made.decision, made.decided_on, made.anyone_died) == (
        "Adult V",
        "arranged",
        datetime.date(2025, 6, 10),
        True,
    )
    assert made.recorded_by == world.users["unit"]
    assert made.history.get().history_user == world.users["unit"]
    page = unit.get(made.get_absolute_url()).content.decode()
    assert "Adult V" in page and "Met: a mandatory review, section 44(1) to (3)" in page


def test_bad_input_shows_every_problem_and_keeps_what_was_typed(world, unit):
    data = _review_data(
        name="Family W",
        criteria="",
        anyone_died="",
        notes="Words typed before the mistake",
        **_date("decided_on", datetime.date(2025, 4, 1)),  # before the referral
        **_date("completed_on", datetime.date(2025, 3, 1)),  # before the decision
    )
    response = unit.post(reverse("reviews:add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    for message in ("Select whether one or more individuals died",):
        assert message in page
    assert "Family W" in page and "Words typed before the mistake" in page
    assert not SafeguardingAdultsReview.objects.exists()
    # With the form's own answers complete, the model's rules speak: all of them at once.
    response = unit.post(reverse("reviews:add"), {**data, "anyone_died": "False"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    for message in (
        "The date of the decision must be the same as or after the date referred",
        "Select whether the section 44 criteria were met",
        "The date published or completed must be the same as or after the decision",
    ):
        assert message in page, message
    assert "Family W" in page
    assert not SafeguardingAdultsReview.objects.exists()


def test_a_decision_needs_its_date_and_a_pending_one_none(unit):
    page = unit.post(reverse("reviews:add"), _review_data(**_date("decided_on", None))).content.decode()
    assert "Enter the date of the decision" in page
    page = unit.post(reverse("reviews:add"), _review_data(decision="pending", criteria="")).content.decode()
    assert "Leave the date of the decision empty until the board has decided" in page
    assert not SafeguardingAdultsReview.objects.exists()


def test_changing_a_review_links_its_individuals_enquiries(world, unit):
    person, concern, enquiry = world.cases["north"]
    made = review(world.users["unit"], individuals=[(person, True, False)])
    form = unit.get(reverse("reviews:edit", args=[made.pk])).content.decode()
    assert f'value="{enquiry.pk}"' in form and f'value="{concern.pk}"' in form
    # An enquiry of someone else is not offered.
    _, _, south_enquiry = world.cases["south"]
    data = _review_data(
        name="Adult V (renamed)",
        anyone_died="False",
        version=made.version,
        enquiries=[enquiry.pk],
        concerns=[concern.pk],
        **_date("decided_on", made.decided_on),
    )
    response = unit.post(reverse("reviews:edit", args=[made.pk]), data)
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.name == "Adult V (renamed)" and made.version == 2
    assert list(made.enquiries.all()) == [enquiry] and list(made.concerns.all()) == [concern]
    assert made.history.count() == 2
    refused = unit.post(reverse("reviews:edit", args=[made.pk]), {**data, "enquiries": [south_enquiry.pk]})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()


def test_a_review_cannot_say_nobody_died_when_one_of_its_individuals_did(world, unit):
    made = review(world.users["unit"], anyone_died=True, individuals=[("Adult V, in his 70s", True, True)])
    data = _review_data(anyone_died="False", version=made.version, **_date("decided_on", made.decided_on))
    response = unit.post(reverse("reviews:edit", args=[made.pk]), data)
    assert response.status_code == 200
    assert "One of the individuals of this review died" in response.content.decode()
    made.refresh_from_db()
    assert made.anyone_died is True


def test_an_individual_is_a_person_on_the_system_or_a_description(world, unit):
    made = review(world.users["unit"], anyone_died=False)
    url = reverse("reviews:individual_add", args=[made.pk])
    person, _, _ = world.cases["north"]

    page = unit.post(url, {"person_number": "", "description": "", "serious_harm": "True", "died": "False"})
    assert "Enter a short description, or the record number of their person’s record" in page.content.decode()
    page = unit.post(
        url, {"person_number": "99999999", "description": "", "serious_harm": "True", "died": ""}
    )
    text = page.content.decode()
    assert "There is no person’s record with that number that you can see" in text
    assert "Select whether they died" in text
    page = unit.post(
        url, {"person_number": str(person.pk), "description": "", "serious_harm": "True", "died": "True"}
    )
    assert "This review records that no individuals died" in page.content.decode()
    assert not made.individuals.exists()

    response = unit.post(
        url, {"person_number": str(person.pk), "description": "", "serious_harm": "True", "died": "False"}
    )
    assert response.status_code == 302
    individual = made.individuals.get()
    assert individual.person == person and individual.serious_harm and not individual.died
    again = unit.post(
        url, {"person_number": str(person.pk), "description": "", "serious_harm": "True", "died": "False"}
    )
    assert "This person is already one of the review’s individuals" in again.content.decode()

    edit = reverse("reviews:individual_edit", args=[made.pk, individual.pk])
    response = unit.post(
        edit,
        {
            "person_number": str(person.pk),
            "description": "Mr V",
            "serious_harm": "False",
            "died": "False",
            "version": 1,
        },
    )
    assert response.status_code == 302
    individual.refresh_from_db()
    assert (individual.description, individual.serious_harm, individual.version) == ("Mr V", False, 2)


def test_a_restricted_person_is_not_named_on_the_register_to_those_not_entitled(world, client_for):
    restricted, _, _ = world.cases["restricted_north"]
    review(world.users["unit"], name="Adult R", individuals=[(restricted, True, False)])
    unit_page = client_for(world.users["unit"]).get(reverse("reviews:list")).content.decode()
    assert "Adult R" in unit_page and "A restricted record" in unit_page
    assert restricted.display_name not in unit_page
    lead_page = client_for(world.users["unit_lead"]).get(reverse("reviews:list")).content.decode()
    assert restricted.display_name in lead_page


def test_reading_the_register_and_a_review_is_recorded(world, unit):
    person, _, _ = world.cases["north"]
    made = review(
        world.users["unit"], individuals=[(person, True, False), ("Adult V's brother", True, False)]
    )
    AccessEvent.objects.all().delete()
    unit.get(reverse("reviews:list"))
    assert list(AccessEvent.objects.values_list("person", "detail")) == [
        (person.pk, "Safeguarding Adults Reviews")
    ]
    unit.get(made.get_absolute_url())
    event = AccessEvent.objects.latest("pk")
    assert (event.person_id, event.object_id, event.detail) == (
        person.pk,
        made.pk,
        "Safeguarding Adults Review",
    )


def test_the_list_costs_the_same_however_many_reviews(world, unit):
    north, _, _ = world.cases["north"]
    south, _, _ = world.cases["south"]
    review(world.users["unit"], name="First", individuals=[(north, True, False)])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert unit.get(reverse("reviews:list")).status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        review(
            world.users["unit"],
            name=f"More {n}",
            individuals=[(south, True, False), (f"Someone {n}", True, False)],
        )
    assert queries() == one


def test_a_review_with_nobody_on_the_system_is_changed_without_links(world, unit):
    made = review(world.users["unit"], individuals=[("Adult T, in his 50s", True, False)])
    form = unit.get(reverse("reviews:edit", args=[made.pk])).content.decode()
    assert "first add its individuals with the record numbers" in form
    assert 'name="enquiries"' not in form
    data = _review_data(anyone_died="False", version=made.version, **_date("decided_on", made.decided_on))
    assert unit.post(reverse("reviews:edit", args=[made.pk]), data).status_code == 302


def test_two_people_saving_the_same_review_do_not_overwrite_each_other(world, unit, client_for):
    made = review(world.users["unit"])
    data = _review_data(anyone_died="False", version=made.version, **_date("decided_on", made.decided_on))
    other = client_for(world.users["unit_lead"])
    assert (
        other.post(reverse("reviews:edit", args=[made.pk]), {**data, "notes": "The lead's words"}).status_code
        == 302
    )
    response = unit.post(reverse("reviews:edit", args=[made.pk]), {**data, "notes": "Mine"})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    made.refresh_from_db()
    assert made.notes == "The lead's words"
