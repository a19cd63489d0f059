"""Counting report figures and keeping them: what each kind of kept figures counts, where its entry lives in
Django's cache, the claim that lets one count run at a time per entry, and `kept_count`, the one service
that counts an entry and stores it. The `reports.recount` task (tasks.py) calls it on the long queue; the
request calls it itself only when no worker can (no broker, or a cache that cannot be reached).

An entry is found by the report's kind, the exact teams the oversight rule resolved for the viewer (their
sorted ids: two managers of the same teams share an entry, a manager never gets the unit's), the period and
the version of the counting code (a deploy that changes how something is counted never shows figures
counted the old way). Aggregate figures depend on nothing else: they count every enquiry of the teams in
scope, whoever looks (msp_cases/reports/scope.py). The SAC data-quality list names records, so it is kept
per viewer, as record ids alone, and read again through the access rule each time the page opens.

An entry is `(value, as_at, token)`: what was counted (figures without their scope, or ids), when, and a
token naming this count (the rendered tables are kept under it). It is kept for REPORT_CACHE_SECONDS and
then REPORT_STALE_SECONDS more, in which the page shows it "as at" while it is counted again."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils import timezone

from msp_cases.accounts.models import User
from msp_cases.core.kept import ids_digest, source_version

from .measures.experience import experience_report
from .measures.msp import msp_report
from .measures.timeliness import timeliness_report
from .sac.data_quality import sac_data_quality
from .sac.returns import sac_return
from .scope import ReportScope

logger = logging.getLogger(__name__)

Entry = tuple[Any, datetime.datetime, str]

# The code that decides what a report counts, and what an entry holds (this module): a change to any of it is
# a new version of the figures, so an entry written by other code is never read.
_COUNTING_CODE = ("figures", "sac", "measures")


class CacheUnreachable(Exception):
    """Redis did not answer: nothing can be kept or claimed, so the request counts for itself."""


@dataclass(frozen=True)
class KeptKind:
    """What one kind of kept figures counts: `count(scope=, user=)` returns the value kept (figures or ids,
    never a record). `per_viewer`: the value depends on who looks (it lists records), so each viewer has an
    entry of their own."""

    count: Callable[..., Any]
    per_viewer: bool = False


def _figures(report: Callable[..., Any]) -> Callable[..., Any]:
    """A report's figures without their scope: the viewer's own scope (with the team they chose, for its
    name) is put back when the entry is read."""

    def count(*, scope: ReportScope, user: User | None) -> Any:
        return dataclasses.replace(report(scope=scope), scope=None)

    return count


def _data_quality(*, scope: ReportScope, user: User | None) -> dict:
    found = sac_data_quality(scope=scope, user=user)
    return {
        "person_ids": [item.obj.pk for item in found.people],
        "people_more": found.people_more,
        "enquiry_ids": [item.obj.pk for item in found.enquiries],
        "enquiries_more": found.enquiries_more,
    }


KINDS: dict[str, KeptKind] = {
    "sac_return": KeptKind(_figures(sac_return)),
    "msp_measures": KeptKind(_figures(msp_report)),
    "experience_measures": KeptKind(_figures(experience_report)),
    "timeliness_measures": KeptKind(_figures(timeliness_report)),
    "sac_data_quality": KeptKind(_data_quality, per_viewer=True),
}


def figures_version() -> str:
    """A short digest of the counting code's source (the packages that count, and this module), computed once
    per process (`msp_cases.core.kept.source_version`)."""
    root = Path(__file__).resolve().parent
    return source_version(*(root / package for package in _COUNTING_CODE), Path(__file__).resolve())


def figures_key(kind: str, scope: ReportScope) -> str:
    period = f"{scope.start:%Y-%m-%d}:{scope.end:%Y-%m-%d}"
    return f"reports:{kind}:{figures_version()}:{period}:{ids_digest(scope.team_ids)}"


def entry_key(kind: str, scope: ReportScope, user: User | None = None) -> str:
    key = figures_key(kind, scope)
    return f"{key}:user-{user.pk}" if KINDS[kind].per_viewer else key


def claim_key(key: str) -> str:
    return f"{key}:counting"


def kept_seconds() -> int:
    """How long an entry (and its rendering) stays: fresh, then shown while it is counted again."""
    return settings.REPORT_CACHE_SECONDS + settings.REPORT_STALE_SECONDS


def claim_seconds() -> int:
    """How long a claim holds: no count runs longer than the task's time limit, and a claim whose message was
    lost (a worker's machine gone) must not stop recounting for long."""
    return settings.CELERY_TASK_TIME_LIMIT + 60


def read(*keys: str) -> list[Any]:
    try:
        found = django_cache.get_many(keys)
    except Exception as error:  # Redis unreachable: the caller counts for itself
        logger.warning("Report cache unreachable reading %s", keys[0], exc_info=True)
        raise CacheUnreachable from error
    return [found.get(key) for key in keys]


def write(key: str, value: Any, timeout: int) -> None:
    try:
        django_cache.set(key, value, timeout=timeout)
    except Exception:  # the figures were counted; they are only not kept
        logger.warning("Report cache unreachable writing %s", key, exc_info=True)


def count_claim(key: str) -> str | None:
    """Claim the one count of `key`: a token, or None when another count holds the claim. A cache `add`
    is atomic in Redis, so of fifty viewers of an expired entry one claims it."""
    token = secrets.token_hex(8)
    try:
        claimed = django_cache.add(claim_key(key), token, timeout=claim_seconds())
    except Exception as error:
        logger.warning("Report cache unreachable claiming %s", key, exc_info=True)
        raise CacheUnreachable from error
    return token if claimed else None


def count_release(key: str, claim: str) -> None:
    """Let the next count of `key` start (only the claim's holder releases it; an expired claim taken over
    by another count is left to that count)."""
    try:
        if django_cache.get(claim_key(key)) == claim:
            django_cache.delete(claim_key(key))
    except Exception:  # it expires by itself
        logger.warning("Report cache unreachable releasing %s", key, exc_info=True)


def kept_count(*, kind: str, scope: ReportScope, user: User | None = None, claim: str | None = None) -> Entry:
    """Count `kind` for `scope` (and `user`, for a per-viewer kind) now, keep the entry, and return it. With
    `claim`, the claim is released afterwards, whether the count succeeded or not: a count that failed is
    tried again by the next viewer, who still sees the figures counted before."""
    key = entry_key(kind, scope, user)
    try:
        value = KINDS[kind].count(scope=scope, user=user)
        entry = (value, timezone.now(), secrets.token_hex(8))
        write(key, entry, kept_seconds())
        return entry
    finally:
        if claim is not None:
            count_release(key, claim)


def kept_recount(
    *, kind: str, start: str, end: str, team_ids: list[int], user_id: int | None, claim: str
) -> None:
    """The task's service: `kept_count` from plain values. A viewer who has left since (deactivated or
    deleted) gets no per-viewer list counted; the claim is released all the same."""
    start_date, end_date = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    scope = ReportScope(start=start_date, end=end_date, team_ids=tuple(team_ids))
    user = None
    if KINDS[kind].per_viewer:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            count_release(entry_key(kind, scope, User(pk=user_id)), claim)
            return
    kept_count(kind=kind, scope=scope, user=user, claim=claim)
