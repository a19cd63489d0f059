"""The screening page's match query (`queue.person_matches` through `access.person_match_scope`) is answered
from the people indexes: the names by the trigram index `person_search_name_trgm`, an NHS number by its own
index, restricted people left out through the small partial index `person_restricted`; never by reading the
whole people table. At 1,000,000 concerns the people table is the largest the screener searches, on every
referral they open.

As in tests/test_search_plans.py, plans are read with sequential scans priced out (on a test database of a
few rows a sequential scan is always cheapest), so this proves the query *can* be answered from the indexes:
what a rewrite of the match (a function around the names the index does not hold, an OR the planner cannot
split) would break. PostgreSQL only (CI runs it)."""

import datetime
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enquiries.models import Person
from msp_cases.frontdoor.selectors.queue import MatchQuery, match_query_from_text, person_matches
from tests.factories import PersonFactory

from .queue_scene import front_door  # noqa: F401

if connection.vendor != "postgresql" and os.environ.get("CI") == "true":
    raise RuntimeError("CI runs the query plan tests on PostgreSQL (DATABASE_URL)")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans (CI runs them)"),
]

PEOPLE = Person._meta.db_table
NHS_NUMBER = "9434765919"


def _uses_an_nhs_number_index(plan: str) -> bool:
    """Whether the plan reads one of the indexes Django made for the NHS number (`db_index=True`: a plain
    one and a `_like` one for prefix searches, either answers equality), named as the database has them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [PEOPLE, "%(nhs_number%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    assert names, "the NHS number has no index"
    return any(f"Index Scan using {name} " in plan or f"Index Scan on {name} " in plan for name in names)


def _plan_of_matching(user, query: MatchQuery) -> tuple[list[Person], str]:
    """The matches, and the plan of the one query that found them."""
    with CaptureQueriesContext(connection) as captured:
        found = person_matches(user=user, query=query)
    (sql,) = [q["sql"] for q in captured.captured_queries if f'FROM "{PEOPLE}"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return found, plan


@pytest.fixture
def hughes(world):
    """Margaret Hughes, her namesakes, and a restricted Hughes the screener may not match."""
    margaret = PersonFactory(
        given_name="Margaret",
        family_name="Hughes",
        nhs_number=NHS_NUMBER,
        date_of_birth=datetime.date(1941, 3, 12),
    )
    PersonFactory(given_name="Peggy", family_name="Hughes", date_of_birth=datetime.date(1941, 3, 12))
    PersonFactory(given_name="Margaret", family_name="Evans")
    PersonFactory(given_name="Margaret", family_name="Hughes", is_restricted=True)
    return margaret


def _assert_never_reads_all_people(plan: str) -> None:
    assert f"Seq Scan on {PEOPLE}" not in plan, plan


def test_a_misspelt_name_is_matched_from_the_trigram_index(front_door, hughes):  # noqa: F811
    found, plan = _plan_of_matching(front_door, match_query_from_text("Margret Hughs"))
    assert hughes in found and not any(p.is_restricted for p in found)
    assert "person_search_name_trgm" in plan, plan
    # Restricted people are left out through the partial index over the few of them.
    assert "person_restricted" in plan, plan
    _assert_never_reads_all_people(plan)


def test_an_nhs_number_is_matched_from_its_index(front_door, hughes):  # noqa: F811
    found, plan = _plan_of_matching(front_door, match_query_from_text(NHS_NUMBER))
    assert found == [hughes]
    assert _uses_an_nhs_number_index(plan), plan
    _assert_never_reads_all_people(plan)


def test_a_referral_with_a_name_and_a_date_of_birth_uses_the_indexes_for_every_branch(
    front_door,  # noqa: F811
    hughes,
):
    born = datetime.date(1941, 3, 12)
    query = MatchQuery(words=["Margaret", "Hughes"], dates=[born], nhs_number=NHS_NUMBER)
    found, plan = _plan_of_matching(front_door, query)
    # The NHS number and the date of birth agree: Margaret first; Peggy, born that day, matches too.
    assert found[0] == hughes and "Peggy" in [p.given_name for p in found]
    assert "person_search_name_trgm" in plan and _uses_an_nhs_number_index(plan), plan
    _assert_never_reads_all_people(plan)
