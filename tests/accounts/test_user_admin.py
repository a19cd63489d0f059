"""The user admin, used as the demo administrator would use it: every way it could change who may see what.

An administrator manages accounts and teams. They can never make anyone superuser or staff, never change
their own roles, teams or permissions, never set anyone's password; the roles they give others are recorded
and shown to unit leads."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from msp_cases.accounts import roles
from msp_cases.accounts.models import RoleChange, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESTRICTED_PERMISSION = {"content_type__app_label": "enquiries", "codename": "view_restricted_records"}


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def form_post(user, **changes) -> dict:
    """What the change form posts when nothing is changed, with `changes` applied on top."""
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "job_title": user.job_title,
        "is_active": "on",
        "teams": [t.pk for t in user.teams.all()],
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(changes)
    return data


def group(name: str) -> Group:
    return Group.objects.get(name=name)


def input_names(html: str) -> set[str]:
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))


@pytest.fixture
def admin_user(world):
    return world.users["admin"]


@pytest.fixture
def admin_client(admin_user, client_for):
    return client_for(admin_user)


# ---- Their own account ---------------------------------------------------------------------------------


def test_own_account_shows_roles_teams_and_status_but_cannot_change_them(admin_client, admin_user):
    response = admin_client.get(change_url(admin_user))
    assert response.status_code == 200
    page = response.content.decode()
    fields = input_names(page)
    assert {"email", "full_name"} <= fields
    assert not fields & {"groups", "teams", "user_permissions", "is_superuser", "is_staff", "password"}
    assert "Administrator" in page  # their role, shown read-only


def test_a_forged_post_cannot_give_yourself_roles_teams_permissions_or_superuser(
    admin_client, admin_user, world
):
    response = admin_client.post(
        change_url(admin_user),
        form_post(
            admin_user,
            groups=[group(roles.SAFEGUARDING_UNIT).pk, group(roles.ADMINISTRATOR).pk],
            teams=[world.north.pk],
            user_permissions=[Permission.objects.get(**RESTRICTED_PERMISSION).pk],
            is_superuser="on",
            is_staff="on",
        ),
    )
    assert response.status_code == 302
    admin_user = User.objects.get(pk=admin_user.pk)
    assert admin_user.role_names == [roles.ADMINISTRATOR]
    assert not admin_user.teams.exists()
    assert not admin_user.is_superuser
    assert not admin_user.has_perm(roles.VIEW_RESTRICTED)
    assert not admin_user.has_perm(roles.VIEW_ALL_CASES)
    assert not RoleChange.objects.exists()


def test_nobody_can_change_their_own_roles_not_even_a_superuser(client_for):
    superuser = UserFactory(is_staff=True, is_superuser=True, role=roles.ADMINISTRATOR)
    client = client_for(superuser)
    client.post(change_url(superuser), form_post(superuser, groups=[group(roles.SAFEGUARDING_UNIT).pk]))
    assert superuser.role_names == [roles.ADMINISTRATOR]


# ---- Somebody else's account ---------------------------------------------------------------------------


def test_superuser_staff_and_permissions_are_never_editable_on_another_account(admin_client, world):
    practitioner = world.users["practitioner_south"]
    fields = input_names(admin_client.get(change_url(practitioner)).content.decode())
    assert {"groups", "teams"} <= fields
    assert not fields & {"is_superuser", "is_staff", "user_permissions", "password"}

    admin_client.post(
        change_url(practitioner),
        form_post(
            practitioner,
            is_superuser="on",
            is_staff="on",
            user_permissions=[Permission.objects.get(**RESTRICTED_PERMISSION).pk],
        ),
    )
    practitioner = User.objects.get(pk=practitioner.pk)
    assert (practitioner.is_superuser, practitioner.is_staff) == (False, False)
    assert not practitioner.has_perm(roles.VIEW_RESTRICTED)


def test_not_even_a_superuser_can_make_someone_superuser_in_the_app(client_for, world):
    client = client_for(UserFactory(is_staff=True, is_superuser=True))
    practitioner = world.users["practitioner_south"]
    client.post(change_url(practitioner), form_post(practitioner, is_superuser="on", is_staff="on"))
    practitioner.refresh_from_db()
    assert (practitioner.is_superuser, practitioner.is_staff) == (False, False)


def test_an_administrator_cannot_change_a_superusers_account(admin_client):
    superuser = UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    fields = input_names(admin_client.get(change_url(superuser)).content.decode())
    assert not fields & {"email", "groups", "teams", "is_active"}
    response = admin_client.post(change_url(superuser), form_post(superuser, email="mine@example.org"))
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email == "root@example.org"


def test_another_users_email_cannot_be_changed_so_a_reset_link_cannot_be_redirected(admin_client, world):
    practitioner = world.users["practitioner_south"]
    email = practitioner.email
    admin_client.post(change_url(practitioner), form_post(practitioner, email="admin.own@example.org"))
    practitioner.refresh_from_db()
    assert practitioner.email == email


def test_giving_a_role_that_reads_cases_is_allowed_and_recorded(admin_client, admin_user, world):
    practitioner = world.users["practitioner_south"]
    response = admin_client.post(
        change_url(practitioner),
        form_post(practitioner, groups=[group(roles.SAFEGUARDING_UNIT).pk], teams=[world.north.pk]),
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    practitioner = User.objects.get(pk=practitioner.pk)
    assert practitioner.role_names == [roles.SAFEGUARDING_UNIT]
    assert practitioner.has_perm(roles.VIEW_ALL_CASES)
    changes = {
        (c.changed_by, c.user, c.kind, c.name, c.granted, c.ip_address) for c in RoleChange.objects.all()
    }
    assert changes == {
        (admin_user, practitioner, "role", roles.SAFEGUARDING_UNIT, True, "192.0.2.7"),
        (admin_user, practitioner, "role", roles.PRACTITIONER, False, "192.0.2.7"),
        (admin_user, practitioner, "team", "North Locality", True, "192.0.2.7"),
        (admin_user, practitioner, "team", "South Locality", False, "192.0.2.7"),
    }


def test_saving_without_changes_records_nothing(admin_client, world):
    practitioner = world.users["practitioner_south"]
    admin_client.post(change_url(practitioner), form_post(practitioner, job_title="Senior social worker"))
    assert User.objects.get(pk=practitioner.pk).job_title == "Senior social worker"
    assert not RoleChange.objects.exists()


def test_restricted_record_access_is_given_as_the_unit_lead_role(admin_client, world):
    unit = world.users["unit"]
    admin_client.post(
        change_url(unit),
        form_post(unit, groups=[group(roles.SAFEGUARDING_UNIT).pk, group(roles.UNIT_LEAD).pk]),
    )
    assert User.objects.get(pk=unit.pk).has_perm(roles.VIEW_RESTRICTED)
    assert RoleChange.objects.get().name == roles.UNIT_LEAD


# ---- The record of role changes ------------------------------------------------------------------------


def test_unit_leads_see_role_changes_and_nobody_else_does(admin_client, world, client_for):
    practitioner = world.users["practitioner_south"]
    admin_client.post(change_url(practitioner), form_post(practitioner, groups=[group(roles.MANAGER).pk]))
    url = reverse("accounts:role_changes")

    page = client_for(world.users["unit_lead"]).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert escape(practitioner.full_name) in text
    assert escape(world.users["admin"].full_name) in text
    assert "Manager" in text and "Given" in text
    for who in ("unit", "admin", "manager_north", "practitioner_north"):
        assert client_for(world.users[who]).get(url).status_code == 404


def test_unit_leads_find_role_changes_in_the_navigation(world, client_for):
    url = reverse("accounts:role_changes")
    page = reverse("audit:recent")
    assert f'href="{url}"' in client_for(world.users["unit_lead"]).get(page).content.decode()
    assert f'href="{url}"' not in client_for(world.users["unit"]).get(page).content.decode()


# ---- Passwords -----------------------------------------------------------------------------------------


def test_an_administrator_cannot_set_another_users_password(admin_client, world):
    practitioner = world.users["practitioner_south"]
    url = f"/admin/accounts/user/{practitioner.pk}/password/"
    assert admin_client.get(url).status_code == 404
    response = admin_client.post(url, {"password1": "taken-over-12345", "password2": "taken-over-12345"})
    assert response.status_code == 404
    practitioner.refresh_from_db()
    assert not practitioner.check_password("taken-over-12345")


def test_a_new_account_has_no_password_and_its_owner_gets_a_link_to_set_one(
    admin_client, client, django_capture_on_commit_callbacks
):
    add_url = reverse("admin:accounts_user_add")
    fields = input_names(admin_client.get(add_url).content.decode())
    assert "email" in fields
    assert not fields & {"password1", "password2", "usable_password", "is_superuser", "is_staff", "groups"}

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            add_url,
            {
                "email": "New.Starter@example.org",
                "full_name": "New Starter",
                "job_title": "Social worker",
                "password1": "chosen-by-admin-123",
                "password2": "chosen-by-admin-123",
                "usable_password": "true",
                "is_superuser": "on",
                "is_staff": "on",
                "groups": [group(roles.SAFEGUARDING_UNIT).pk],
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.starter@example.org")
    assert not user.has_usable_password()
    assert (user.is_superuser, user.is_staff, user.role_names) == (False, False, [])

    # The email carries a link and nothing else about the account.
    (email,) = mail.outbox
    assert email.to == ["new.starter@example.org"]
    assert "chosen-by-admin" not in email.body
    link = re.search(r"https?://\S+", email.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200
    set_url = page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "my-own-passphrase-42", "new_password2": "my-own-passphrase-42"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("my-own-passphrase-42")


def test_an_administrator_can_send_a_password_reset_link(admin_client, world):
    practitioner = world.users["practitioner_south"]
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_password_reset_link", "_selected_action": [practitioner.pk]},
    )
    assert response.status_code == 302
    (email,) = mail.outbox
    assert email.to == [practitioner.email]
    assert "/password-reset/" in email.body
    practitioner.refresh_from_db()
    assert practitioner.check_password("a-long-test-password")  # unchanged until they use the link


def test_the_service_refuses_a_change_to_your_own_roles(admin_user):
    from msp_cases.accounts.services import AccessChangeRefused, user_access_set

    with pytest.raises(AccessChangeRefused):
        user_access_set(
            actor=admin_user,
            user=admin_user,
            groups=[group(roles.SAFEGUARDING_UNIT)],
            teams=[],
            ip_address=None,
        )
    assert admin_user.role_names == [roles.ADMINISTRATOR]


def test_staff_status_is_given_from_the_command_line(world):
    from django.core.management import call_command

    user = world.users["practitioner_south"]
    call_command("staff_status", user.email.upper())
    user.refresh_from_db()
    assert user.is_staff
    call_command("staff_status", user.email, "--remove")
    user.refresh_from_db()
    assert not user.is_staff


def test_adding_an_account_whose_email_exists_in_another_case_says_so(admin_client, world):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": world.users["practitioner_south"].email.upper(), "full_name": "Someone Else"},
    )
    assert response.status_code == 200
    assert "An account with this email address already exists" in response.content.decode()
