"""Reads in accounts, scoped to the user asking."""

from django.db.models import QuerySet

from .models import RoleChange
from .roles import VIEW_RESTRICTED


def may_view_role_changes(user) -> bool:
    """Unit leads see who was given which role: the people who can see everything check who else can."""
    return user.is_authenticated and user.has_perm(VIEW_RESTRICTED)


def role_change_list(*, user) -> QuerySet[RoleChange]:
    if not may_view_role_changes(user):
        return RoleChange.objects.none()
    return RoleChange.objects.select_related("changed_by", "user")
