"""Who oversees whose work, in one place: the predicates behind the team dashboard, the reports and the parts
of an enquiry that only its team's managers see or do.

msp_cases.access decides which records a user may see; these decide who oversees them:
- **unit staff** (`VIEW_ALL_CASES`) oversee every team, read-only;
- a **manager** (`SIGN_OFF`: may sign off closures) oversees the teams they belong to;
- practitioners and administrators oversee no team.

`rules` predicates, so they combine (`is_team_manager` is `may_edit_case & manages_team_of`) and each can be
called as a plain function: `may_oversee(user)`, `manages_team_of(user, enquiry)`. Their truth table is
tests/test_oversight_rules.py."""

import rules
from django.db.models import QuerySet

from msp_cases.accounts.models import Team
from msp_cases.accounts.roles import EDIT_CASE, SIGN_OFF, VIEW_ALL_CASES


@rules.predicate
def may_oversee(user) -> bool:
    """The team dashboard and the reports: unit staff and managers, active and signed in."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_perm(VIEW_ALL_CASES) or user.has_perm(SIGN_OFF))
    )


def overseen_teams(user) -> QuerySet[Team]:
    """The teams whose work and figures `user` oversees: every team for unit staff, their own for managers,
    none for anyone else."""
    if not may_oversee(user):
        return Team.objects.none()
    if user.has_perm(VIEW_ALL_CASES):
        return Team.objects.all()
    return Team.objects.filter(members=user)


@rules.predicate
def manages_team_of(user, enquiry) -> bool:
    """A manager (who may sign off closures) who belongs to the enquiry's team."""
    return bool(
        enquiry is not None and user.has_perm(SIGN_OFF) and user.teams.filter(pk=enquiry.team_id).exists()
    )


@rules.predicate
def may_edit_case(user, enquiry) -> bool:
    """The shared access rule for writing to a case (enquiries/rules.py): in scope, not read-only."""
    return user.has_perm(EDIT_CASE, enquiry)


# A manager of the enquiry's team who may also write to it: agrees the person's experience was recorded
# faithfully, records the organisation's perspective.
is_team_manager = may_edit_case & manages_team_of
