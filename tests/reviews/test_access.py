"""Who sees a Safeguarding Adults Review: the unit's register (list, add, change) for unit staff; a review
read-only on the pages of an enquiry or person it is linked to, for whoever may see that page; "Page not
found" for everyone else, as for any record out of scope."""

import pytest
from django.urls import reverse

from msp_cases import access
from msp_cases.core.navigation import nav_items_for
from msp_cases.reviews.models import SafeguardingAdultsReview

from .helpers import review

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world):
    """A review about North's person, linked to North's enquiry."""
    person, _, enquiry = world.cases["north"]
    return review(
        world.users["unit"], name="Adult North", individuals=[(person, True, False)], enquiries=[enquiry]
    )


@pytest.mark.parametrize(
    "role, sees",
    [
        ("unit", True),
        ("unit_lead", True),
        ("practitioner_north", True),  # linked to their team's enquiry and person
        ("manager_north", True),
        ("practitioner_south", False),
        ("manager_south", False),
        ("admin", False),  # administrators see no case records
    ],
)
def test_the_access_rule_over_a_linked_review(world, linked, role, sees):
    user = world.users[role]
    found = access.scoped(SafeguardingAdultsReview.objects.all(), user).filter(pk=linked.pk).exists()
    assert found is sees


def test_a_review_linked_to_a_concern_alone_is_seen_with_the_concern(world):
    _, concern, _ = world.cases["south"]
    made = review(world.users["unit"], name="Adult S", concerns=[concern])
    scoped = lambda role: access.scoped(SafeguardingAdultsReview.objects.all(), world.users[role])  # noqa: E731
    assert scoped("practitioner_south").filter(pk=made.pk).exists()
    assert not scoped("practitioner_north").filter(pk=made.pk).exists()


@pytest.mark.parametrize(
    "role, status",
    [
        ("unit", 200),
        ("unit_lead", 200),
        ("practitioner_north", 404),  # linked, but the register is the unit's: the panel is theirs
        ("manager_north", 404),
        ("practitioner_south", 404),
        ("manager_south", 404),
        ("admin", 404),
    ],
)
def test_the_registers_pages_are_the_units(world, linked, client_for, role, status):
    client = client_for(world.users[role])
    individual = linked.individuals.get()
    for url in (
        reverse("reviews:list"),
        reverse("reviews:add"),
        reverse("reviews:detail", args=[linked.pk]),
        reverse("reviews:edit", args=[linked.pk]),
        reverse("reviews:individual_add", args=[linked.pk]),
        reverse("reviews:individual_edit", args=[linked.pk, individual.pk]),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    "role, shown",
    [
        ("practitioner_north", True),
        ("manager_north", True),
        ("unit", True),
        ("practitioner_south", False),
    ],
)
def test_the_enquiry_and_person_pages_show_the_review_read_only(world, linked, client_for, role, shown):
    person, _, enquiry = world.cases["north"]
    client = client_for(world.users[role])
    for url in (enquiry.get_absolute_url(), person.get_absolute_url()):
        response = client.get(url)
        if response.status_code == 404:
            assert not shown
            continue
        page = response.content.decode()
        assert ("Adult North" in page) is shown, url
        assert ("Safeguarding Adults Reviews" in page) is shown, url
        # Read-only: no way to change it from the case pages, and the register is linked for the unit alone.
        assert (reverse("reviews:detail", args=[linked.pk]) in page) is (role == "unit")
        assert reverse("reviews:edit", args=[linked.pk]) not in page


def test_the_panel_names_no_other_individual(world, client_for):
    north_person, _, enquiry = world.cases["north"]
    south_person, _, _ = world.cases["south"]
    review(
        world.users["unit"],
        name="Family W",
        anyone_died=True,
        individuals=[(north_person, True, False), (south_person, True, True)],
    )
    page = client_for(world.users["practitioner_north"]).get(enquiry.get_absolute_url()).content.decode()
    assert "Family W" in page
    assert "Suffered serious harm and survived" in page
    assert south_person.display_name not in page


def test_a_practitioner_on_another_team_sees_no_panel_on_a_page_of_theirs(world, linked, client_for):
    _, _, south_enquiry = world.cases["south"]
    page = (
        client_for(world.users["practitioner_south"]).get(south_enquiry.get_absolute_url()).content.decode()
    )
    assert "Adult North" not in page


def test_the_navigation_links_the_register_for_unit_staff_alone(world):
    texts = lambda role: [item.text for item in nav_items_for(world.users[role])]  # noqa: E731
    assert "Safeguarding Adults Reviews" in texts("unit")
    assert "Safeguarding Adults Reviews" in texts("unit_lead")
    for role in ("practitioner_north", "manager_north", "admin"):
        assert "Safeguarding Adults Reviews" not in texts(role)
