# ruff: noqa: F811 (the partners' fixtures, imported, are this test's arguments)
"""Webhooks through a real Celery worker and Redis to a receiver on 127.0.0.1: the receiver is down (answers
500), the worker tries again with backoff, and when it comes back the event is delivered once, with a
signature the receiver checks with its secret. A second run of the same delivery sends nothing."""

import json
import time

import pytest

from msp_cases.core.actor import Actor
from msp_cases.frontdoor.services import screening
from msp_cases.partners.models import WebhookDelivery
from msp_cases.partners.signing import signature_valid
from msp_cases.partners.tasks import delivery_enqueue
from tests.factories import PersonFactory
from tests.partners.conftest import receiver, screener, sending_partner, unit_lead  # noqa: F401 (fixtures)

from .conftest import wait_for

pytestmark = pytest.mark.integration


def test_a_receiver_down_then_back_gets_the_event_once(
    world, worker_factory, sending_partner, screener, receiver
):
    receiver.statuses = [500, 500, 204]  # down twice, then back
    worker = worker_factory(env={"WEBHOOK_RETRY_SECONDS": "1", "WEBHOOK_MAX_ATTEMPTS": "5"})
    partner = sending_partner()
    screening.referral_route(  # commits (transactional test): the event goes to the worker after commit
        actor=Actor.of(screener),
        referral=partner.referral,
        expected_version=partner.referral.version,
        team=world.north,
        person=PersonFactory(),
    )

    def delivered():
        return WebhookDelivery.objects.filter(status="delivered").first()

    delivery = wait_for(delivered, timeout=60, what="the delivery to go through once the receiver is back")
    assert delivery.attempts == 3
    assert receiver.answered == [500, 500, 204]
    (accepted,) = receiver.delivered()
    assert signature_valid(secret=partner.secret, headers=accepted.headers, body=accepted.body)
    assert json.loads(accepted.body)["type"] == "referral.received"

    # The same delivery handed out again (a redelivered message, the sweep): the worker finds it delivered
    # under the row lock and sends nothing.
    assert delivery_enqueue(delivery_id=delivery.pk)
    time.sleep(3)  # the idle worker takes it at once; nothing may arrive
    assert len(receiver.received) == 3
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert worker.process.poll() is None


def test_a_worker_killed_mid_delivery_loses_nothing(
    world, worker_factory, sending_partner, screener, receiver
):
    """The worker's pool process is killed (as the OOM killer would) while the partner's server is still
    answering: the attempt's transaction is rolled back and the message, acknowledged only late, runs again,
    so the event still arrives and its delivery is recorded once. The partner may have got it twice: the
    same Webhook-Id says it is the same event."""
    receiver.first_delay = 8
    worker = worker_factory(env={"WEBHOOK_TIMEOUT_SECONDS": "30"})
    partner = sending_partner()
    screening.referral_route(
        actor=Actor.of(screener),
        referral=partner.referral,
        expected_version=partner.referral.version,
        team=world.north,
        person=PersonFactory(),
    )
    wait_for(lambda: receiver.received, timeout=60, what="the first request to reach the receiver")
    worker.kill_child()

    delivery = wait_for(
        lambda: WebhookDelivery.objects.filter(status="delivered").first(),
        timeout=90,
        what="the delivery to be sent again after the worker was lost",
    )
    assert delivery.attempts == 1  # the killed attempt was never recorded
    assert len(receiver.received) == 2
    assert len({got.headers["Webhook-Id"] for got in receiver.received}) == 1
    assert WebhookDelivery.objects.count() == 1
