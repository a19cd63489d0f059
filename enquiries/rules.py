"""Object-level predicates (the `rules` package). Each one answers from the shared access layer, so a
permission check and a list filter cannot disagree. Registered as Django permissions so that views and
templates ask `user.has_perm("enquiries.view_access_log", person)`."""

import rules

from msp_cases import access
from msp_cases.accounts.roles import CHANGE_ENQUIRY, EDIT_CASE, VIEW_ACCESS_LOG, VIEW_RECORD_ACCESS_LOG


@rules.predicate
def in_scope(user, obj) -> bool:
    return obj is not None and access.is_in_scope(user, obj)


@rules.predicate
def can_read_access_log(user) -> bool:
    return user.has_perm(VIEW_ACCESS_LOG)


@rules.predicate
def is_read_only(user) -> bool:
    return access.is_read_only(user)


@rules.predicate
def can_change_enquiries(user) -> bool:
    return user.has_perm(CHANGE_ENQUIRY)


# "Who has looked at this record": unit staff, for people they may see.
rules.add_perm(VIEW_RECORD_ACCESS_LOG, can_read_access_log & in_scope)
# Writing to a case: in scope, with the change permission, and not a read-only (unit) role.
rules.add_perm(EDIT_CASE, can_change_enquiries & ~is_read_only & in_scope)
