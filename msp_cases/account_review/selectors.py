"""Reads for the account review, scoped to the user asking.

Unit leads and administrators review every account. A manager may open the account of a member of a team
they manage (the notification of a deactivation leads there), read-only and without its history; anyone else
is told it does not exist."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from msp_cases.accounts.models import RoleChange, Team, User
from msp_cases.accounts.roles import CHANGE_USER, SIGN_OFF, VIEW_RESTRICTED


def may_review_accounts(user) -> bool:
    """Unit leads (who see every record, so check who else can) and administrators (who keep the accounts)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_perm(VIEW_RESTRICTED) or user.has_perm(CHANGE_USER))
    )


def _last_reactivated():
    return Subquery(
        RoleChange.objects.filter(user=OuterRef("pk"), kind=RoleChange.Kind.ACCOUNT, granted=True)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def with_last_used(accounts: QuerySet[User]) -> QuerySet[User]:
    """`last_used`: the last sign-in, or when the account was opened or last reactivated if later (an account
    reactivated today has not been unused for 90 days, whenever it last signed in)."""
    joined = "date_joined"
    return accounts.annotate(
        last_used=Greatest(Coalesce("last_login", joined), Coalesce(_last_reactivated(), joined))
    )


def unused_since(days: int):
    return timezone.now() - timedelta(days=days)


def _second_factor_devices() -> list:
    """django-otp's device models that are a second factor (an authenticator app, say), when two-factor
    sign-in is installed. Recovery codes (static devices) back one up; they are not one."""
    if not apps.is_installed("django_otp"):
        return []
    from django_otp.models import Device  # only once the app is installed: its models need it

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Device) and model._meta.label_lower != "otp_static.staticdevice"
    ]


def with_second_factor(accounts: QuerySet[User]) -> QuerySet[User]:
    """`has_second_factor`: a confirmed device of any kind, one subquery each: the page's count is fixed."""
    devices = _second_factor_devices()
    if not devices:
        return accounts.annotate(has_second_factor=Value(False, output_field=BooleanField()))
    found = Q()
    for model in devices:
        found |= Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
    return accounts.annotate(has_second_factor=found)


def two_factor_in_use() -> bool:
    return bool(_second_factor_devices())


def account_list(*, user, status: str = "", unused: bool = False) -> QuerySet[User]:
    """Every account (active, deactivated or both), with roles, teams, last use and second factor: four
    queries a page whatever its length (count, accounts, their roles, their teams)."""
    if not may_review_accounts(user):
        return User.objects.none()
    accounts = with_second_factor(with_last_used(User.objects.all()))
    if status == "active":
        accounts = accounts.filter(is_active=True)
    elif status == "deactivated":
        accounts = accounts.filter(is_active=False)
    if unused:
        accounts = accounts.filter(last_used__lt=unused_since(settings.MSP_ACCOUNT_INACTIVE_DAYS))
    return accounts.prefetch_related(
        "groups", Prefetch("teams", queryset=Team.objects.order_by("name"))
    ).order_by("full_name", "pk")


def manages_account(user, account: User) -> bool:
    """A manager (who signs off closures) of a team the account belongs to."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm(SIGN_OFF)
        and user.teams.filter(pk__in=account.teams.values("pk")).exists()
    )


def account_get_for_user(*, user, pk: int) -> User:
    """One account for its review page; 404 for anyone who may neither review it nor manage its team."""
    account = with_second_factor(with_last_used(User.objects.filter(pk=pk))).first()
    if account is None or not (may_review_accounts(user) or manages_account(user, account)):
        raise Http404
    return account


def account_history(*, user, account: User) -> QuerySet[RoleChange]:
    """Every role, team and status change of the account, newest first: reviewers only."""
    if not may_review_accounts(user):
        return RoleChange.objects.none()
    return RoleChange.objects.filter(user=account).select_related("changed_by")


def last_status_change(*, account: User) -> RoleChange | None:
    """Why the account is as it is (deactivated: when and why), for its managers too."""
    return RoleChange.objects.filter(user=account, kind=RoleChange.Kind.ACCOUNT).first()
