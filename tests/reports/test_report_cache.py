"""Report figures kept between requests (msp_cases/reports/cache.py): the second look costs a few queries and
shows the same figures "as at" when they were counted; expiry and "Recalculate now" count them again;
managers of one team share an entry and never see another's; exports count afresh; nothing personal is kept.

The clock is 10:32 on 15 January 2026 (GMT, so UTC too): the default period is 1 April 2025 to 31 March
2026, and every concern in `world` was received today."""

import csv
import datetime
import io
import pickle
import re

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models.choices import Ethnicity, Gender, PrimarySupportReason
from msp_cases.accounts import roles
from msp_cases.reports.cache import figures_key
from msp_cases.reports.kinds.sac import render_csv
from msp_cases.reports.scope import scope_for

from ..factories import ConcernFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 15, 10, 32, tzinfo=datetime.UTC)
CONCERNS = "Total Number of Safeguarding Concerns"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _concerns(response) -> int:
    """The SG1f count of concerns the page shows."""
    assert response.status_code == 200
    tables = {table.id: rows for table, rows in response.context["tables"]}
    return int(dict(tables["SG1f"])[CONCERNS][0])


def _shown(response) -> str:
    """The SG1f count of concerns as the page's HTML shows it (the tables' rendering is kept too)."""
    html = response.content.decode()
    table = html[html.index('id="SG1f"') :]
    row = table[table.index(CONCERNS) :]
    return re.search(r"govuk-table__cell--numeric\">(?:<a [^>]*>)?([^<]*)<", row).group(1)


def _get(client, url_name="reports:sac"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(url_name))
    return response, len(ctx.captured_queries)


def _new_concern(team):
    return ConcernFactory(person=PersonFactory(), team=team)


def test_the_second_look_reads_the_kept_figures(world, unit_client):
    first, counted = _get(unit_client)
    again, kept = _get(unit_client)
    assert _concerns(again) == _concerns(first) == 4
    assert "Figures as at 10:32." in again.content.decode()
    # Counting costs the tables' nine queries and the data-quality list's four. Reading them back costs what
    # every page costs (the session read and saved, the user, their permissions, unread notifications: 8),
    # the teams in scope, the period form's team choices, the listed people by id (no enquiry is listed
    # here, so no query for them) and, for unit staff, the version of the return last marked as submitted:
    # twelve, however large the period.
    assert counted >= kept + 10
    assert kept == 12


@pytest.mark.parametrize("url_name", ["reports:msp", "reports:experience", "reports:timeliness"])
def test_the_measures_pages_keep_their_figures_too(world, unit_client, url_name):
    first, counted = _get(unit_client, url_name)
    again, kept = _get(unit_client, url_name)
    assert again.context["report"].tables.keys() == first.context["report"].tables.keys()
    assert kept < counted
    assert kept == 10  # every page's eight, the teams in scope and the period form's team choices
    assert "Figures as at 10:32." in again.content.decode()


def test_figures_are_shown_as_at_until_they_expire(world, unit_client, clock, settings):
    settings.REPORT_CACHE_SECONDS = 600
    assert _concerns(_get(unit_client)[0]) == 4
    _new_concern(world.north)
    clock.move_to(NOW + datetime.timedelta(minutes=9))
    response, _ = _get(unit_client)
    assert _concerns(response) == 4  # counted at 10:32, and says so
    assert _shown(response) == "4"
    assert "Figures as at 10:32." in response.content.decode()
    clock.move_to(NOW + datetime.timedelta(minutes=11))
    response, _ = _get(unit_client)
    assert _concerns(response) == 5
    assert _shown(response) == "5"
    assert "Figures as at 10:43." in response.content.decode()


def test_figures_counted_another_day_say_which_day(world, unit_client, client_for, clock, settings):
    settings.REPORT_CACHE_SECONDS = 24 * 60 * 60
    _get(unit_client)
    clock.move_to(NOW + datetime.timedelta(hours=14))
    signed_in_again = client_for(world.users["unit"])
    assert "Figures as at 10:32 on 15 January 2026." in _get(signed_in_again)[0].content.decode()


def test_recalculate_now_counts_again(world, unit_client):
    assert _concerns(_get(unit_client)[0]) == 4
    _new_concern(world.south)
    assert _concerns(_get(unit_client)[0]) == 4
    url = reverse("reports:sac") + "?suppress=1"
    response = unit_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == url  # back to the same report, as a GET
    page = unit_client.get(reverse("reports:sac"))
    assert _concerns(page) == 5
    assert _shown(page) == "5"
    assert _shown(unit_client.get(url)) == "5"  # with disclosure control: 5 is 5 to the nearest 5
    assert "Figures recalculated" in page.content.decode()


def test_recalculate_now_is_a_form_with_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit"])
    html = client.get(reverse("reports:msp")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html and ">Recalculate now</button>" in html
    assert client.post(reverse("reports:msp")).status_code == 403  # no token


def test_practitioners_cannot_recalculate(world, practitioner_client):
    assert practitioner_client.post(reverse("reports:sac")).status_code == 403
    assert not cache._cache  # nothing was counted for them


def test_managers_of_a_team_share_figures_and_never_see_another_teams(world, client_for):
    north_manager = client_for(world.users["manager_north"])
    assert _concerns(_get(north_manager)[0]) == 2  # North's case and its restricted one
    _new_concern(world.north)
    second_north_manager = client_for(UserFactory(role=roles.MANAGER, teams=[world.north]))
    # The second manager of North reads the entry the first counted (as at 10:32), so it still says 2 ...
    assert _concerns(_get(second_north_manager)[0]) == 2
    # ... while South's manager and the unit have entries of their own, counted now.
    assert _concerns(_get(client_for(world.users["manager_south"]))[0]) == 2
    assert _concerns(_get(client_for(world.users["unit"]))[0]) == 5
    keys = {
        name: figures_key("sac_return", scope_for(user=world.users[name]))
        for name in ("manager_north", "manager_south", "unit")
    }
    assert len(set(keys.values())) == 3


def test_the_data_quality_list_is_read_again_through_the_access_rule(world, unit_client):
    person, _, _ = world.cases["north"]
    person.date_of_birth = None
    person.save()
    link = reverse("enquiries:person_detail", args=[person.pk])
    assert link in _get(unit_client)[0].content.decode()
    # Restricted afterwards to someone else: the unit no longer sees it, though the entry still lists its id.
    person.is_restricted = True
    person.save()
    person.restricted_to.set([world.users["manager_north"]])
    assert link not in _get(unit_client)[0].content.decode()


def test_a_record_fixed_since_leaves_the_list(world, unit_client):
    person, _, _ = world.cases["south"]
    person.date_of_birth = None
    person.save()
    link = reverse("enquiries:person_detail", args=[person.pk])
    assert link in _get(unit_client)[0].content.decode()
    person.date_of_birth = datetime.date(1950, 1, 1)
    person.gender = Gender.FEMALE
    person.ethnicity = Ethnicity.WHITE
    person.primary_support_reason = PrimarySupportReason.PHYSICAL
    person.save()
    assert link not in _get(unit_client)[0].content.decode()


def test_nothing_personal_is_kept(world, unit_client, client_for):
    for person, _, _ in world.cases.values():
        person.date_of_birth = None  # so every person is on the data-quality list
        person.save()
    for url_name in ("reports:sac", "reports:msp", "reports:experience", "reports:timeliness"):
        _get(unit_client, url_name)
    _get(client_for(world.users["manager_north"]))
    # The in-memory entries as stored (pickled by this test's own cache).
    entries = {key: pickle.loads(value) for key, value in cache._cache.items()}  # noqa: S301
    # Four reports for the unit and the SAC for North, each with its rendered tables; two data-quality lists.
    assert len(entries) == 12
    people = [person for person, _, _ in world.cases.values()]
    names = [p.given_name for p in people] + [p.family_name for p in people]
    for raw in cache._cache.values():
        assert not any(name.encode() in raw for name in names)
        assert b"enquiries.models" not in raw  # no record of any kind, only figures and ids
    quality = [entry for key, entry in entries.items() if "sac_data_quality" in key]
    assert len(quality) == 2
    for ids, _as_at, _count in quality:
        assert set(ids) == {"person_ids", "people_more", "enquiry_ids", "enquiries_more"}
        assert all(type(pk) is int for pk in ids["person_ids"] + ids["enquiry_ids"])


def test_exports_and_the_command_count_afresh(world, unit_client):
    from msp_cases.exports.models import Export

    assert _concerns(_get(unit_client)[0]) == 4
    _new_concern(world.north)
    assert _concerns(_get(unit_client)[0]) == 4  # the page: as at 10:32
    assert "Downloads (CSV and PDF) are always counted when you ask for them" in (
        _get(unit_client)[0].content.decode()
    )
    export = Export.objects.create(
        kind="sac_return_csv",
        params={"from": "2025-04-01", "to": "2026-03-31"},
        requested_by=world.users["unit"],
        title="SAC return",
        filename="sac.csv",
        content_type="text/csv",
        created_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    rows = list(csv.reader(io.StringIO(render_csv(export).decode("utf-8-sig"))))
    assert ["SG1f", CONCERNS, "Number of cases", "5"] in rows
    out = io.StringIO()
    call_command("sac_return", "--from", "2025-04-01", "--to", "2026-03-31", stdout=out)
    assert f"SG1f,{CONCERNS},Number of cases,5" in out.getvalue()


def test_a_cache_that_cannot_be_reached_is_only_a_miss(world, unit_client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    response = unit_client.get(reverse("reports:sac"))
    assert _concerns(response) == 4
