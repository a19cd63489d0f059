"""Reports read from a PostgreSQL read replica when one is configured (REPORTS_DATABASE_URL).

Routing is explicit, never guessed from the model: the same models serve casework and reports. A report's
figures are computed inside `reading_reports()` (a context manager, and a decorator on the report selectors:
grep `@reading_reports`); only there do reads of case data go to the "reports" database. Everything else —
every write, every casework page, the row locks of an export, the record of access — stays on "default".

Inside that block, only the apps named in REPORTS_REPLICA_APPS (the case records: enquiries, outcomes,
feedback) are read from the replica. Users, teams, roles and permissions — what decides *whose* figures a
user may see — are always read from the primary, so access granted a moment ago counts at once and access
revoked a moment ago never still shows figures while the replica catches up. A report's scope (its team ids)
is decided from the primary before its figures are counted on the replica.

Without REPORTS_DATABASE_URL, `reports_db()` is "default" and nothing changes (make run, SQLite, the suite).
"""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPORTS_ALIAS = "reports"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def reports_db() -> str:
    """The alias report figures are read from: the replica when configured, else the primary."""
    return getattr(settings, "REPORTS_DATABASE", DEFAULT_DB_ALIAS)


@contextlib.contextmanager
def reading_reports() -> Iterator[str]:
    """Reads of case data in this block go to the reports database. Nested blocks are fine; writes are never
    routed (a write inside the block goes to the primary, as everywhere)."""
    token = _reading_reports.set(True)
    try:
        yield reports_db()
    finally:
        _reading_reports.reset(token)


class ReportsReplicaRouter:
    """DATABASE_ROUTERS: sends case-data reads inside `reading_reports()` to `reports_db()`."""

    def db_for_read(self, model, **hints):
        if _reading_reports.get() and model._meta.app_label in settings.REPORTS_REPLICA_APPS:
            return reports_db()
        if model._meta.app_label not in settings.REPORTS_REPLICA_APPS:
            # Access data (users, teams, permissions) from the primary even when reached from a row that was
            # read on the replica (`enquiry.team`), where Django would otherwise follow the row's database.
            return DEFAULT_DB_ALIAS
        return None

    def db_for_write(self, model, **hints):
        # A row read on the replica and then saved is written to the primary (the replica is read-only).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: a row from one may refer to a row from the other.
        aliases = {DEFAULT_DB_ALIAS, REPORTS_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None
