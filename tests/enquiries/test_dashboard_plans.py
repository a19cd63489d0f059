"""The team dashboard's figures stay index-only scans (docs/performance.md, "Indexes and plans").

Each test runs the dashboard's own selector, takes the SQL it sent, and reads PostgreSQL's plan for it with
sequential and bitmap scans priced out (for this transaction only): on a test database of a few rows a
sequential scan is always cheapest, so what this proves is that the intended index *can* answer the query
alone, which is what a new column in a count, a changed filter or a rewritten access rule would break
(a column the index does not hold turns its Index Only Scan into an Index Scan, or no scan of it at all).

PostgreSQL only: CI runs the suite on PostgreSQL and fails rather than skips here; on SQLite they skip."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enquiries.selectors import dashboard as sel
from tests.factories import ConcernFactory
from tests.plans import POSTGRESQL_ONLY, as_if_vacuumed

from .factories_enquiry import PlanActionFactory

pytestmark = POSTGRESQL_ONLY

ROLES = ["manager_north", "unit"]


@pytest.fixture(autouse=True)
def vacuumed(world):
    """The test's tables as the planner sees a live one that autovacuum keeps (tests.plans.as_if_vacuumed)."""
    _, _, enquiry = world.cases["north"]
    PlanActionFactory(enquiry=enquiry, due_on=timezone.localdate() - timezone.timedelta(days=3))
    ConcernFactory(team=world.north, allocated_to=None)
    as_if_vacuumed("enquiries_enquiry", "enquiries_planaction", "enquiries_safeguardingconcern")


def only_indexes(table: str, *kept: str) -> None:
    """Every other index of `table` set aside (dropped for this transaction only; the primary key and unique
    constraints stay): on a few rows the planner's choice between indexes of the same leading column is a
    toss-up, so what is pinned is that the intended index can answer the query by itself. At scale the
    planner chooses it (docs/performance.md, "Indexes and plans")."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = %s
            AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [table],
        )
        for (index,) in cursor.fetchall():
            if index not in kept:
                cursor.execute(f'DROP INDEX "{index}"')


def plans_of(run, *, priced_out=("seqscan", "bitmapscan")) -> list[str]:
    """The plan of every query `run()` sends, as PostgreSQL would run it with `priced_out` switched off."""
    with CaptureQueriesContext(connection) as ctx:
        run()
    plans = []
    with connection.cursor() as cursor:
        for method in priced_out:
            cursor.execute(f"SET LOCAL enable_{method} = off")
        for query in ctx.captured_queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def the_plan(plans: list[str], table: str) -> str:
    found = [plan for plan in plans if f" on {table}" in plan]
    assert len(found) == 1, plans
    return found[0]


def teams(world, role) -> list[int]:
    return [world.north.pk] if role == "manager_north" else [world.north.pk, world.south.pk]


@pytest.mark.parametrize("role", ROLES)
def test_the_open_enquiries_figures_are_read_from_the_covering_index_alone(world, role):
    """Stage by age band, each practitioner's open enquiries and next contacts passed: one GROUP BY over
    `enquiry_open_team_figures` (61,000 open enquiries for the unit at 1,000,000 concerns: 26 ms, where the
    three queries it replaces visited every open enquiry's row, 300 ms)."""
    only_indexes("enquiries_enquiry", "enquiry_open_team_figures")
    user = world.users[role]
    plan = the_plan(
        plans_of(
            lambda: sel.open_enquiry_figures(user=user, team_ids=teams(world, role), now=timezone.now())
        ),
        "enquiries_enquiry",
    )
    assert "Index Only Scan using enquiry_open_team_figures on enquiries_enquiry" in plan, plan
    assert "Seq Scan on enquiries_enquiry" not in plan, plan


@pytest.mark.parametrize("role", ROLES)
def test_overdue_plan_actions_per_practitioner_join_two_index_only_scans(world, role):
    """The open plan actions past their date (`planaction_open_due_on`, with their enquiry) joined to the
    open enquiries in scope (`enquiry_open_team_figures`): 258 ms for the unit before, a sequential scan of
    every plan action."""
    only_indexes("enquiries_enquiry", "enquiry_open_team_figures")
    only_indexes("enquiries_planaction", "planaction_open_due_on")
    user = world.users[role]
    figures = sel.open_enquiry_figures(user=user, team_ids=teams(world, role), now=timezone.now())
    plan = the_plan(
        plans_of(
            lambda: sel.caseload_by_practitioner(
                user=user, team_ids=teams(world, role), now=timezone.now(), figures=figures
            ),
            # On a few rows a primary key lookup per plan action is cheapest; over thousands it is not.
            priced_out=("seqscan", "bitmapscan", "nestloop"),
        ),
        "enquiries_planaction",
    )
    assert "Index Only Scan using planaction_open_due_on on enquiries_planaction" in plan, plan
    assert "Index Only Scan using enquiry_open_team_figures on enquiries_enquiry" in plan, plan


@pytest.mark.parametrize("role", ROLES)
def test_concerns_awaiting_a_decision_are_counted_from_their_index_alone(world, role):
    only_indexes("enquiries_safeguardingconcern", "concern_pending_received")
    user = world.users[role]
    plan = the_plan(
        plans_of(lambda: sel.concerns_by_age(user=user, team_ids=teams(world, role), now=timezone.now())),
        "enquiries_safeguardingconcern",
    )
    assert "Index Only Scan using concern_pending_received on enquiries_safeguardingconcern" in plan, plan


@pytest.mark.parametrize("role", ROLES)
def test_the_waiting_concerns_are_chosen_from_the_unallocated_index(world, role):
    """Which concerns first, then their people: joined first, the planner looked up the person of every
    unallocated concern in scope (4,300 for the unit at 1,000,000 concerns: 60 ms)."""
    only_indexes("enquiries_safeguardingconcern", "concern_unallocated", "concern_pending_received")
    user = world.users[role]
    plans = plans_of(lambda: sel.unallocated(user=user, team_ids=teams(world, role)))
    plan = the_plan(plans, "enquiries_safeguardingconcern")
    # The page of ids comes from a partial index of concerns awaiting a decision: `concern_unallocated` a
    # team at a time, or `concern_pending_received` in order for many teams (the planner's choice by size).
    chosen = plan.split("->  Limit")[1]
    assert "concern_unallocated on" in chosen or "concern_pending_received on" in chosen, plan
    assert (
        "enquiries_person_pkey" not in chosen.split("Index Scan using enquiries_safeguardingconcern_pkey")[0]
    )
    assert "Seq Scan on enquiries_safeguardingconcern" not in plan, plan


@pytest.mark.parametrize("role", ROLES)
def test_the_oldest_proposals_for_closure_are_read_in_order(world, role):
    """The sign-off preview and queue in the order of `enquiry_proposed_at` (never-dated first): the first
    rows of the index, not a sort of every proposal (10,000 for the unit; 58 ms before)."""
    only_indexes("enquiries_enquiry", "enquiry_proposed_at")
    user = world.users[role]
    qs = sel.sign_off_queryset(user=user, team_ids=teams(world, role))[: sel.SIGN_OFF_PREVIEW]
    plan = the_plan(
        plans_of(lambda: list(qs), priced_out=("seqscan", "bitmapscan", "sort")), "enquiries_enquiry"
    )
    assert "using enquiry_proposed_at on enquiries_enquiry" in plan, plan
    assert "Sort Key" not in plan.split("SubPlan")[0], plan
