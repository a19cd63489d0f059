"""Who may produce a subject access pack: a unit lead (the Unit lead role, added to a Safeguarding Unit
member's). The pack must hold everything the service holds about the person, so only someone who sees every
record of every person may produce it: unit staff see every team's records, and a unit lead restricted ones
too. Anyone else would get a pack that silently left records out."""

from msp_cases.accounts.roles import VIEW_ALL_CASES, VIEW_RESTRICTED


def may_produce_pack(user) -> bool:
    return bool(user.is_active and user.has_perm(VIEW_ALL_CASES) and user.has_perm(VIEW_RESTRICTED))
