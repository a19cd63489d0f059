"""Shared fixtures: two teams, a user per role, and a client signed in as each.

`world` is the standard scene the access tests run over: a case in each team, a restricted case in North
named to North's manager, and users in every role."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from msp_cases.accounts import roles

from .factories import ConcernFactory, EnquiryFactory, PersonFactory, TeamFactory, UserFactory

IN_CI = os.environ.get("CI") == "true"
# The browser tests' end-of-run notes, gathered from every pytest-xdist worker.
pytest_plugins = ["tests.parallel"]


def pytest_collection_modifyitems(items):
    """Every test that commits (transactional, or serving a live server) is serialized too. Django empties the
    database after such a test; without the serialized copy that takes the roles the data migrations made, and
    the next serialized test of that worker then fails to restore content types the flush made again."""
    unserialized = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        commits = (marker is not None and marker.kwargs.get("transaction")) or {
            "transactional_db",
            "live_server",
        } & set(item.fixturenames)
        serialized = (marker is not None and marker.kwargs.get("serialized_rollback")) or (
            "django_db_serialized_rollback" in item.fixturenames
        )
        if commits and not serialized:
            unserialized.append(item.nodeid)
    if unserialized:
        raise pytest.UsageError(
            "Mark these django_db(transaction=True, serialized_rollback=True), or use the "
            "django_db_serialized_rollback fixture: " + ", ".join(unserialized)
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Report figures kept between requests (msp_cases/reports/cache.py) never outlive the test that counted
    them: ids and periods repeat from test to test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    north: object
    south: object
    users: dict
    cases: dict  # name -> (person, concern, enquiry)


@pytest.fixture
def world(db) -> World:
    north = TeamFactory(name="North Locality")
    south = TeamFactory(name="South Locality")
    users = {
        "practitioner_north": UserFactory(role=roles.PRACTITIONER, teams=[north]),
        "practitioner_south": UserFactory(role=roles.PRACTITIONER, teams=[south]),
        "manager_north": UserFactory(role=roles.MANAGER, teams=[north]),
        "manager_south": UserFactory(role=roles.MANAGER, teams=[south]),
        "unit": UserFactory(role=roles.SAFEGUARDING_UNIT),
        "unit_lead": UserFactory(role=roles.SAFEGUARDING_UNIT, unit_lead=True),
        "admin": UserFactory(role=roles.ADMINISTRATOR, is_staff=True),
    }
    # A South case allocated to North's practitioner (cover across teams): visible to them, not to their team.
    cases = {}
    for name, team, lead in [
        ("north", north, users["practitioner_north"]),
        ("south", south, users["practitioner_south"]),
        ("south_allocated_to_north", south, users["practitioner_north"]),
    ]:
        # Distinctive names, so a test can tell that a page does not show them.
        person = PersonFactory(given_name=f"Given-{name}", family_name=f"Casename-{name}")
        enquiry = EnquiryFactory(person=person, team=team, lead_practitioner=lead)
        enquiry.concern.allocated_to = lead
        enquiry.concern.save()
        cases[name] = (enquiry.person, enquiry.concern, enquiry)
    restricted_person = PersonFactory(
        given_name="Given-restricted",
        family_name="Casename-restricted",
        is_restricted=True,
        restricted_to=[users["manager_north"]],
    )
    concern = ConcernFactory(person=restricted_person, team=north)
    enquiry = EnquiryFactory(
        person=restricted_person, concern=concern, team=north, lead_practitioner=users["manager_north"]
    )
    cases["restricted_north"] = (restricted_person, concern, enquiry)
    return World(north=north, south=south, users=users, cases=cases)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def practitioner_client(world) -> Client:
    return _client_for(world.users["practitioner_north"])


@pytest.fixture
def manager_client(world) -> Client:
    return _client_for(world.users["manager_north"])


@pytest.fixture
def unit_client(world) -> Client:
    return _client_for(world.users["unit"])


@pytest.fixture
def client_for():
    return _client_for
