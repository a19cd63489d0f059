"""Report figures kept between requests, so a report page answers in milliseconds instead of counting the
whole period again each time it is opened (the unit's SAC return takes seconds at national scale).

An entry is found by the report's kind, the exact teams the oversight rule resolved for the viewer (their
sorted ids: two managers of the same teams share an entry, a manager never gets the unit's), the period and
the version of the counting code (a deploy that changes how something is counted never shows figures
counted the old way). Aggregate figures depend on nothing else: they count every enquiry of the teams in
scope, whoever looks (msp_cases/reports/scope.py).

Entries hold aggregate figures only, never a name or a record. The SAC data-quality list does name people,
so it is kept per viewer as record ids alone and read again through the access rule each time the page
opens (sac_data_quality_listed): a record the viewer may no longer open, or one fixed since, is not shown.

Figures are shown "as at" the moment they were counted, for REPORT_CACHE_SECONDS (default ten minutes);
"Recalculate now" counts them again at once. Exports (CSV, PDF) and `manage.py sac_return` never read this
cache: a return submitted is counted when it is asked for.

The cache is Django's (settings CACHES): Redis in production, shared by every web worker. A cache that
cannot be reached is a cache that has nothing: the figures are counted and the page still answers."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils import timezone

from .sac.data_quality import DATA_QUALITY_LIMIT, DataQuality, sac_data_quality, sac_data_quality_listed
from .scope import ReportScope

logger = logging.getLogger(__name__)

F = TypeVar("F")

# The code that decides what a report counts: a change to any of it is a new version of the figures.
_COUNTING_CODE = ("figures", "sac", "measures")


@cache
def figures_version() -> str:
    """A short digest of the counting code's source, computed once per process."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for package in _COUNTING_CODE:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _teams(scope: ReportScope) -> str:
    """The sorted team ids, digested: a unit over 150 teams would otherwise make a key of 600 characters."""
    ids = ",".join(str(pk) for pk in sorted(scope.team_ids))
    return hashlib.sha256(ids.encode()).hexdigest()[:16]


def figures_key(kind: str, scope: ReportScope) -> str:
    return f"reports:{kind}:{figures_version()}:{scope.start:%Y-%m-%d}:{scope.end:%Y-%m-%d}:{_teams(scope)}"


def _data_quality_key(scope: ReportScope, user) -> str:
    return f"{figures_key('sac_data_quality', scope)}:user-{user.pk}"


@dataclass(frozen=True)
class Kept(Generic[F]):
    """Figures, when they were counted, and which count this was (a cache key of its own)."""

    figures: F
    as_at: datetime.datetime
    count: str = ""


def _read(key: str) -> Any:
    try:
        return django_cache.get(key)
    except Exception:  # the cache down (Redis unreachable) is only a miss: count the figures
        logger.warning("Report cache unreachable reading %s", key, exc_info=True)
        return None


def _write(key: str, value: Any) -> None:
    try:
        django_cache.set(key, value, timeout=settings.REPORT_CACHE_SECONDS)
    except Exception:
        logger.warning("Report cache unreachable writing %s", key, exc_info=True)


def kept_figures(
    *, kind: str, scope: ReportScope, compute: Callable[..., F], recalculate: bool = False
) -> Kept[F]:
    """`compute(scope=scope)`'s figures (a dataclass with a `scope` field: SacReturn, a measures Report),
    from the cache when they were counted for the same teams and period within REPORT_CACHE_SECONDS, else
    counted now and kept. The entry holds the figures without their scope; the viewer's own scope (with the
    team they chose, for its name) is put back when it is read. `recalculate` counts them again now."""
    key = figures_key(kind, scope)
    entry = None if recalculate else _read(key)
    if entry is None:
        figures = compute(scope=scope)
        entry = (dataclasses.replace(figures, scope=None), timezone.now(), secrets.token_hex(8))
        _write(key, entry)
    kept, as_at, count = entry
    return Kept(figures=dataclasses.replace(kept, scope=scope), as_at=as_at, count=f"{key}:{count}")


def kept_rendering(kept: Kept, name: str, render: Callable[[], str]) -> str:
    """The page's HTML of these very figures (`render()`: a template of figures and labels only, never a name,
    a link to a record or a form), rendered once per count: a big report's tables take longer to render than
    to read back. A recount is a new entry."""
    key = f"{kept.count}:{name}"
    html = _read(key)
    if html is None:
        html = render()
        _write(key, html)
    return html


def kept_data_quality(*, scope: ReportScope, user, recalculate: bool = False) -> Kept[DataQuality]:
    """The SAC data-quality list for `user`: found now and kept as ids and totals, or read again by those ids
    through the access rule (two queries) while the entry lasts."""
    key = _data_quality_key(scope, user)
    entry = None if recalculate else _read(key)
    if entry is None:
        found = sac_data_quality(scope=scope, user=user)
        entry = {
            "as_at": timezone.now(),
            "person_ids": [item.obj.pk for item in found.people],
            "people_total": found.people_total,
            "enquiry_ids": [item.obj.pk for item in found.enquiries],
            "enquiries_total": found.enquiries_total,
        }
        _write(key, entry)
        return Kept(figures=found, as_at=entry["as_at"])
    people, enquiries = sac_data_quality_listed(
        scope=scope, user=user, person_ids=entry["person_ids"], enquiry_ids=entry["enquiry_ids"]
    )
    quality = DataQuality(
        people=people,
        people_total=entry["people_total"],
        enquiries=enquiries,
        enquiries_total=entry["enquiries_total"],
        limit=DATA_QUALITY_LIMIT,
    )
    return Kept(figures=quality, as_at=entry["as_at"])
