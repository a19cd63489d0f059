"""Figures counted off the request path (msp_cases/reports/cache.py, counting.py, tasks.py): expired figures
are shown at once, "being counted again", while one `reports.recount` task counts them; the next look shows
the new ones. Figures never counted are waited for briefly, then the page says they are being counted.

A broker is stood in for by recording what would be published (`queued`), so a test can run the task when a
worker would, in between two page views. Without that (tests' eager Celery, like `make run`), the task runs
in the request, and tests/reports/test_report_cache.py shows the pages behave as they always did.

The clock is 10:32 on 15 January 2026 (GMT): every concern in `world` was received today."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

from msp_cases.accounts import roles
from msp_cases.reports import tasks
from msp_cases.reports.counting import claim_key, entry_key, figures_key
from msp_cases.reports.scope import scope_for

from ..factories import ConcernFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 15, 10, 32, tzinfo=datetime.UTC)
LATER = NOW + datetime.timedelta(minutes=11)  # past REPORT_CACHE_SECONDS (600)
CONCERNS = "Total Number of Safeguarding Concerns"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _report_settings(settings):
    settings.REPORT_CACHE_SECONDS = 600
    settings.REPORT_STALE_SECONDS = 24 * 60 * 60
    settings.REPORT_COUNT_WAIT_SECONDS = 0  # nothing can arrive while the test waits: do not sleep


class Queued:
    """The recount tasks 'published' while a test holds the broker: recorded, run when the test says."""

    def __init__(self):
        self.calls: list[dict] = []

    def __len__(self):
        return len(self.calls)

    def kinds(self) -> list[str]:
        return [call["kind"] for call in self.calls]

    def run_all(self) -> None:
        """What the worker does with them, in order."""
        calls, self.calls = self.calls, []
        for kwargs in calls:
            tasks.recount.apply(kwargs=kwargs).get()


@pytest.fixture
def queued(monkeypatch) -> Queued:
    recorded = Queued()

    def publish(*, kwargs, **options):
        recorded.calls.append(kwargs)

    monkeypatch.setattr(tasks.recount, "apply_async", publish)
    return recorded


def _sac(client) -> str:
    response = client.get(reverse("reports:sac"))
    assert response.status_code == 200
    return response.content.decode()


def _concerns_shown(html: str) -> str:
    """The SG1f count of concerns as the page shows it."""
    table = html[html.index('id="SG1f"') :]
    row = table[table.index(CONCERNS) :]
    return re.search(r"govuk-table__cell--numeric\">(?:<a [^>]*>)?([^<]*)<", row).group(1)


def _as_at(html: str) -> str:
    return re.search(r"<strong>(Figures as at [^<]*|The figures are being counted\.)</strong>", html).group(1)


def _new_concern(team):
    return ConcernFactory(person=PersonFactory(), team=team)


def test_expired_figures_are_shown_at_once_while_one_count_is_queued(world, unit_client, clock, queued):
    # Counted at 10:32 (the first ever look: waited for, counted by the worker, here at once).
    _sac(unit_client)
    queued.run_all()
    assert _concerns_shown(_sac(unit_client)) == "4"
    _new_concern(world.north)
    clock.move_to(LATER)

    html = _sac(unit_client)
    assert _as_at(html) == "Figures as at 10:32, being counted again."
    assert _concerns_shown(html) == "4"  # the figures counted at 10:32, at once
    assert "refresh this page</a> in a minute to see the new ones" in html
    assert ">Recalculate now</button>" not in html  # a count is already under way
    assert queued.kinds() == ["sac_return", "sac_data_quality"]

    # Another of the unit's staff (the same teams, so the same figures) looks too: nothing more is queued.
    colleague = Client()
    colleague.force_login(UserFactory(role=roles.SAFEGUARDING_UNIT))
    html = _sac(colleague)
    assert _as_at(html) == "Figures as at 10:32, being counted again."
    assert _concerns_shown(html) == "4"
    assert queued.kinds() == ["sac_return", "sac_data_quality", "sac_data_quality"]  # only their own list

    # The worker counts them (at 10:43); the next look shows the new figures.
    queued.run_all()
    html = _sac(unit_client)
    assert _as_at(html) == "Figures as at 10:43."
    assert _concerns_shown(html) == "5"
    assert ">Recalculate now</button>" in html
    assert len(queued) == 0


def test_fifty_viewers_of_expired_figures_queue_one_count(world, unit_client, clock, queued):
    _sac(unit_client)
    queued.run_all()
    clock.move_to(LATER)
    for _ in range(50):
        unit_client.get(reverse("reports:msp"))
    assert queued.kinds() == ["msp_measures"]


def test_figures_never_counted_say_they_are_being_counted(world, unit_client, queued):
    response = unit_client.get(reverse("reports:sac"))
    html = response.content.decode()
    assert _as_at(html) == "The figures are being counted."
    assert f'<a class="govuk-link" href="{reverse("reports:sac")}">Refresh this page</a>' in html
    assert 'http-equiv="refresh"' not in html  # the person chooses when the page changes
    assert 'id="SG1f"' not in html  # no tables of figures that are not there yet
    assert "The records to check are being found." in html
    assert queued.kinds() == ["sac_return", "sac_data_quality"]
    # Looking again before the worker has counted queues nothing more.
    assert _as_at(_sac(unit_client)) == "The figures are being counted."
    assert len(queued) == 2

    queued.run_all()
    html = _sac(unit_client)
    assert _as_at(html) == "Figures as at 10:32."
    assert _concerns_shown(html) == "4"


def test_a_measures_report_never_counted_says_so_too(world, unit_client, queued):
    html = unit_client.get(reverse("reports:timeliness")).content.decode()
    assert _as_at(html) == "The figures are being counted."
    assert "How these figures are counted" not in html
    queued.run_all()
    html = unit_client.get(reverse("reports:timeliness")).content.decode()
    assert _as_at(html) == "Figures as at 10:32."
    assert "How these figures are counted" in html


def test_recalculate_now_queues_the_count_and_says_so(world, unit_client, queued):
    _sac(unit_client)
    queued.run_all()
    _new_concern(world.south)

    response = unit_client.post(reverse("reports:sac"), follow=True)
    html = response.content.decode()
    assert "The figures are being counted again. Refresh the page in a minute to see them." in html
    assert "Figures recalculated" not in html
    assert _as_at(html) == "Figures as at 10:32, being counted again."
    assert _concerns_shown(html) == "4"
    assert queued.kinds() == ["sac_return", "sac_data_quality"]

    queued.run_all()
    html = _sac(unit_client)
    assert _as_at(html) == "Figures as at 10:32."  # counted again at 10:32, and ...
    assert _concerns_shown(html) == "5"  # ... with the new concern


def test_without_a_worker_recalculate_now_counts_in_the_request(world, unit_client):
    # Tests run Celery eagerly, as `make run` does without Redis: the task runs inside the request.
    _sac(unit_client)
    _new_concern(world.south)
    html = unit_client.post(reverse("reports:sac"), follow=True).content.decode()
    assert "Figures recalculated" in html
    assert _concerns_shown(html) == "5"


def test_a_broker_that_cannot_be_reached_counts_in_the_request(world, unit_client, clock, monkeypatch):
    _sac(unit_client)
    _new_concern(world.north)
    clock.move_to(LATER)

    def unreachable(**options):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.recount, "apply_async", unreachable)
    html = _sac(unit_client)
    assert _as_at(html) == "Figures as at 10:43."
    assert _concerns_shown(html) == "5"
    # The claim was let go: the next expiry queues (or counts) again.
    key = figures_key("sac_return", scope_for(user=world.users["unit"]))
    assert cache.get(claim_key(key)) is None


def test_a_count_whose_message_was_lost_is_queued_again_when_its_claim_expires(
    world, unit_client, clock, queued, settings
):
    _sac(unit_client)
    queued.run_all()
    clock.move_to(LATER)
    _sac(unit_client)
    assert queued.kinds() == ["sac_return", "sac_data_quality"]
    queued.calls.clear()  # the worker's machine went away with them
    clock.move_to(LATER + datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61))
    html = _sac(unit_client)
    assert _as_at(html) == "Figures as at 10:32, being counted again."
    assert queued.kinds() == ["sac_return", "sac_data_quality"]


def test_figures_older_than_the_stale_window_are_counted_as_new(
    world, unit_client, client_for, clock, queued, settings
):
    _sac(unit_client)
    queued.run_all()
    clock.move_to(NOW + datetime.timedelta(seconds=600 + settings.REPORT_STALE_SECONDS + 1))
    signed_in_again = client_for(world.users["unit"])
    assert _as_at(_sac(signed_in_again)) == "The figures are being counted."


def test_nothing_kept_means_counted_in_every_request(world, unit_client, settings, queued):
    settings.REPORT_CACHE_SECONDS = 0
    assert _concerns_shown(_sac(unit_client)) == "4"
    _new_concern(world.north)
    assert _concerns_shown(_sac(unit_client)) == "5"
    assert len(queued) == 0


def test_the_task_counts_the_list_for_its_viewer_only_while_they_may_still_look(world, queued):
    unit = world.users["unit"]
    scope = scope_for(user=unit)
    claim = "a-claim"
    key = entry_key("sac_data_quality", scope, unit)
    cache.set(claim_key(key), claim)
    unit.is_active = False
    unit.save()
    tasks.recount.apply(
        kwargs={
            "kind": "sac_data_quality",
            "start": scope.start.isoformat(),
            "end": scope.end.isoformat(),
            "team_ids": list(scope.team_ids),
            "user_id": unit.pk,
            "claim": claim,
        }
    ).get()
    assert cache.get(key) is None  # nothing found for someone who has left
    assert cache.get(claim_key(key)) is None  # and the claim let go


def test_only_the_viewer_who_queued_a_first_count_waits_for_it(
    world, unit_client, queued, settings, monkeypatch
):
    # Waiting holds a web worker: one viewer waiting for the count is worth it (a team's figures arrive
    # within the wait); fifty would hold every worker while the count runs.
    settings.REPORT_COUNT_WAIT_SECONDS = 0.5

    class Waiting:
        """The request's clock: each sleep moves it on, without sleeping."""

        now = 1000.0
        slept: list[float] = []

        def monotonic(self):
            return self.now

        def sleep(self, seconds):
            self.slept.append(seconds)
            self.now += seconds

    waiting = Waiting()
    monkeypatch.setattr("msp_cases.reports.cache.time", waiting)
    assert _as_at(_sac(unit_client)) == "The figures are being counted."
    assert 0.4 <= sum(waiting.slept) <= 0.5  # one wait for the figures and the list together, not one each
    waiting.slept.clear()
    colleague = Client()
    colleague.force_login(UserFactory(role=roles.SAFEGUARDING_UNIT))
    assert _as_at(_sac(colleague)) == "The figures are being counted."
    assert queued.kinds() == ["sac_return", "sac_data_quality", "sac_data_quality"]
    assert 0.4 <= sum(waiting.slept) <= 0.5  # for their own list, which they queued; not for the figures too
