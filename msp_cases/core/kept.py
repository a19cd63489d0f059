"""Figures kept between requests for a short while, for a page whose figures take longer to count than to
read: counted once, shown "as at" when they were counted, counted again when they are older than the page
allows or when the viewer asks ("Recalculate now").

The page decides what an entry is for (its key): the same key must mean the same figures for whoever reads
it, so a key names everything the figures depend on (the teams, the access rule's part that differs between
viewers, the version of the counting code: `source_version`). Entries hold figures, never a name of a
person or a link to a record: lists are read again on every request, through the access rule.

The cache is Django's (settings CACHES): Redis in production, shared by every web worker. A cache that
cannot be reached is a cache that has nothing: the figures are counted and the page still answers."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.core.cache import cache as django_cache
from django.utils import timezone

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[T]):
    """Figures, when they were counted, and the key of this very count (a recount is a new one), under
    which what is kept beside them (their rendering) is found."""

    figures: T
    as_at: datetime.datetime
    count: str


@cache
def source_version(*paths: Path) -> str:
    """A short digest of these files' content (a folder: every .py file under it), computed once per
    process: part of a key, so a deploy that changes how something is counted never shows figures counted
    the old way."""
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def ids_digest(ids: Iterable[int]) -> str:
    """Sorted ids, digested: every team of a council would otherwise make a key of hundreds of characters."""
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()[:16]


def _read(key: str) -> Any:
    try:
        return django_cache.get(key)
    except Exception:  # the cache down (Redis unreachable) is only a miss: count the figures
        logger.warning("Cache unreachable reading %s", key, exc_info=True)
        return None


def _write(key: str, value: Any, seconds: int) -> None:
    try:
        django_cache.set(key, value, timeout=seconds)
    except Exception:
        logger.warning("Cache unreachable writing %s", key, exc_info=True)


def kept(key: str, count: Callable[[], T], *, seconds: int, recount: bool = False) -> Kept[T]:
    """`count()`'s figures as kept under `key` within the last `seconds`, else counted now and kept;
    `recount` counts them now whatever is kept. `seconds` 0 keeps nothing."""
    entry = None if recount or seconds <= 0 else _read(key)
    if entry is None:
        entry = (count(), timezone.now(), secrets.token_hex(8))
        if seconds > 0:
            _write(key, entry, seconds)
    figures, as_at, token = entry
    return Kept(figures=figures, as_at=as_at, count=f"{key}:{token}")


def kept_rendering(kept: Kept, name: str, render: Callable[[], str], *, seconds: int) -> str:
    """The HTML of these very figures (`render()`: figures and labels only, never a person's name, a link to
    a record or a form), rendered once per count: a table of a thousand rows takes longer to render than to
    read back."""
    key = f"{kept.count}:{name}"
    html = _read(key) if seconds > 0 else None
    if html is None:
        html = render()
        if seconds > 0:
            _write(key, html, seconds)
    return html
