"""Submitted versions of the SAC return: marking the return shown as submitted (services.py), rebuilding a
version's figures exactly as they were frozen (frozen.py), and comparing them, cell by cell and record by
record, with the figures counted now for the same period and teams (comparison.py).

Only unit staff mark a return submitted, and only the whole council's (the statutory return is the
council's, not a team's): `may_submit_sac`. The same people read the versions, which count every team."""

from msp_cases.accounts.roles import VIEW_ALL_CASES
from msp_cases.oversight import may_oversee


def may_submit_sac(user) -> bool:
    """Unit staff, who report on every team: they mark the council's return submitted and read its
    versions. Managers see their own teams' figures only, never the council's, so neither."""
    return bool(may_oversee(user) and user.has_perm(VIEW_ALL_CASES))
