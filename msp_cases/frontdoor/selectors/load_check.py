"""After a load test of the public form: did every reference shown on a confirmation page become a referral,
and did any report become two? The load test ends each report's "what happened" with a marker naming its run
and number (loadtest/report_a_concern.py), so a referral made twice, or made without its reference being
shown, is found by its marker too."""

import re
from collections import Counter
from dataclasses import dataclass

from ..models import Referral

_MARKER = re.compile(r"\[load test (\w+) report (\d+)\]")


@dataclass(frozen=True)
class ReferenceCheck:
    shown: int  # references the confirmation pages showed
    found: int  # of those, referrals with that reference and that report's words
    lost: list[str]  # shown, but no such referral
    duplicates: list[str]  # reports (markers) with more than one referral
    unshown: list[str]  # referrals of the run whose reference no confirmation page showed


def read_references(lines) -> dict[str, str]:
    """reference → marker, from the references file's `REFERENCE<TAB>MARKER` lines."""
    shown = {}
    for line in lines:
        if line.strip():
            reference, marker = line.rstrip("\n").split("\t", 1)
            shown[reference] = marker
    return shown


def references_check(*, shown: dict[str, str], run: str) -> ReferenceCheck:
    made = Referral.objects.filter(what_happened__contains=f"[load test {run} report ").values_list(
        "reference", "what_happened"
    )
    marker_of = {}
    for reference, words in made.iterator():
        match = _MARKER.search(words)
        if match and match.group(1) == run:
            marker_of[reference] = match.group(0)
    lost = sorted(ref for ref, marker in shown.items() if marker_of.get(ref) != marker)
    per_marker = Counter(marker_of.values())
    return ReferenceCheck(
        shown=len(shown),
        found=len(shown) - len(lost),
        lost=lost,
        duplicates=sorted(marker for marker, n in per_marker.items() if n > 1),
        unshown=sorted(ref for ref in marker_of if ref not in shown),
    )
