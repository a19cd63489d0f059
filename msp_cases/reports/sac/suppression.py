"""Publication disclosure control for the SAC return's counts, as NHS England's publication code applies it
(NHSDigital/ASC-Safeguarding-Adults, publication_outputs/data_tables_export_outputs.py)."""

SUPPRESSED = "[c]"
NOT_APPLICABLE = "[x]"


def round5(value: int) -> int:
    """To the nearest 5, a remainder of 3 or 4 going up (the publication's `my_round5`: 7 → 5, 8 → 10)."""
    lower = value // 5 * 5
    return lower if value - lower < lower + 5 - value else lower + 5


def shown(value: int, *, suppress: bool = False) -> str | int:
    """Publication disclosure control: every count under 5, zero included, is "[c]" (the publication sets
    them to 0, rounds, and writes "[c]" for what is under 5, so an empty category is not told apart from one
    or two people); other counts to the nearest 5. Without suppression, the count itself (the council's own
    return, which is what it submits)."""
    if not suppress:
        return value
    if value < 5:
        return SUPPRESSED
    return round5(value)
