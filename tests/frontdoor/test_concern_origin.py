"""The concern page says when a concern came through the front door: who reported it online (a professional
or a member of the public), its reference and who screened it; never the referrer's words or details there.
It costs the page one query, whether the concern came from the front door or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries import panels
from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral
from msp_cases.frontdoor.services import screening

from .queue_scene import make_referral

pytestmark = pytest.mark.django_db


def _routed(world, front_door, **fields) -> Referral:
    person = world.cases["north"][0]
    referral = make_referral(**fields)
    screening.referral_route(
        actor=Actor.of(front_door), referral=referral, expected_version=1, team=world.north, person=person
    )
    return Referral.objects.select_related("concern").get(pk=referral.pk)


def _page(client, concern) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enquiries:concern_detail", args=[concern.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"referrer_type": "public"}, "Reported online by a member of the public on"),
        (
            {"referrer_type": "public", "referrer_anonymous": True, "referrer_name": ""},
            "Reported online by a member of the public who did not give their name on",
        ),
        (
            {"referrer_type": "professional", "referrer_name": "Dr Ruth Mensah"},
            "Reported online by a professional on",
        ),
    ],
)
def test_the_concern_page_says_it_came_from_the_front_door(world, front_door, client_for, fields, said):
    referral = _routed(world, front_door, **fields)
    page, _ = _page(client_for(world.users["manager_north"]), referral.concern)
    assert said in page
    assert f"reference <strong>{referral.reference}</strong>" in page
    assert f"screened at the front door by {front_door.full_name}" in page
    origin = page[page.index('id="concern-origin"') :].split("</div>")[0]
    assert "Ann Neighbour" not in origin and "Dr Ruth Mensah" not in origin and "pension" not in origin


def test_a_concern_recorded_by_hand_says_nothing_of_the_front_door(world, client_for):
    page, _ = _page(client_for(world.users["manager_north"]), world.cases["north"][1])
    assert "concern-origin" not in page and "Reported online" not in page


def test_it_costs_the_concern_page_one_query(world, front_door, client_for, monkeypatch):
    client = client_for(world.users["manager_north"])
    from_front_door = _routed(world, front_door).concern
    client.get(reverse("enquiries:concern_detail", args=[from_front_door.pk]))  # session, caches: warm
    _, with_panel = _page(client, from_front_door)
    without = [p for p in panels._PANELS if p.id != "frontdoor.concern_origin"]
    monkeypatch.setattr(panels, "_PANELS", without)
    page, without_panel = _page(client, from_front_door)
    assert "concern-origin" not in page
    assert with_panel == without_panel + 1
