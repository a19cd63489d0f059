"""Reports and report exports read their figures from the read replica; casework, writes and access do not.

The router is checked on its own first (no database needed). Then, when the suite has a second real
PostgreSQL database for the "reports" alias (CI sets TEST_REPORTS_DATABASE_URL; msp_cases/settings/test.py),
the two databases are given different data, as a lagging replica would have: the SAC page and its CSV show the
replica's figures, every query about case records runs on the replica's connection and none on the primary's,
and the user's teams come from the primary, so a membership revoked a moment ago (still on the replica) shows
no figures while one granted a moment ago (not yet on the replica) shows them at once."""

import csv
import datetime
import io
import os

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.accounts.models import Team, User
from msp_cases.core.replica import REPORTS_ALIAS, ReportsReplicaRouter, reading_reports, reports_db
from msp_cases.exports.models import Export
from msp_cases.exports.tasks import render as render_export
from msp_cases.reports.scope import scope_for

from .factories import ConcernFactory

HAS_REPLICA = REPORTS_ALIAS in settings.DATABASES
BOTH = ["default", REPORTS_ALIAS] if HAS_REPLICA else ["default"]
TOTAL_CONCERNS = "Total Number of Safeguarding Concerns"
# The tables that hold case records, as every report names them in SQL (enquiries_..., outcomes_..., ...).
CASE_TABLE_PREFIXES = tuple(f'"{label}_' for label in sorted(settings.REPORTS_REPLICA_APPS))


# ---- The router alone -----------------------------------------------------------------------------------


def test_without_a_replica_reports_read_the_primary():
    router = ReportsReplicaRouter()
    assert reports_db() == "default"
    with reading_reports() as alias:
        assert alias == "default"
        assert router.db_for_read(Enquiry) == "default"


@override_settings(REPORTS_DATABASE=REPORTS_ALIAS)
def test_with_a_replica_only_case_records_read_inside_a_report_go_to_it():
    router = ReportsReplicaRouter()
    # Casework: the same models, outside a report, follow Django's default (the primary).
    assert router.db_for_read(Enquiry) is None
    with reading_reports():
        assert router.db_for_read(Enquiry) == REPORTS_ALIAS
        assert router.db_for_read(SafeguardingConcern) == REPORTS_ALIAS
        # Who may see what: always the primary, even inside a report.
        assert router.db_for_read(User) == "default"
        assert router.db_for_read(Team) == "default"
        # The replica is read-only: nothing is ever written there.
        assert router.db_for_write(Enquiry) == "default"
    assert router.db_for_read(Enquiry) is None


# ---- A real second database ------------------------------------------------------------------------------


@pytest.fixture
def replica():
    """A function that copies the primary's rows to the replica, as streaming replication would by now."""
    if not HAS_REPLICA:
        reason = "needs a second PostgreSQL database: set TEST_REPORTS_DATABASE_URL (CI does)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    tables = ", ".join(connections[REPORTS_ALIAS].ops.quote_name(m._meta.db_table) for m in models)

    def replicate():
        with connections[REPORTS_ALIAS].cursor() as cursor:
            # Check the last copy's foreign keys now: TRUNCATE refuses while checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} CASCADE")  # rolled back with the test's transaction
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # PostgreSQL checks foreign keys at commit (Django makes them DEFERRABLE), so the order is free.
        for model in models:
            rows = list(model._base_manager.using("default").all())
            model._base_manager.using(REPORTS_ALIAS).bulk_create(rows)

    with override_settings(REPORTS_DATABASE=REPORTS_ALIAS):
        yield replicate


def _concerns_on_page(client) -> int:
    response = client.get(reverse("reports:sac"))
    assert response.status_code == 200
    for table, rows in response.context["tables"]:
        if table.id == "SG1f":
            return int(dict(rows)[TOTAL_CONCERNS][0])
    raise AssertionError("no SG1f table on the SAC page")


def _case_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if any(p in q["sql"] for p in CASE_TABLE_PREFIXES)]


def _selectors():
    from feedback.audits.selectors import audit_results
    from msp_cases.reports.measures.experience import experience_report
    from msp_cases.reports.measures.msp import msp_report
    from msp_cases.reports.measures.timeliness import timeliness_report
    from msp_cases.reports.sac.returns import sac_return

    return [sac_return, msp_report, experience_report, timeliness_report, audit_results]


@pytest.mark.django_db(databases=BOTH)
@pytest.mark.parametrize("selector", _selectors(), ids=lambda f: f.__name__)
def test_every_report_reads_its_figures_on_the_replica_and_no_case_record_on_the_primary(
    world, replica, selector
):
    replica()
    scope = scope_for(user=world.users["unit"])  # who sees which teams: decided on the primary

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPORTS_ALIAS]) as reports,
    ):
        selector(scope=scope)

    assert _case_queries(primary) == []
    assert _case_queries(reports), "the figures were not read from the replica"


@pytest.mark.django_db(databases=BOTH)
def test_the_sac_page_shows_what_the_replica_has(world, replica, manager_client):
    replica()
    # Received a moment ago on the primary, not yet replicated.
    ConcernFactory(team=world.north, received_at=timezone.now())

    # North's two concerns (one about a restricted person: a count names nobody), not the third yet.
    assert _concerns_on_page(manager_client) == 2
    replica()  # the replica catches up
    assert _concerns_on_page(manager_client) == 2  # the page's figures are kept, as at when counted
    assert manager_client.post(reverse("reports:sac")).status_code == 302  # "Recalculate now"
    assert _concerns_on_page(manager_client) == 3


@pytest.mark.django_db(databases=BOTH)
def test_a_report_export_renders_the_replicas_figures_and_is_finished_on_the_primary(world, replica):
    manager = world.users["manager_north"]
    replica()
    ConcernFactory(team=world.north, received_at=timezone.now())
    today = timezone.localdate()
    export = Export.objects.create(
        kind="sac_return_csv",
        params={"from": (today - datetime.timedelta(days=30)).isoformat(), "to": today.isoformat()},
        requested_by=manager,
        title="SAC return (CSV)",
        filename="sac.csv",
        content_type="text/csv",
        created_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )

    render_export(str(export.pk))  # what the worker runs

    export.refresh_from_db()
    assert export.status == Export.Status.READY
    rows = list(csv.reader(io.StringIO(export.file.read().decode("utf-8-sig"))))
    assert ["SG1f", TOTAL_CONCERNS, "Number of cases", "2"] in rows
    # The export's own row lives on the primary only; the replica never saw it written.
    assert not Export.objects.using(REPORTS_ALIAS).filter(pk=export.pk).exists()


@pytest.mark.django_db(databases=BOTH)
def test_revoked_access_shows_no_figures_though_the_replica_still_has_the_membership(
    world, replica, manager_client
):
    manager = world.users["manager_north"]
    replica()
    manager.teams.remove(world.north)  # on the primary only

    assert world.north.members.using(REPORTS_ALIAS).filter(pk=manager.pk).exists()
    assert _concerns_on_page(manager_client) == 0


@pytest.mark.django_db(databases=BOTH)
def test_granted_access_shows_that_teams_figures_at_once(world, replica, manager_client):
    manager = world.users["manager_north"]
    replica()
    manager.teams.add(world.south)  # on the primary only; South's concerns are on the replica already

    assert not world.south.members.using(REPORTS_ALIAS).filter(pk=manager.pk).exists()
    assert _concerns_on_page(manager_client) == 2 + 2
