"""With MSP_REQUIRE_2FA on, the password alone opens no page of case data: every URL the project has (the
URL resolver walked, the admin's included), opened and posted to by one user of each role straight after
the password step, is sent to the second step, unless it is one of the few a half-signed-in session may
reach: the second step's own pages, signing out, the session's keep-alive, and pages anyone may open signed
out (the public "Report a concern" form, the health check).

Ids in URLs are the `world`'s real records where the URL is about one (people, concerns, enquiries), so a
page that let the session through would have a case to show; the test also reads every answer for the
world's case names."""

import re
import uuid

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

from msp_cases.accounts import roles
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
SECOND_STEP = "/two-factor/"
# Reachable after the password alone, and why. Anything else must be sent to the second step.
LET_THROUGH = {
    "two_factor:verify": "the second step",
    "two_factor:recovery": "the second step, with a recovery code",
    "two_factor:setup": "the second step, the first time",
    "logout": "signing out",
    "keepalive": "renews the session; shows nothing",
}
ROLES = {
    "practitioner": roles.PRACTITIONER,
    "manager": roles.MANAGER,
    "safeguarding unit": roles.SAFEGUARDING_UNIT,
    "unit lead": roles.SAFEGUARDING_UNIT,
    "administrator": roles.ADMINISTRATOR,
    "front door": roles.FRONT_DOOR,
}
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _fill(route: str, ids: dict[str, int]) -> str:
    """A concrete address of a route: regex groups and path converters filled with a value of their kind."""
    segment = route.split("/", 1)[0]

    def converter(match):
        kind = match.group("conv") or "str"
        if kind == "int":
            return str(ids.get(segment, 1))
        return str(uuid.uuid4()) if kind == "uuid" else "x"

    def group(match):
        if match.group("name") == "app_label":
            return "accounts"
        return "1"

    path = _GROUP.sub(group, route).replace("^", "").replace("$", "").replace("\\", "")
    return "/" + _CONVERTER.sub(converter, path)


def every_url(ids) -> list[tuple[str, str, object]]:
    urls = []
    for route, pattern in _patterns(get_resolver().url_patterns):
        path = _fill(route, ids)
        if isinstance(pattern.pattern, RegexPattern) and route.endswith("(?P<url>.*)$"):
            path = "/admin/no-such-page/"  # the admin's catch-all
        urls.append((route, path, pattern))
    return urls


@pytest.fixture
def half_signed_in(world, settings):
    """A client per role that has given its password at the sign-in page and nothing more."""
    settings.MSP_REQUIRE_2FA = True
    front_door = TeamFactory(name="Front Door")
    users = {
        "practitioner": world.users["practitioner_north"],
        "manager": world.users["manager_north"],
        "safeguarding unit": world.users["unit"],
        "unit lead": world.users["unit_lead"],
        "administrator": world.users["admin"],
        "front door": UserFactory(role=roles.FRONT_DOOR, teams=[front_door]),
    }
    clients = {}
    for role, user in users.items():
        client = Client(raise_request_exception=True)
        response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"].startswith(SECOND_STEP), role
        clients[role] = client
    return clients


def _public(pattern) -> bool:
    return not getattr(pattern.callback, "login_required", True)


def test_the_walk_covers_the_admin_and_the_case_pages(world):
    routes = [route for route, _, _ in every_url({})]
    assert any(route.startswith("admin/") for route in routes)
    assert len(admin.site._registry) and "enquiries/<int:pk>/" in routes
    assert "admin/^(?P<app_label>" in " ".join(routes)
    assert {"sign-out/", "session/keepalive/", "two-factor/"} <= set(routes)


@pytest.mark.parametrize("role", ROLES)
def test_after_the_password_alone_every_url_leads_to_the_second_step(world, half_signed_in, role):
    person, concern, enquiry = world.cases["north"]
    ids = {"people": person.pk, "concerns": concern.pk, "enquiries": enquiry.pk}
    client = half_signed_in[role]
    names = [p.family_name for p, _, _ in world.cases.values()]
    through, refused = [], []
    for route, path, pattern in every_url(ids):
        match = resolve(path)
        assert match.route == route or match.func == pattern.callback, (route, path)
        name = ":".join(x for x in (match.namespace, match.url_name) if x)
        if name == "logout":
            continue  # signing out is let through; tried last below
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            body = response.content.decode(errors="replace")
            leaked = [n for n in names if n in body]
            assert not leaked, f"{method.upper()} {path} as {role} showed {leaked}"
            if name in LET_THROUGH or (_public(pattern) and match.namespace != "admin"):
                through.append(path)
                continue
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith(SECOND_STEP):
                refused.append(f"{method.upper()} {path} -> {response.status_code} {location}")
    assert not refused, "reached after the password alone:\n" + "\n".join(refused)
    assert through, "the second step itself must be reachable"
    # Signing out works, and ends the half-signed-in session.
    client.post("/sign-out/")
    assert client.get("/caseload/")["Location"].startswith("/sign-in/")
