"""Reads about warnings on a person: their list, one warning, the warnings shown at the top of every page
about the person, and the managers a warning may be agreed with. Scoped through msp_cases.access."""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils import timezone

from msp_cases import access
from msp_cases.accounts.models import User
from msp_cases.accounts.roles import SIGN_OFF

from ..models import Enquiry, Person, PersonWarning, SafeguardingConcern

_SIGN_OFF_APP, _SIGN_OFF_CODENAME = SIGN_OFF.split(".")


def person_warning_list(*, user, person: Person) -> list[PersonWarning]:
    """Every warning on the person, current first (then by start date), the ended ones after."""
    rows = access.within(PersonWarning.objects.all(), user, person).select_related(
        "agreed_with", "recorded_by", "ended_by"
    )
    return sorted(rows, key=lambda w: (w.ended_on is not None, w.starts_on, w.pk))


def person_warning_get_for_user(*, user, pk) -> PersonWarning:
    qs = PersonWarning.objects.select_related("person", "agreed_with", "recorded_by", "ended_by")
    return access.get_in_scope_or_404(qs, user, pk=pk)


def person_warnings_current(person: Person) -> list[PersonWarning]:
    """The warnings in force today (started, not ended): one query. For a person the caller already knows
    the user may see (the identity bar checks that first)."""
    today = timezone.localdate()
    return list(
        PersonWarning.objects.filter(person=person, ended_on__isnull=True, starts_on__lte=today).order_by(
            "starts_on", "pk"
        )
    )


def person_record_team_ids(person: Person) -> set[int]:
    """The teams holding the person's concerns or enquiries."""
    concerns = SafeguardingConcern.objects.filter(person=person).order_by().values_list("team_id", flat=True)
    enquiries = Enquiry.objects.filter(person=person).order_by().values_list("team_id", flat=True)
    return set(concerns.union(enquiries))


def warning_managers(*, person: Person, team_ids: set[int] | None = None) -> QuerySet[User]:
    """Who a warning on this person may be agreed with: the active managers (those who sign off closures
    and so oversee their teams) of a team holding the person's records."""
    team_ids = person_record_team_ids(person) if team_ids is None else team_ids
    permission = Permission.objects.filter(content_type__app_label=_SIGN_OFF_APP, codename=_SIGN_OFF_CODENAME)
    return (
        User.objects.filter(is_active=True, teams__in=team_ids)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("full_name", "pk")
    )


def warning_agreement_team(*, person: Person, manager: User) -> int | None:
    """The team holding the person's records that `manager` manages (the first by id), or None when they
    manage none of them."""
    team_ids = person_record_team_ids(person)
    if not warning_managers(person=person, team_ids=team_ids).filter(pk=manager.pk).exists():
        return None
    return min((t for t in manager.teams.values_list("pk", flat=True) if t in team_ids), default=None)
