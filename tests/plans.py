"""PostgreSQL's plan for a page's query, read in a test as a live database would choose it.

The plan tests (tests/test_query_plans.py, tests/test_search_plans.py and
tests/enquiries/test_dashboard_plans.py) pin the indexes that the national-scale measurements found each slow
query needs (docs/performance.md, "Indexes and plans"). They run on PostgreSQL only: CI runs them and fails
rather than skips; on SQLite they skip."""

import os

import pytest
from django.db import connection

if connection.vendor != "postgresql" and os.environ.get("CI") == "true":
    raise RuntimeError("CI runs the query plan tests on PostgreSQL (DATABASE_URL)")

POSTGRESQL_ONLY = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans (CI runs them)"),
]


def as_if_vacuumed(*tables: str) -> None:
    """`tables` as the planner sees them in a live database that autovacuum keeps, for this transaction only:
    rebuilt (the rows earlier tests wrote and rolled back stay in the indexes as dead entries until a vacuum,
    and an index swollen with them can lose to reading the primary key whole), analysed, and every page marked
    all-visible, so an index-only scan is priced as such."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"REINDEX TABLE {table}")
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("UPDATE pg_class SET relallvisible = relpages WHERE relname = ANY(%s)", [list(tables)])


def plan_of(queryset, *, priced_out: tuple[str, ...] = ("seqscan",), tables: tuple[str, ...] = ()) -> str:
    """The plan of `queryset` with the given scan methods priced out (on a test database of a few rows a
    sequential scan is always cheapest: what a plan test proves is that the intended index *can* answer),
    `tables` first made to look vacuumed."""
    if tables:
        as_if_vacuumed(*tables)
    with connection.cursor() as cursor:
        for method in priced_out:
            cursor.execute(f"SET LOCAL enable_{method} = off")
    return queryset.explain()
