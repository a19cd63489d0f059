"""Report figures counted by a real Celery worker on the long queue, through Redis, and kept in a Redis cache
that the worker and the web process share, as in production: the first look waits for the worker's count;
expired figures are shown at once while the worker counts them again; the next look shows the new ones.

Skips locally unless CELERY_BROKER_URL and DATABASE_URL (PostgreSQL) are set; CI sets both."""

import re
import time
import uuid

import pytest
import redis
from django.test import Client
from django.urls import reverse

from tests.integration.conftest import broker_url, wait_for, worker_factory  # noqa: F401 (fixtures)

from ..factories import ConcernFactory, PersonFactory

pytestmark = pytest.mark.integration

CONCERNS = "Total Number of Safeguarding Concerns"


@pytest.fixture
def shared_cache(broker_url, settings):  # noqa: F811
    """A Redis cache on the broker's server under a prefix of this test's own, for this process and the
    worker; its keys are deleted afterwards (never FLUSHDB: the broker's queues live there too)."""
    prefix = f"test-recount-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": broker_url,
            "KEY_PREFIX": prefix,
        }
    }
    yield {
        "DJANGO_SETTINGS_MODULE": "tests.reports.recount_worker_settings",
        "TEST_REPORT_CACHE_URL": broker_url,
        "TEST_REPORT_CACHE_PREFIX": prefix,
    }
    server = redis.Redis.from_url(broker_url)
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def _page(client: Client) -> tuple[str, str]:
    """What the SAC page says about its figures, and the SG1f count of concerns it shows ("" for none)."""
    response = client.get(reverse("reports:sac"))
    assert response.status_code == 200
    html = response.content.decode()
    said = r"<strong>(Figures as at [^<]*|The figures are being counted\.)</strong>"
    as_at = re.search(said, html).group(1)
    if 'id="SG1f"' not in html:
        return as_at, ""
    row = html[html.index('id="SG1f"') :]
    row = row[row.index(CONCERNS) :]
    return as_at, re.search(r"govuk-table__cell--numeric\">(?:<a [^>]*>)?([^<]*)<", row).group(1)


def test_the_worker_counts_the_figures_while_the_page_shows_the_previous_ones(
    world,
    worker_factory,  # noqa: F811 (the fixture imported above)
    shared_cache,
    settings,
):
    settings.REPORT_CACHE_SECONDS = 600
    settings.REPORT_COUNT_WAIT_SECONDS = 20  # a worker's first task (imports, a connection) is slow on CI
    worker_factory(args=("-Q", "long"), env=shared_cache)
    client = Client()
    client.force_login(world.users["unit"])

    # Never counted: the request waits for the worker's count, and shows it.
    as_at, concerns = _page(client)
    assert as_at.startswith("Figures as at ") and "being counted again" not in as_at
    assert concerns == "4"

    # Expired, with a new concern since: shown at once as counted before, while the worker counts again.
    ConcernFactory(person=PersonFactory(), team=world.north)
    time.sleep(1.1)
    settings.REPORT_CACHE_SECONDS = 1
    as_at, concerns = _page(client)
    assert as_at.endswith(", being counted again.")
    assert concerns == "4"

    # The worker's count arrives: the next look shows it.
    settings.REPORT_CACHE_SECONDS = 600
    wait_for(lambda: _page(client)[1] == "5", timeout=30, what="the worker's new count", every=0.5)
    as_at, _ = _page(client)
    assert "being counted again" not in as_at
