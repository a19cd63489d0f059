"""/metrics, for the operators' Prometheus: closed to strangers (a 404, as if it did not exist), open to a
configured address or a bearer token; each family present and moving with what it counts; request latency
labelled by route name, never by a path with ids; nothing about a person in it; a scrape's queries fixed."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from PIL import Image
from prometheus_client.parser import text_string_to_metric_families

from enquiries.models import Enquiry, SafeguardingConcern
from enquiries.services import drift
from msp_cases.core.actor import Actor
from msp_cases.documents.services import Upload, document_upload
from msp_cases.exports.services import export_request

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-metrics-token-for-the-tests-0123456789"
LONDON = zoneinfo.ZoneInfo("Europe/London")
T0 = datetime.datetime(2027, 1, 13, 10, 0, tzinfo=LONDON)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _configured(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    settings.METRICS_CACHE_SECONDS = 0  # every scrape counts afresh, so a test sees its own change at once


def scrape_response(**headers):
    return Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)


def scrape() -> str:
    response = scrape_response()
    assert response.status_code == 200
    return response.content.decode()


def value(text: str, name: str, **labels) -> float:
    """The sample `name` with exactly these labels (0 if absent)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def samples(text: str, name: str) -> list:
    return [s for f in text_string_to_metric_families(text) for s in f.samples if s.name == name]


# Who may read it ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong-token"},
        {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        {"HTTP_AUTHORIZATION": f"Bearer {TOKEN[:-1]}"},
        {"HTTP_AUTHORIZATION": "Bearer "},
    ],
)
def test_a_stranger_is_told_there_is_no_such_page(headers):
    client = Client()
    assert client.get("/metrics", **headers).status_code == 404
    # Nor does a POST give it away (a CSRF refusal would say something is there).
    assert client.post("/metrics", **headers).status_code == 404


def test_with_neither_an_address_nor_a_token_configured_nobody_may_read_it(settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_the_token_opens_it_without_signing_in_or_two_factor(settings):
    settings.MSP_REQUIRE_2FA = True
    response = scrape_response()
    assert response.status_code == 200
    # Prometheus's text exposition format.
    assert response["Content-Type"].startswith("text/plain; version=")
    families = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert {
        "django_http_requests_latency_seconds_by_view_method",
        "msp_cases_drift_reminders_raised",
        "msp_cases_drift_reminders_escalated",
        "msp_cases_exports",
        "msp_cases_documents",
        "msp_cases_sign_in_failures",
        "msp_cases_sign_in_lockouts",
        "msp_cases_sign_in_locked_out",
    } <= families


def test_an_allowed_address_opens_it_taken_as_the_record_of_access_takes_it(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16", "192.0.2.7"]
    assert Client().get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 404
    # Behind one proxy: the address the proxy saw counts, not one the client wrote itself.
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.9.0.1"}
    assert Client().get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3", **proxy).status_code == 200
    forged = "10.1.2.3, 203.0.113.66"
    assert Client().get("/metrics", HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 404


def test_an_allowed_address_may_not_post():
    assert Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


def test_a_malformed_allowed_address_stops_the_start(settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "prometheus.example.org"]
    errors = [e for e in run_checks() if e.id == "metrics.E001"]
    assert len(errors) == 1 and "prometheus.example.org" in errors[0].msg


# What it says ---------------------------------------------------------------------------------------------


def test_request_latency_is_by_route_name_never_by_the_path_with_its_ids(world, practitioner_client):
    enquiry = world.cases["north"][2]
    path = reverse("enquiries:enquiry_detail", args=[enquiry.pk])
    assert practitioner_client.get(path).status_code == 200
    assert resolve(path).view_name == "enquiries:enquiry_detail"
    text = scrape()
    latency = [
        s
        for s in samples(text, "django_http_requests_latency_seconds_by_view_method_count")
        if s.labels == {"view": "enquiries:enquiry_detail", "method": "GET"}
    ]
    assert latency and latency[0].value >= 1
    assert path not in text and f"/{enquiry.pk}/" not in text
    # An address nothing answers is counted without its path, so a scanner's probes add no series.
    Client().get("/wp-admin/setup-config.php")
    assert "wp-admin" not in scrape()


def test_nothing_about_a_person_in_it(world, practitioner_client):
    person, _, enquiry = world.cases["north"]
    practitioner_client.get(reverse("enquiries:enquiry_detail", args=[enquiry.pk]))
    Client().post(reverse("login"), {"username": "someone.typed@example.org", "password": "wrong-password"})
    text = scrape()
    for word in ("Casename-", "Given-", "@", "someone.typed", person.family_name):
        assert word not in text, word


def test_a_failed_sign_in_and_a_lockout_are_counted(settings, world):
    def counts() -> tuple[float, float, float]:
        text = scrape()
        return (
            value(text, "msp_cases_sign_in_failures_total", step="password"),
            value(text, "msp_cases_sign_in_lockouts_total"),
            value(text, "msp_cases_sign_in_locked_out"),
        )

    def wrong_password():
        client.post(reverse("login"), {"username": "nobody@example.org", "password": "wrong-password"})

    client = Client()
    failures, lockouts, locked_out = counts()
    assert locked_out == 0
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_password()
    assert counts() == (failures + settings.AXES_FAILURE_LIMIT, lockouts + 1, 1)
    # Trying again while locked out is one more failure, not one more lockout.
    wrong_password()
    assert counts() == (failures + settings.AXES_FAILURE_LIMIT + 1, lockouts + 1, 1)


def test_drift_reminders_raised_escalated_and_open_by_rule(world):
    with time_machine.travel(T0, tick=False) as clock:
        SafeguardingConcern.objects.update(decision=SafeguardingConcern.Decision.SECTION_42, decided_at=T0)
        enquiry = world.cases["north"][2]
        Enquiry.objects.filter(pk=enquiry.pk).update(next_contact_on=T0.date())
        assert value(scrape(), "msp_cases_drift_reminders_raised_total", rule="next_contact") == 0
        clock.move_to(T0 + 3 * DAY)
        drift.drift_scan()
        text = scrape()
        assert value(text, "msp_cases_drift_reminders_raised_total", rule="next_contact") == 1
        assert value(text, "msp_cases_drift_reminders_open", rule="next_contact") == 1
        assert value(text, "msp_cases_drift_reminders_escalated_total", rule="next_contact") == 0
        clock.move_to(T0 + 30 * DAY)
        drift.drift_scan()
        text = scrape()
        assert value(text, "msp_cases_drift_reminders_escalated_total", rule="next_contact") == 1
        # Every rule is reported, at 0 when nothing is due.
        assert value(text, "msp_cases_drift_reminders_open", rule="closure_sign_off") == 0
        assert len(samples(text, "msp_cases_drift_reminders_open")) == 7


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def test_exports_and_documents_by_state(world, settings):
    settings.CLAMAV_URL = ""  # no scanner: a document is kept "not scanned"
    practitioner = world.users["practitioner_north"]
    enquiry = world.cases["north"][2]
    before = scrape()
    assert value(before, "msp_cases_exports", status="queued") == 0
    export_request(actor=Actor.of(practitioner), kind="case_summary", enquiry=enquiry)
    document_upload(
        actor=Actor.of(practitioner),
        record=enquiry,
        uploads=[Upload(name="bruise.png", file=SimpleUploadedFile("bruise.png", _png()))],
        title="Photo",
        kind="photo",
    )
    after = scrape()
    assert value(after, "msp_cases_exports", status="queued") == 1
    assert value(after, "msp_cases_exports", status="ready") == 0
    assert value(after, "msp_cases_documents", scan_status="not_scanned") == 1
    assert value(after, "msp_cases_documents", scan_status="infected") == 0


def test_a_scrape_costs_a_fixed_number_of_queries_and_the_cache_spares_them(world, settings):
    settings.METRICS_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as few:
        scrape()
    enquiry = world.cases["south"][2]
    actor = Actor.of(world.users["practitioner_south"])
    for _ in range(3):
        export_request(actor=actor, kind="case_summary", enquiry=enquiry)
    with CaptureQueriesContext(connection) as more:
        scrape()
    assert len(few) == len(more) <= 4
    settings.METRICS_CACHE_SECONDS = 30
    scrape()
    with CaptureQueriesContext(connection) as cached:
        scrape()
    assert len(cached) == 0
