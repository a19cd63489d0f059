"""Report figures kept between requests, so a report page answers in milliseconds instead of counting the
whole period each time it is opened (the unit's SAC return takes seconds at national scale), and never
counts them in the request when a worker can (stale-while-revalidate).

- Counted less than REPORT_CACHE_SECONDS ago: the page shows them "as at" when they were counted.
- Older (kept REPORT_STALE_SECONDS more): the page shows them at once, says they are being counted again,
  and one viewer's request queues the count (`reports.recount` on the long queue); the others find it
  claimed and queue nothing. The next look shows the new figures.
- Never counted (a new period, a new team, a deploy that changed the counting code): the count is queued
  and the request waits up to REPORT_COUNT_WAIT_SECONDS for it, which is enough for a team's figures; a
  unit's year then shows "The figures are being counted" with a link to refresh the page.
- "Recalculate now": the count is queued as for a never-counted entry and the answer says whether the new
  figures were ready within the wait.

Without a broker (`make run`) Celery runs the task in the request, so the page shows new figures as before;
so does a broker that cannot be reached, and a cache that cannot be reached (a miss: counted, not kept).
REPORT_CACHE_SECONDS=0 keeps nothing: every request counts. Exports (CSV, PDF) and `manage.py sac_return`
never read this cache: a return submitted is counted when it is asked for.

Entries hold aggregate figures and ids only, never a name or a record (counting.py). The SAC data-quality
list is kept per viewer as record ids and read again through the access rule each time the page opens
(sac_data_quality_listed): a record the viewer may no longer open, or one fixed since, is not shown."""

from __future__ import annotations

import dataclasses
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings
from django.utils import timezone

from msp_cases.accounts.models import User

from .counting import (
    CacheUnreachable,
    Entry,
    claim_key,
    count_claim,
    entry_key,
    figures_key,
    kept_count,
    kept_seconds,
    read,
    write,
)
from .sac.data_quality import DATA_QUALITY_LIMIT, DataQuality, sac_data_quality_listed
from .scope import ReportScope
from .tasks import recount_enqueue

__all__ = ["Kept", "figures_key", "kept_data_quality", "kept_figures", "kept_rendering", "kept_sac"]

F = TypeVar("F")

# How often a request waiting for a count looks for it.
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Kept(Generic[F]):
    """Figures and when they were counted, or nothing yet (`figures` None: being counted for the first
    time). `recounting`: newer figures are being counted. `key` and `token` name this very count."""

    figures: F | None
    as_at: datetime.datetime | None
    recounting: bool = False
    key: str = ""
    token: str = ""


@dataclass(frozen=True)
class _Found:
    key: str
    entry: Entry | None
    recounting: bool
    # A count asked for (a recount or "Recalculate now") was ready within the wait.
    counted_now: bool = False


def _fresh(entry: Entry) -> bool:
    return (timezone.now() - entry[1]).total_seconds() < settings.REPORT_CACHE_SECONDS


def _wait_for_newer(key: str, than: Entry | None, seconds: float) -> Entry | None:
    """An entry newer than `than` (another count), looking for up to `seconds`; once when `seconds` is 0 (a
    task that ran eagerly has stored its entry already)."""
    for attempt in range(int(seconds / _POLL_SECONDS) + 1):
        if attempt:
            time.sleep(_POLL_SECONDS)
        (entry,) = read(key)
        if entry is not None and (than is None or entry[2] != than[2]):
            return entry
    return None


@dataclass(frozen=True)
class _Pending:
    """A lookup begun: found at once, or a count claimed and queued (or under way) to wait for."""

    key: str
    entry: Entry | None
    found: _Found | None  # decided already
    wait: bool = False  # this request queued the count of figures it has nothing (new) to show for


def _begin(*, kind: str, scope: ReportScope, user: User | None, recalculate: bool) -> _Pending:
    key = entry_key(kind, scope, user)
    if settings.REPORT_CACHE_SECONDS <= 0:  # nothing is kept: every request counts
        return _Pending(key, None, _Found(key, kept_count(kind=kind, scope=scope, user=user), False, True))
    try:
        entry, counting = read(key, claim_key(key))
        if entry is not None and _fresh(entry) and not recalculate:
            return _Pending(key, entry, _Found(key, entry, recounting=counting is not None))
        claim = count_claim(key)
        if claim is not None and not recount_enqueue(kind=kind, scope=scope, user=user, claim=claim):
            found = _Found(key, kept_count(kind=kind, scope=scope, user=user, claim=claim), False, True)
            return _Pending(key, entry, found)
    except CacheUnreachable:  # nothing can be kept or claimed: count here, as with no cache at all
        return _Pending(key, None, _Found(key, kept_count(kind=kind, scope=scope, user=user), False, True))
    # Figures to show already: answer at once. Nothing to show, or a count asked for: the request that
    # queued the count waits a little for it, long enough for a team's figures; the others do not wait.
    return _Pending(key, entry, None, wait=claim is not None and (entry is None or recalculate))


def _finish(pending: _Pending, deadline: float) -> _Found:
    if pending.found is not None:
        return pending.found
    # Once at least: a task Celery ran eagerly (no broker) has stored its entry already.
    seconds = max(0.0, deadline - time.monotonic()) if pending.wait else 0
    try:
        newer = _wait_for_newer(pending.key, pending.entry, seconds)
    except CacheUnreachable:
        newer = None
    if newer is not None:
        return _Found(pending.key, newer, recounting=False, counted_now=True)
    return _Found(pending.key, pending.entry, recounting=True)


def _deadline() -> float:
    return time.monotonic() + settings.REPORT_COUNT_WAIT_SECONDS


def kept_figures(*, kind: str, scope: ReportScope, recalculate: bool = False) -> Kept:
    """The figures of report `kind` (counting.KINDS: a dataclass with a `scope` field, SacReturn or a
    measures Report) for `scope`, as kept, being counted again, or not yet counted (`figures` None).
    `recalculate` asks for them to be counted again now."""
    pending = _begin(kind=kind, scope=scope, user=None, recalculate=recalculate)
    return _figures(_finish(pending, _deadline()), scope)


def kept_data_quality(*, scope: ReportScope, user: User, recalculate: bool = False) -> Kept[DataQuality]:
    """The SAC data-quality list for `user`: the records found when it was counted, read again by id through
    the access rule (two queries) each time, as they are now."""
    pending = _begin(kind="sac_data_quality", scope=scope, user=user, recalculate=recalculate)
    return _data_quality(_finish(pending, _deadline()), scope, user)


def kept_sac(*, scope: ReportScope, user: User, recalculate: bool = False) -> tuple[Kept, Kept[DataQuality]]:
    """The SAC page's figures and data-quality list: both counts queued before waiting for either, so the
    wait is one REPORT_COUNT_WAIT_SECONDS, not two."""
    figures = _begin(kind="sac_return", scope=scope, user=None, recalculate=recalculate)
    quality = _begin(kind="sac_data_quality", scope=scope, user=user, recalculate=recalculate)
    deadline = _deadline()
    return _figures(_finish(figures, deadline), scope), _data_quality(_finish(quality, deadline), scope, user)


def _figures(found: _Found, scope: ReportScope) -> Kept:
    return _kept(found, value=lambda v: dataclasses.replace(v, scope=scope))


def _data_quality(found: _Found, scope: ReportScope, user: User) -> Kept[DataQuality]:
    def listed(ids: dict) -> DataQuality:
        people, enquiries = sac_data_quality_listed(
            scope=scope, user=user, person_ids=ids["person_ids"], enquiry_ids=ids["enquiry_ids"]
        )
        return DataQuality(
            people=people,
            people_more=ids["people_more"],
            enquiries=enquiries,
            enquiries_more=ids["enquiries_more"],
            limit=DATA_QUALITY_LIMIT,
        )

    return _kept(found, value=listed)


def _kept(found: _Found, *, value: Callable) -> Kept:
    if found.entry is None:
        return Kept(figures=None, as_at=None, recounting=True, key=found.key)
    kept, as_at, token = found.entry
    return Kept(figures=value(kept), as_at=as_at, recounting=found.recounting, key=found.key, token=token)


def recalculated_now(*kept: Kept) -> bool:
    """After "Recalculate now": whether every count asked for was ready (none still being counted)."""
    return not any(k.recounting for k in kept)


def kept_rendering(kept: Kept, name: str, render: Callable[[], str]) -> str:
    """The page's HTML of these very figures (`render()`: a template of figures and labels only, never a name,
    a link to a record or a form), rendered once per count: a big report's tables take longer to render than
    to read back. One rendering per report and name, replaced when a newer count is first shown."""
    key = f"{kept.key}:{name}"
    try:
        (rendered,) = read(key)
    except CacheUnreachable:
        return render()
    if rendered is not None and rendered[0] == kept.token:
        return rendered[1]
    html = render()
    write(key, (kept.token, html), kept_seconds())
    return html
