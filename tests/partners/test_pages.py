"""The unit leads' API clients pages: only unit leads (everyone else "Page not found"), the secret shown
once on the answering page and never in an address, every problem shown at once, hostile input refused
without a 500, and switching off that keeps the client."""

import pytest
from django.urls import reverse

from msp_cases.api.models import ApiClient
from msp_cases.partners.models import WebhookSubscription

pytestmark = pytest.mark.django_db

LIST = reverse("partners:list")
ADD = reverse("partners:add")


@pytest.fixture
def lead_client(world, client_for):
    return client_for(world.users["unit_lead"])


def _make(lead_client, world, name="Police referrals"):
    return lead_client.post(
        ADD, {"name": name, "scopes": ["referrals:write", "cases:read"], "teams": [world.north.pk]}
    )


@pytest.mark.parametrize(
    "role", ["practitioner_north", "manager_north", "unit", "admin", "practitioner_south"]
)
def test_only_unit_leads_see_the_pages(world, client_for, role, lead_client):
    _make(lead_client, world)
    client = ApiClient.objects.get()
    other = client_for(world.users[role])
    for url in (
        LIST,
        ADD,
        reverse("partners:detail", args=[client.pk]),
        reverse("partners:deactivate", args=[client.pk]),
        reverse("partners:subscription_add", args=[client.pk]),
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(ADD, {"name": "Mine", "scopes": ["cases:read"]}).status_code == 404
    assert ApiClient.objects.count() == 1
    assert "API clients" not in other.get("/").content.decode()


def test_a_unit_lead_makes_a_client_and_sees_its_secret_once(world, lead_client):
    assert "API clients" in lead_client.get(LIST).content.decode()
    response = _make(lead_client, world)
    assert response.status_code == 200  # the answer itself, not a redirect that would carry it
    assert "no-store" in response["Cache-Control"]
    client = ApiClient.objects.get()
    html = response.content.decode()
    assert client.application.client_id in html
    secret = html.split('data-testid="secret">', 1)[1].split("<", 1)[0]
    assert client.application.client_secret != secret  # kept hashed
    assert client.created_by == world.users["unit_lead"]
    for url in (LIST, reverse("partners:detail", args=[client.pk])):
        assert secret not in lead_client.get(url).content.decode()


def test_every_problem_is_shown_at_once(world, lead_client):
    _make(lead_client, world)
    html = lead_client.post(ADD, {"name": "police REFERRALS"}).content.decode()
    assert "govuk-error-summary" in html
    assert "A client with this name already exists" in html
    assert "Select at least one thing the client may do" in html
    no_scope = lead_client.post(ADD, {"name": "X"}).content.decode()
    assert "Select at least one thing the client may do" in no_scope


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "x" * 5000, "scopes": ["cases:read"]},
        {"name": "\x00\u200b", "scopes": ["cases:read"]},
        {"name": "Ok", "scopes": ["admin:everything"]},
        {"name": "Ok", "scopes": ["cases:read"], "teams": ["9" * 40]},
        {"name": "Ok", "scopes": ["cases:read"], "teams": ["not-a-number"]},
    ],
)
def test_hostile_input_is_refused_on_the_form(world, lead_client, fields):
    response = lead_client.post(ADD, fields)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert ApiClient.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://partner.example.org/hooks", "The address must start https://"),
        ("ftp://partner.example.org/", "The address must start https://"),
        ("https://user:pass@partner.example.org/", "must not hold a user name or password"),
        ("https://10.0.0.5/hooks", "not this network"),
        ("https://localhost/hooks", "not this network"),
        ("javascript:alert(1)", "Enter a real web address"),
        ("https://[::1/hooks", "Enter a real web address"),
        ("https://partner example.org/hooks", "Enter a real web address"),
        ("https://" + "a" * 300 + ".example.org/", "Enter a real web address"),
    ],
)
def test_a_webhook_address_must_be_https_on_a_public_host(world, lead_client, url, message):
    _make(lead_client, world)
    client = ApiClient.objects.get()
    html = lead_client.post(
        reverse("partners:subscription_add", args=[client.pk]), {"url": url, "events": ["concern.decided"]}
    ).content.decode()
    assert message in html
    assert not WebhookSubscription.objects.exists()


def test_a_webhook_added_shows_its_secret_once_and_switching_off_keeps_it(world, lead_client):
    _make(lead_client, world)
    client = ApiClient.objects.get()
    response = lead_client.post(
        reverse("partners:subscription_add", args=[client.pk]),
        {"url": "https://partner.example.org/hooks", "events": ["referral.received", "enquiry.concluded"]},
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in response.content.decode()
    detail = lead_client.get(reverse("partners:detail", args=[client.pk])).content.decode()
    assert "https://partner.example.org/hooks" in detail and subscription.secret not in detail
    lead_client.post(reverse("partners:subscription_deactivate", args=[client.pk, subscription.pk]))
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.deactivated_by == world.users["unit_lead"]


def test_switching_a_client_off_asks_why_and_keeps_it(world, lead_client):
    _make(lead_client, world)
    client = ApiClient.objects.get()
    url = reverse("partners:deactivate", args=[client.pk])
    assert (
        "Enter why the client is being switched off"
        in lead_client.post(url, {"reason": " "}).content.decode()
    )
    assert lead_client.post(url, {"reason": "Contract ended"}).status_code == 302
    client.refresh_from_db()
    assert not client.is_active and not client.user.is_active
    assert "Switched off" in lead_client.get(LIST).content.decode()


def test_the_client_page_shows_each_delivery_without_case_content(
    world, lead_client, sending_partner, screener, receiver, django_capture_on_commit_callbacks
):
    from msp_cases.core.actor import Actor
    from msp_cases.frontdoor.services import screening
    from tests.factories import PersonFactory

    receiver.statuses = [503]
    partner = sending_partner()
    with django_capture_on_commit_callbacks(execute=True):
        screening.referral_route(
            actor=Actor.of(screener),
            referral=partner.referral,
            expected_version=partner.referral.version,
            team=world.north,
            person=PersonFactory(given_name="Margaret", family_name="Hughes"),
        )
    html = lead_client.get(reverse("partners:detail", args=[partner.client.pk])).content.decode()
    assert "Delivered: 0. Pending: 1. Failed: 0." in html
    assert "referral.received" in html and "HTTP 503" in html
    assert receiver.url in html
    for word in ("Margaret", "Hughes", "pension", partner.secret):
        assert word not in html


def test_the_list_and_a_client_page_cost_a_fixed_number_of_queries(
    world, lead_client, sending_partner, django_assert_max_num_queries
):
    for _ in range(3):
        sending_partner()
    lead_client.get(LIST)  # the session's permissions and teams, read once
    client = ApiClient.objects.first()
    with django_assert_max_num_queries(10):
        assert lead_client.get(LIST).status_code == 200
    with django_assert_max_num_queries(13):
        assert lead_client.get(reverse("partners:detail", args=[client.pk])).status_code == 200
