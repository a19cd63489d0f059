"""Writes for the account review: deactivating the accounts nobody uses, and telling their managers.

"Unused" is counted from the last sign-in, or from when the account was opened (never signed in) or last
reactivated, if later. The break-glass accounts are never deactivated here, as they are used rarely by
design: superusers (made and changed from the command line, the way back in) and MSP_BREAK_GLASS_ACCOUNTS
(password sign-in while single sign-on is down)."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import checks
from django.db import transaction
from django.urls import reverse

from msp_cases.accounts.models import User
from msp_cases.accounts.roles import SIGN_OFF
from msp_cases.accounts.services import user_active_set
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from .selectors import unused_since, with_last_used


def unused_accounts(*, days: int):
    """Active accounts unused for `days` days, but for the break-glass ones (superusers, and the accounts
    MSP_BREAK_GLASS_ACCOUNTS keeps for signing in with a password when single sign-on is down)."""
    break_glass = getattr(settings, "MSP_BREAK_GLASS_ACCOUNTS", [])
    accounts = User.objects.filter(is_active=True, is_superuser=False).exclude(email__in=break_glass)
    return with_last_used(accounts).filter(last_used__lt=unused_since(days))


def accounts_deactivate_unused(*, days: int) -> list[int]:
    """Deactivate every active account (break-glass ones aside) unused for `days` days, each recorded with
    its reason and its sessions ended, and tell the managers of its teams, in one transaction per account.
    Safe to run twice: each account is re-read under a row lock and one already inactive is left alone (and
    nobody told again). Returns the ids deactivated."""
    deactivated = []
    reason = f"Not used for {days} days"
    for account in unused_accounts(days=days).only("pk"):
        with transaction.atomic():
            if user_active_set(actor=None, user=account, active=False, reason=reason, ip_address=None):
                deactivated.append(account.pk)
                _tell_managers(account_ids=[account.pk], days=days)
    return deactivated


def _tell_managers(*, account_ids: list[int], days: int) -> None:
    """One notification per manager and account, in fixed words (an email carries no name): the link opens
    the account's page, where the manager sees whose account it is and how to have it reactivated."""
    teams_of = defaultdict(set)
    for user_id, team_id in User.teams.through.objects.filter(user_id__in=account_ids).values_list(
        "user_id", "team_id"
    ):
        teams_of[user_id].add(team_id)
    team_ids = set().union(*teams_of.values()) if teams_of else set()
    managers_of = defaultdict(set)
    managers = ModelBackend().with_perm(SIGN_OFF, is_active=True).filter(teams__in=team_ids)
    for manager_id, team_id in managers.values_list("pk", "teams").distinct():
        managers_of[team_id].add(manager_id)
    message = f"An account in your team was deactivated: not used for {days} days"
    notify(
        specs=[
            NotificationSpec(
                user_id=manager_id,
                kind=Notification.Kind.ACCOUNT_DEACTIVATED,
                message=message,
                url=reverse("account_review:account_detail", args=[account_id]),
            )
            for account_id in account_ids
            for manager_id in sorted(set().union(*(managers_of[t] for t in teams_of[account_id])))
            if manager_id != account_id
        ]
    )


# Fewer days than this would sign out staff who were on a fortnight's leave: almost certainly a typing error.
MINIMUM_INACTIVE_DAYS = 30


def check_inactive_days(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """MSP_ACCOUNT_INACTIVE_DAYS of 0, or 9 for 90, would deactivate most accounts the next night."""
    days = settings.MSP_ACCOUNT_INACTIVE_DAYS
    if days >= MINIMUM_INACTIVE_DAYS:
        return []
    return [
        checks.Error(
            f"MSP_ACCOUNT_INACTIVE_DAYS is {days}: the nightly task would deactivate most accounts.",
            hint=f"Set it to {MINIMUM_INACTIVE_DAYS} days or more (the default is 90).",
            id="account_review.E001",
        )
    ]
