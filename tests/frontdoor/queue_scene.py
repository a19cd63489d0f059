"""The front door's scene for the queue and screening tests: the `world` of tests/conftest.py (two locality
teams, a user per role, a case in each team and a restricted one) plus a front-door team whose screener has
the Front door role, and referrals waiting as the online form leaves them."""

import datetime

import pytest
from django.utils import timezone

from msp_cases.accounts import roles
from msp_cases.frontdoor.models import Referral
from tests.factories import TeamFactory, UserFactory


def make_referral(**fields) -> Referral:
    values = {
        "submitted_at": timezone.now(),
        "referrer_type": Referral.ReferrerType.PUBLIC,
        "adult_name": "Margaret Hughes",
        "adult_address": "12 Mill Lane\nNorthtown",
        "what_happened": "Her son takes her pension.\nShe has no food in the house.",
        "when_happened": "Every week since March",
        "where_happened": "At her home",
        "adult_knows": "yes",
        "adult_wishes": "She wants it to stop but does not want him in trouble",
        "safe_to_contact": "yes",
        "referrer_name": "Ann Neighbour",
        "referrer_relationship": "Neighbour",
        "referrer_phone": "01632 960000",
    }
    values.update(fields)
    return Referral.objects.create(**values)


@pytest.fixture
def front_door(world):
    """The front-door team and its screener (the Front door role only), added to `world`."""
    team = TeamFactory(name="Front Door")
    screener = UserFactory(role=roles.FRONT_DOOR, teams=[team])
    world.users["front_door"] = screener
    world.front_door_team = team
    return screener


@pytest.fixture
def front_door_client(front_door, client_for):
    return client_for(front_door)


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
