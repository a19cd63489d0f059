"""Helpers every case view shares."""

from django.db import models
from django.http import Http404, HttpRequest

from msp_cases import access
from msp_cases.accounts.roles import ADD_CONCERN, EDIT_CASE


def require_edit(request: HttpRequest, obj: models.Model) -> None:
    """Writing to a case record needs the shared access rule's `edit_case`. A record the user may see but not
    change (unit staff) or may not see at all answers 404 for a POST, so nothing leaks and nothing changes."""
    if not request.user.has_perm(EDIT_CASE, obj):
        raise Http404


def may_record_concerns(user) -> bool:
    """Who records new concerns (and is offered "Record a concern"): not unit staff, who are read-only, nor
    administrators, who see no cases."""
    return user.has_perm(ADD_CONCERN) and not access.is_read_only(user)
