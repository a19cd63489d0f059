"""Every page about one person shows whose record it is and the warnings in force about them.

"Do not call when her son is at home" must be in front of whoever is about to call: on the enquiry page,
the conversation form, "change the next contact", every page under the person, a concern, an enquiry, a
conversation, a plan action, a meeting, an outcome, a document, a transfer or a warning. The pages come
from the product itself (Django's resolver, filled with records as the hostile-input test fills them), so
a new page about a person without the identity bar fails here.

Each page is opened by the first demo role that may open it, after every demo person was given a warning;
the warning's "what to do" must be on the page. Addresses that are not pages are listed with why (a PDF, a
file), or answer a GET with 405 (an action a page's form sends with POST)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from enquiries.models import Person, PersonWarning
from msp_cases.accounts.models import Team, User
from tests.test_hostile_input import ROUTES, _ids, _urls

pytestmark = pytest.mark.django_db

WHAT_TO_DO = "Call on weekday mornings only: her son is out at work"

# The first segment of the addresses of records about one person.
ABOUT_A_PERSON = {
    "people",
    "network",
    "concerns",
    "enquiries",
    "plan-actions",
    "meetings",
    "conversations",
    "documents",
    "outcomes",
    "transfers",
    "warnings",
    "audits",
}
# Addresses under those segments that are not a page about one person, and why.
NOT_A_PAGE = {
    "feedback:audit_sample": "a case-file audit sample: many enquiries, no one person",
    "feedback:part1_pdf": "a PDF for the person (easy read), not a page of the service",
    "feedback:part2_pdf": "a PDF for the person (easy read), not a page of the service",
    "feedback:safeguarding_plan_pdf": "a PDF for the person (easy read), not a page of the service",
    "documents:view": "the document's file itself",
    "documents:download": "the document's file itself",
}
# Pages about a person that only someone who may not see the person opens: no bar (msp_cases.access).
NOT_THEIRS_TO_SEE = {
    "enquiries:transfer_decline": "only the receiving team's manager declines a transfer, and until they "
    "accept it the person is not theirs to see: the page shows the transfer's own summary",
}
PERSON_ROUTES = sorted(
    name for name, route in ROUTES.items() if "<" in route and route.split("/", 1)[0] in ABOUT_A_PERSON
)
# Who opens the pages, most limited first: a page shows the bar to whoever may open it.
OPENERS = [
    "practitioner.north@example.org",
    "practitioner.south@example.org",
    "manager.north@example.org",
    "manager.south@example.org",
    "unit@example.org",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        manager = User.objects.get(email="manager.north@example.org")
        team = Team.objects.get(name="North Locality")
        today = timezone.localdate()
        PersonWarning.objects.bulk_create(
            PersonWarning(
                person=person,
                type="safe_contact",
                what_to_do=WHAT_TO_DO,
                starts_on=today,
                review_on=today.replace(year=today.year + 1),
                person_told="yes",
                agreed_with=manager,
                team=team,
                recorded_by=manager,
            )
            for person in Person.objects.all()
        )
        users = {email: User.objects.get(email=email) for email in OPENERS}
        roles = {
            "practitioner": users["practitioner.north@example.org"],
            "manager": users["manager.north@example.org"],
            "unit": users["unit@example.org"],
            "administrator": User.objects.get(email="admin@example.org"),
        }
        ids = _ids(roles)
        clients = []
        for user in users.values():
            client = Client()
            client.force_login(user)
            clients.append(client)
        yield ids, clients
        transaction.set_rollback(True)


def test_every_page_about_a_person_is_listed_here():
    # The addresses this test walks; an empty list would pass everything below.
    assert {
        "enquiries:enquiry_detail",
        "enquiries:next_contact_change",
        "enquiries:conversation_add_enquiry",
    } <= set(PERSON_ROUTES)
    assert {"enquiries:warning_edit", "outcomes:outcome_detail", "documents:detail"} <= set(PERSON_ROUTES)


@pytest.mark.parametrize("route_name", [n for n in PERSON_ROUTES if n not in NOT_A_PAGE])
def test_every_page_about_a_person_shows_the_identity_bar_and_warnings(demo, route_name):
    ids, clients = demo
    opened, statuses = [], set()
    for url in _urls(ROUTES[route_name], ids):
        for client in clients:
            response = client.get(url)
            statuses.add(response.status_code)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                page = response.content.decode()
                if route_name in NOT_THEIRS_TO_SEE:
                    assert "moj-identity-bar" not in page and WHAT_TO_DO not in page, url
                    opened.append(url)
                    break
                assert 'class="moj-identity-bar app-identity-bar"' in page, url
                assert WHAT_TO_DO in page, url
                opened.append(url)
                break
    if statuses == {405}:
        return  # an action sent with POST from a page (which has the bar), not a page itself
    assert opened, f"no demo role could open /{ROUTES[route_name]} with the records given; fill it in _ids()"


@pytest.mark.parametrize(
    "url", ["/", "/people/search/?q=Hughes", "/caseload/", "/team/", "/notifications/", "/exports/"]
)
def test_pages_not_about_one_person_have_no_identity_bar(demo, url):
    _, clients = demo
    response = clients[2].get(url, follow=True)
    assert response.status_code == 200
    assert "moj-identity-bar" not in response.content.decode()
