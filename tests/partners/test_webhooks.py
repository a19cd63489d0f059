"""Webhooks, end to end in this process (Celery eager): the front door screens a partner's referral, a
concern is decided, an enquiry concluded, and the partner's receiver on 127.0.0.1 gets each event once,
signed with its secret, holding ids and codes and no word of the case."""

import datetime
import json

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from enquiries.models import RiskTypeOption, SafeguardingConcern
from enquiries.services import lifecycle
from enquiries.services.concerns import concern_decide
from msp_cases.core.actor import Actor
from msp_cases.core.events import ENQUIRY_CONCLUDED, RecordEvent, record_event
from msp_cases.frontdoor.services import screening
from msp_cases.partners.delivery import retry_delay, webhook_delivery_attempt
from msp_cases.partners.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from msp_cases.partners.signing import signature, signature_valid
from msp_cases.partners.tasks import requeue_pending
from tests.enquiries.factories_enquiry import make_ready_for_closure, set_status
from tests.factories import EnquiryFactory, PersonFactory

pytestmark = pytest.mark.django_db

# Words of the referral and the case (tests/frontdoor/queue_scene.py, tests/conftest.py): none may leave.
CASE_WORDS = [
    "Margaret",
    "Hughes",
    "Mill Lane",
    "pension",
    "Neighbour",
    "01632",
    "Northshire",
    "Given-",
    "Casename",
]


def _route(partner, screener, world, callbacks):
    person = PersonFactory(given_name="Margaret", family_name="Hughes")
    with callbacks(execute=True):
        screening.referral_route(
            actor=Actor.of(screener),
            referral=partner.referral,
            expected_version=partner.referral.version,
            team=world.north,
            person=person,
        )
    partner.referral.refresh_from_db()
    return partner.referral.concern


def _body(received) -> dict:
    return json.loads(received.body)


def test_a_screened_referral_reaches_its_partner_once_signed_without_case_content(
    world, sending_partner, screener, receiver, django_capture_on_commit_callbacks
):
    partner = sending_partner()
    concern = _route(partner, screener, world, django_capture_on_commit_callbacks)

    (got,) = receiver.received
    assert signature_valid(secret=partner.secret, headers=got.headers, body=got.body)
    assert not signature_valid(secret=partner.secret + "x", headers=got.headers, body=got.body)
    body = _body(got)
    assert body["type"] == "referral.received"
    assert body["data"] == {
        "referral_id": partner.referral.pk,
        "state": "passed_on",
        "concern_id": concern.pk,
    }
    assert got.headers["Webhook-Id"] == body["id"]
    assert not [word for word in CASE_WORDS if word.lower() in got.body.decode().lower()]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 1, "")


def test_the_decision_and_the_conclusion_follow_with_codes_only(
    world, sending_partner, screener, receiver, django_capture_on_commit_callbacks
):
    partner = sending_partner()
    concern = _route(partner, screener, world, django_capture_on_commit_callbacks)
    manager = world.users["manager_north"]
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = concern_decide(
            actor=Actor.of(manager),
            concern=concern,
            expected_version=concern.version,
            decision=SafeguardingConcern.Decision.SECTION_42,
            criteria_care_needs=True,
            criteria_abuse_or_neglect=True,
            criteria_unable_to_protect=True,
            decision_rationale="Her son takes her pension: the criteria are met.",
            lead_practitioner=world.users["practitioner_north"],
            risk_types=RiskTypeOption.objects.filter(code="financial"),
            risk_location="own_home",
            risk_source="known",
        )
    decided = _body(receiver.received[-1])
    assert decided["type"] == "concern.decided"
    assert decided["data"] == {
        "referral_id": partner.referral.pk,
        "concern_id": concern.pk,
        "decision": "section_42",
        "enquiry_id": enquiry.pk,
    }
    # The closure's hook is the sign-off (test below); here its event as the sign-off records it.
    enquiry.action_result = "risk_action"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record_event(
            RecordEvent(
                ENQUIRY_CONCLUDED,
                occurred_at=timezone.now(),
                concern_id=concern.pk,
                enquiry_id=enquiry.pk,
                code=enquiry.action_result,
            )
        )
    concluded = _body(receiver.received[-1])
    assert concluded["type"] == "enquiry.concluded"
    assert concluded["data"] == {
        "referral_id": partner.referral.pk,
        "concern_id": concern.pk,
        "enquiry_id": enquiry.pk,
        "outcome": "risk_action",
    }
    assert set(concluded) == {"id", "type", "occurred_at", "data"}
    assert len(receiver.received) == 3
    for got in receiver.received:
        assert not [word for word in CASE_WORDS if word.lower() in got.body.decode().lower()]


def test_a_closure_signed_off_tells_the_partner(
    world, sending_partner, screener, receiver, django_capture_on_commit_callbacks
):

    partner = sending_partner(events=["enquiry.concluded"])
    concern = _route(partner, screener, world, django_capture_on_commit_callbacks)
    enquiry = EnquiryFactory(
        concern=concern,
        person=concern.person,
        team=world.north,
        lead_practitioner=world.users["practitioner_north"],
    )
    set_status(enquiry, "in_progress")
    make_ready_for_closure(enquiry)
    lifecycle.enquiry_propose_closure(actor=Actor.of(world.users["practitioner_north"]), enquiry=enquiry)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.enquiry_sign_off(
            actor=Actor.of(world.users["manager_north"]), enquiry=enquiry, approve=True
        )
    (got,) = receiver.received  # only the event it listens for
    enquiry.refresh_from_db()
    assert _body(got)["type"] == "enquiry.concluded"
    assert _body(got)["data"]["outcome"] == (enquiry.action_result or None)


def test_a_referral_nobody_sent_through_the_api_tells_nobody(
    world, sending_partner, screener, receiver, django_capture_on_commit_callbacks
):
    from tests.frontdoor.queue_scene import make_referral

    sending_partner()  # a partner listens, but did not send this one
    referral = make_referral()
    with django_capture_on_commit_callbacks(execute=True):
        screening.referral_close_not_safeguarding(
            actor=Actor.of(screener), referral=referral, expected_version=referral.version, reason="Repairs"
        )
    assert receiver.received == []
    assert WebhookDelivery.objects.count() == 0
    assert WebhookEvent.objects.get().fanned_out_at is not None


def test_one_delivery_per_event_and_subscription(
    world, sending_partner, screener, django_capture_on_commit_callbacks
):
    partner = sending_partner()
    _route(partner, screener, world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(
            event=delivery.event, subscription=delivery.subscription, referral=delivery.referral
        )
    # Sending it again finds it delivered and sends nothing.
    assert webhook_delivery_attempt(delivery_id=delivery.pk).status == ""


@override_settings(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_RETRY_SECONDS=1)
def test_a_receiver_answering_errors_is_tried_again_then_the_delivery_fails(
    world, sending_partner, screener, receiver, django_capture_on_commit_callbacks
):
    """The first attempt runs after commit; the retries Celery would schedule are run here by hand (the
    worker's own backoff: tests/integration/test_webhooks_worker.py)."""
    receiver.statuses = [500]
    partner = sending_partner()
    _route(partner, screener, world, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 500")
    assert webhook_delivery_attempt(delivery_id=delivery.pk).retry_in == 2  # 1 s, doubled
    assert webhook_delivery_attempt(delivery_id=delivery.pk).retry_in is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 3, "HTTP 500")
    assert len(receiver.received) == 3
    assert len({got.headers["Webhook-Id"] for got in receiver.received}) == 1  # the same event each time
    assert webhook_delivery_attempt(delivery_id=delivery.pk).status == ""  # failed: never sent again
    assert len(receiver.received) == 3


@override_settings(WEBHOOK_RETRY_SECONDS=30, WEBHOOK_RETRY_MAX_SECONDS=1800)
def test_the_wait_doubles_up_to_a_ceiling():
    assert [retry_delay(n) for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1800, 1800]


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    body = b'{"id":"1"}'
    expected = hmac.new(b"whsec_test", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature(secret="whsec_test", timestamp=1700000000, body=body) == f"v1={expected}"
    headers = {"Webhook-Timestamp": "1700000000", "Webhook-Signature": f"v1={expected}"}
    assert signature_valid(secret="whsec_test", headers=headers, body=body, now=1700000010)
    assert not signature_valid(secret="whsec_test", headers=headers, body=body, now=1700000000 + 3600)
    assert not signature_valid(secret="whsec_test", headers=headers, body=body + b" ", now=1700000010)


def test_the_sweep_sends_what_was_never_handed_to_a_worker(world, sending_partner, screener, receiver):
    """The process ended before its after-commit step (or the broker was down): the event is kept, unsent;
    five minutes on, the sweep makes its deliveries and sends them, once."""
    partner = sending_partner()
    screening.referral_route(  # no after-commit step runs in this test's transaction
        actor=Actor.of(screener),
        referral=partner.referral,
        expected_version=partner.referral.version,
        team=world.north,
        person=PersonFactory(),
    )
    event = WebhookEvent.objects.get()
    assert event.fanned_out_at is None and receiver.received == []
    assert requeue_pending() == 0  # not yet: it may still be on its way
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        requeue_pending()
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == "delivered"

    # A delivery whose message was lost (pending, its attempt long overdue) is sent again by the sweep.
    WebhookDelivery.objects.update(
        status="pending", next_attempt_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert requeue_pending() == 1
    assert len(receiver.received) == 2
    assert requeue_pending() == 0  # delivered: nothing more


def test_a_name_that_now_points_inside_this_network_is_not_sent_to(
    world, sending_partner, screener, receiver, django_capture_on_commit_callbacks, settings
):
    """A webhook added while its host was public, whose name now resolves to 127.0.0.1: nothing is sent."""
    partner = sending_partner()
    settings.WEBHOOK_HTTP_LOOPBACK = False  # as in production
    WebhookSubscription.objects.filter(pk=partner.subscription.pk).update(
        url=receiver.url.replace("127.0.0.1", "localhost")
    )
    _route(partner, screener, world, django_capture_on_commit_callbacks)
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_error) == ("pending", "Address resolves to a private network")


def test_the_sweep_is_on_the_schedule_every_five_minutes():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="webhooks.requeue_pending")
    assert task.enabled and (task.interval.every, task.interval.period) == (5, "minutes")
