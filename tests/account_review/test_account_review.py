"""Account review: unit leads and administrators see every account with its roles, teams, last sign-in and
two-factor state, and deactivate or reactivate one with a reason; nobody their own. Every change is recorded
and shown on the account's page. Anyone else is told the pages do not exist."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from msp_cases.accounts import roles
from msp_cases.accounts.models import RoleChange, SignedInSession
from msp_cases.accounts.services import user_access_set
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("account_review:account_list")


def detail(user) -> str:
    return reverse("account_review:account_detail", args=[user.pk])


def rows(page: str) -> list[str]:
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("unit_lead", 200),
        ("admin", 200),
        ("unit", 404),
        ("manager_north", 404),
        ("practitioner_north", 404),
    ],
)
def test_only_unit_leads_and_administrators_review_accounts(world, client_for, who, status):
    client = client_for(world.users[who])
    assert client.get(LIST).status_code == status
    assert client.get(detail(world.users["practitioner_south"])).status_code == status
    nav = client.get(reverse("notifications:list")).content.decode()
    assert (f'href="{LIST}"' in nav) == (status == 200)


def test_each_account_with_its_roles_teams_last_sign_in_two_factor_and_status(world, client_for):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    practitioner = world.users["practitioner_north"]
    practitioner.last_login = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 30))
    practitioner.save()
    TOTPDevice.objects.create(user=practitioner, name="Phone", confirmed=True)
    TOTPDevice.objects.create(user=world.users["practitioner_south"], name="Phone", confirmed=False)
    world.users["manager_south"].is_active = False
    world.users["manager_south"].save()

    listed = rows(world_client(world, client_for).get(LIST).content.decode())

    def row_of(name: str) -> str:
        (row,) = [row for row in listed if f" {world.users[name].email} " in row]
        return row

    assert row_of("practitioner_north").endswith("Practitioner North Locality 2 Nov 2026 Set up Active")
    assert row_of("practitioner_south").endswith("Practitioner South Locality Never Not set up Active")
    assert row_of("manager_south").endswith("Manager South Locality Never Not set up Deactivated")


def world_client(world, client_for):
    return client_for(world.users["unit_lead"])


def test_the_list_costs_the_same_queries_for_five_accounts_as_for_fifty(world, client_for):
    client = world_client(world, client_for)
    team = TeamFactory(name="East Locality")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(40):
        UserFactory(role=roles.PRACTITIONER, teams=[team, world.north])
    assert queries() == few


def test_filter_accounts_not_used_for_the_configured_days(world, client_for, settings):
    settings.MSP_ACCOUNT_INACTIVE_DAYS = 30
    now = timezone.now()
    opened = now - datetime.timedelta(days=200)
    stale = UserFactory(
        full_name="Stale Account", date_joined=opened, last_login=now - datetime.timedelta(days=31)
    )
    UserFactory(full_name="Recent Account", date_joined=opened, last_login=now - datetime.timedelta(days=29))
    page = world_client(world, client_for).get(LIST, {"unused": "1"}).content.decode()
    assert "Stale Account" in page and "Recent Account" not in page
    assert "not used for more than 30 days" in page
    # Every account of the scene was opened just now: none of them is unused.
    assert [stale.full_name in row for row in rows(page)] == [True]


def test_deactivating_an_account_records_the_reason_and_signs_it_out_everywhere(world, client_for):
    leaver = world.users["practitioner_south"]
    leavers_browser = client_for(leaver)
    assert SignedInSession.objects.filter(user=leaver).exists()
    lead = world.users["unit_lead"]
    response = client_for(lead).post(
        detail(leaver), {"reason": "Left the council on 30 November"}, follow=True
    )
    page = response.content.decode()
    assert f"{escape(leaver.full_name)}’s account has been deactivated" in page
    assert "Left the council on 30 November" in page
    leaver.refresh_from_db()
    assert not leaver.is_active
    change = RoleChange.objects.get(user=leaver, kind=RoleChange.Kind.ACCOUNT)
    assert (change.changed_by, change.granted, change.reason) == (
        lead,
        False,
        "Left the council on 30 November",
    )
    assert not SignedInSession.objects.filter(user=leaver).exists()
    signed_out = leavers_browser.get(reverse("notifications:list"))
    assert signed_out.status_code == 302 and signed_out["Location"].startswith(reverse("login"))


def test_reactivating_needs_a_reason_too(world, client_for):
    account = world.users["practitioner_south"]
    account.is_active = False
    account.save()
    client = client_for(world.users["admin"])
    page = client.post(detail(account), {"reason": "  "}).content.decode()
    assert "There is a problem" in page and "Enter why you are making this change" in page
    account.refresh_from_db()
    assert not account.is_active
    client.post(detail(account), {"reason": "Back from leave"})
    account.refresh_from_db()
    assert account.is_active
    assert RoleChange.objects.get(user=account).summary == "Account reactivated"


def test_nobody_deactivates_their_own_account(world, client_for):
    lead = world.users["unit_lead"]
    client = client_for(lead)
    assert "Deactivate account" not in client.get(detail(lead)).content.decode()
    assert client.post(detail(lead), {"reason": "Trying"}).status_code == 404
    lead.refresh_from_db()
    assert lead.is_active


def test_an_administrator_cannot_deactivate_a_superuser(world, client_for):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client = client_for(world.users["admin"])
    assert "Deactivate account" not in client.get(detail(superuser)).content.decode()
    assert client.post(detail(superuser), {"reason": "Trying"}).status_code == 404
    superuser.refresh_from_db()
    assert superuser.is_active


def test_the_account_page_shows_every_role_change_with_who_made_it(world, client_for):
    admin = world.users["admin"]
    account = world.users["practitioner_north"]
    user_access_set(
        actor=admin,
        user=account,
        groups=[Group.objects.get(name=roles.MANAGER)],
        teams=[world.north],
        ip_address="192.0.2.4",
    )
    history = rows(client_for(world.users["unit_lead"]).get(detail(account)).content.decode())
    who = escape(admin.full_name)
    assert any("Given role: Manager" in row and who in row and "192.0.2.4" in row for row in history)
    assert any("Removed role: Practitioner" in row for row in history)


def test_deactivating_in_the_admin_is_recorded_and_ends_the_sessions(world, client_for):
    account = world.users["practitioner_south"]
    client_for(account)
    admin_client = client_for(world.users["admin"])
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[account.pk]),
        {
            "email": account.email,
            "full_name": account.full_name,
            "job_title": account.job_title,
            "teams": [t.pk for t in account.teams.all()],
            "groups": [g.pk for g in account.groups.all()],
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active
    change = RoleChange.objects.get(user=account, kind=RoleChange.Kind.ACCOUNT)
    assert change.changed_by == world.users["admin"] and change.reason == "Changed in site administration"
    assert not SignedInSession.objects.filter(user=account).exists()
