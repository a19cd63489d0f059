"""Who oversees whose work (msp_cases.oversight): a truth table of role × team, readable by eye.

The scene is tests/conftest.py's `world`: North and South, a user in every role, and a case in each team."""

import pytest

from msp_cases import oversight

from .factories import UserFactory

pytestmark = pytest.mark.django_db

# user -> may see the team dashboard and the reports; the teams overseen
OVERSEES = {
    "practitioner_north": (False, set()),
    "practitioner_south": (False, set()),
    "manager_north": (True, {"North Locality"}),
    "manager_south": (True, {"South Locality"}),
    "unit": (True, {"North Locality", "South Locality"}),
    "unit_lead": (True, {"North Locality", "South Locality"}),
    "admin": (False, set()),
}

# user -> (manages the North case's team, manages the South case's team,
#          is a manager of the North case's team who may write to it, the same for South)
MANAGES = {
    "practitioner_north": (False, False, False, False),
    "practitioner_south": (False, False, False, False),
    "manager_north": (True, False, True, False),
    "manager_south": (False, True, False, True),
    "unit": (False, False, False, False),  # every team, but read-only and no team of their own
    "unit_lead": (False, False, False, False),
    "admin": (False, False, False, False),
}


@pytest.mark.parametrize(("name", "expected"), OVERSEES.items())
def test_who_oversees_which_teams(world, name, expected):
    user = world.users[name]
    may, teams = expected
    assert oversight.may_oversee(user) is may
    assert {team.name for team in oversight.overseen_teams(user)} == teams


@pytest.mark.parametrize(("name", "expected"), MANAGES.items())
def test_who_manages_an_enquirys_team(world, name, expected):
    user = world.users[name]
    north, south = world.cases["north"][2], world.cases["south"][2]
    assert (
        oversight.manages_team_of(user, north),
        oversight.manages_team_of(user, south),
        oversight.is_team_manager(user, north),
        oversight.is_team_manager(user, south),
    ) == expected


def test_a_deactivated_manager_oversees_nothing(world):
    user = world.users["manager_north"]
    user.is_active = False
    user.save()
    assert not oversight.may_oversee(user)
    assert not oversight.overseen_teams(user).exists()
    assert not oversight.manages_team_of(user, world.cases["north"][2])


def test_a_manager_in_both_teams_manages_both(world):
    from msp_cases.accounts import roles

    user = UserFactory(role=roles.MANAGER, teams=[world.north, world.south])
    assert {t.name for t in oversight.overseen_teams(user)} == {"North Locality", "South Locality"}
    assert oversight.is_team_manager(user, world.cases["south"][2])


def test_anonymous_oversees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not oversight.may_oversee(anonymous)
    assert not oversight.overseen_teams(anonymous).exists()
    assert not oversight.manages_team_of(anonymous, world.cases["north"][2])
