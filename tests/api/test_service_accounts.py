"""A partner system's service account is a member of its teams only so that the access rule scopes its reads:
it is never offered, listed or counted as a member of staff."""

import pytest
from django.urls import reverse

from enquiries.selectors.concerns import workers_in_teams
from enquiries.selectors.people import restrictable_users

pytestmark = pytest.mark.django_db


def test_a_partner_system_is_never_offered_as_a_member_of_staff(world, partner, client_for):
    account = partner(["people:read", "cases:read"]).client.user
    assert account.full_name.startswith("API client: ")
    manager = client_for(world.users["manager_north"])
    enquiry = world.cases["north"][2]

    allocate = manager.get(reverse("enquiries:enquiry_allocate", args=[enquiry.pk]))
    assert allocate.status_code == 200
    assert world.users["practitioner_north"].full_name in allocate.content.decode()
    assert "API client: " not in allocate.content.decode()

    dashboard = manager.get(reverse("enquiries:team_dashboard")).content.decode()
    assert world.users["practitioner_north"].full_name in dashboard
    assert "API client: " not in dashboard

    assert account not in restrictable_users(user=world.users["practitioner_north"])
    assert account not in workers_in_teams(teams=[world.north])


def test_the_api_client_role_is_never_given_to_a_person_nor_a_persons_role_to_a_system(world, partner):
    from django.contrib.auth.models import Group

    from msp_cases.accounts import roles
    from msp_cases.accounts.services import AccessChangeRefused, user_access_set

    account = partner(["people:read"]).client.user
    person = world.users["practitioner_north"]
    unit_lead = world.users["unit_lead"]
    with pytest.raises(AccessChangeRefused, match="only for partners' systems"):
        user_access_set(
            actor=unit_lead,
            user=person,
            groups=[Group.objects.get(name=roles.API_CLIENT)],
            teams=None,
            ip_address=None,
        )
    with pytest.raises(AccessChangeRefused, match="only for partners' systems"):
        user_access_set(
            actor=unit_lead,
            user=account,
            groups=[Group.objects.get(name=roles.MANAGER)],
            teams=None,
            ip_address=None,
        )
    assert not person.groups.filter(name=roles.API_CLIENT).exists()
    assert list(account.groups.values_list("name", flat=True)) == [roles.API_CLIENT]


def test_only_a_client_with_cases_write_holds_the_change_permission_and_no_person_ever_does(world, partner):
    """Writing needs the scope and the role; the role is given with the scope, by the accounts service, and
    recorded as any role is."""
    from django.contrib.auth.models import Group

    from msp_cases.accounts import roles
    from msp_cases.accounts.models import RoleChange
    from msp_cases.accounts.services import AccessChangeRefused, user_access_set

    concern = world.cases["north"][1]
    reader = partner(["cases:read"]).client.user
    writer = partner(["cases:read", "cases:write"]).client.user
    assert not reader.has_perm(roles.CHANGE_ENQUIRY) and not reader.has_perm(roles.EDIT_CASE, concern)
    assert writer.has_perm(roles.EDIT_CASE, concern)
    assert not writer.has_perm(roles.EDIT_CASE, world.cases["south"][1])  # out of its teams' scope
    assert sorted(writer.groups.values_list("name", flat=True)) == sorted(roles.API_CLIENT_ROLES)
    assert RoleChange.objects.filter(user=writer, name=roles.API_CLIENT_UPDATES, granted=True).exists()
    with pytest.raises(AccessChangeRefused, match="only for partners' systems"):
        user_access_set(
            actor=world.users["unit_lead"],
            user=world.users["practitioner_north"],
            groups=[Group.objects.get(name=roles.API_CLIENT_UPDATES)],
            teams=None,
            ip_address=None,
        )
