"""Writes to accounts: who holds which role and team, and how a person gets a password.

Nobody changes their own roles or teams, and nobody sets another person's password: a person sets their own
through a link emailed to them. Every role and team given or taken away is recorded as a `RoleChange`."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import roles
from .models import RoleChange, Team, User


class AccessChangeRefused(Exception):
    """A change to who may see what that nobody may make (such as to one's own roles)."""


def user_access_set(
    *,
    actor: User | None,
    user: User,
    groups: Iterable[Group] | None = None,
    teams: Iterable[Team] | None = None,
    ip_address: str | None,
) -> list[RoleChange]:
    """Give `user` exactly these roles (groups) and teams, recording each one given or taken away.

    `None` leaves that set as it is. `actor` is None only from the command line. Refused when the actor is
    the user: "nobody can change their own roles" holds even for a superuser."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changes = []
        for kind, wanted, current in (
            (RoleChange.Kind.ROLE, groups, user.groups),
            (RoleChange.Kind.TEAM, teams, user.teams),
        ):
            if wanted is None:
                continue
            wanted = set(wanted)
            held = set(current.all())
            if wanted == held:
                continue
            if actor is not None and actor.pk == user.pk:
                raise AccessChangeRefused("You cannot change your own roles or teams")
            if kind == RoleChange.Kind.ROLE and _mixes_people_and_systems(user, wanted):
                raise AccessChangeRefused(
                    "The API client role is only for partners' systems, which hold no other role"
                )
            current.add(*(wanted - held))
            current.remove(*(held - wanted))
            changes += [
                RoleChange(
                    changed_by=actor,
                    user=user,
                    kind=kind,
                    name=item.name,
                    granted=granted,
                    ip_address=ip_address,
                )
                for granted, items in ((True, wanted - held), (False, held - wanted))
                for item in sorted(items, key=lambda i: i.name)
            ]
        for change in changes:
            change.full_clean()
        return RoleChange.objects.bulk_create(changes)


def _mixes_people_and_systems(user: User, roles_wanted: set[Group]) -> bool:
    """A person given the API client role, or a partner system's service account given anything else."""
    names = {group.name for group in roles_wanted}
    if user.is_service_account:
        return bool(names - set(roles.API_CLIENT_ROLES))
    return bool(names & set(roles.API_CLIENT_ROLES))


def user_active_set(
    *, actor: User | None, user: User, active: bool, reason: str, ip_address: str | None
) -> RoleChange | None:
    """Deactivate or reactivate `user`'s account, recording who did it, when and why. `actor` is None for the
    scheduled task that deactivates accounts nobody uses. Refused for one's own account, and for a
    superuser's unless the actor is one. Saving the account inactive ends every one of its sessions at once
    (accounts.sessions.services.on_user_saved). Returns the record, or None if the account was already so."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active == active:
            return None
        if actor is not None and actor.pk == user.pk:
            raise AccessChangeRefused("You cannot deactivate or reactivate your own account")
        if actor is not None and user.is_superuser and not actor.is_superuser:
            raise AccessChangeRefused("Only a superuser can deactivate or reactivate a superuser's account")
        change = RoleChange(
            changed_by=actor,
            user=user,
            kind=RoleChange.Kind.ACCOUNT,
            name="Account",
            granted=active,
            reason=reason.strip(),
            ip_address=ip_address,
        )
        change.full_clean()
        user.is_active = active
        user.save(update_fields=["is_active"])
        change.save()
    return change


def user_account_open(*, user: User) -> User:
    """Save a new account with no password: its owner sets one through the link emailed to them. The
    caller fills in who they are; roles and teams are given afterwards (`user_access_set`)."""
    with transaction.atomic():
        user.email = User.objects.normalize_email(user.email).lower()
        user.is_superuser = user.is_staff = False
        user.set_unusable_password()
        user.full_clean()
        user.save()
        transaction.on_commit(lambda: password_reset_link_send(user=user))
    return user


def password_reset_link_send(*, user: User) -> None:
    """Email `user` a one-time link to set their own password. The email carries the link and nothing else
    about the account; the link stops working once used or after PASSWORD_RESET_TIMEOUT."""
    if not user.is_active:
        return
    link = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    PasswordResetForm().send_mail(
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
        context={"link": link, "product_name": settings.PRODUCT_NAME},
        from_email=None,
        to_email=user.email,
    )
