"""Every task goes to the queue meant for it: short work someone is waiting on (emails, notifications, the
drift scan's reminders) on "interactive", long jobs (exports) on "long", so a burst of exports never delays a
reminder. Checked through Celery's own router, with the exchange and routing key a message is published with:
a queue whose binding fell back to the default would deliver its messages to "interactive"."""

import pytest
from django.conf import settings

from msp_cases.celery import app

INTENDED = {
    "msp_cases.ping": "interactive",
    "notifications.send_email": "interactive",
    "notifications.send_digest": "interactive",
    "notifications.send_pending_emails": "interactive",
    "notifications.send_daily_digests": "interactive",
    "enquiries.scan_drift": "interactive",
    "exports.requeue_unsent": "interactive",
    "exports.render": "long",
    "reports.recount": "long",
    "exports.delete_expired": "long",
    "frontdoor.send_acknowledgement": "interactive",
    "frontdoor.delete_expired_drafts": "interactive",
    "frontdoor.notify_outcomes": "interactive",
    "frontdoor.notify_outcome": "interactive",
    "documents.scan": "long",
    "documents.rescan_waiting": "interactive",
    "documents.clear_held": "interactive",
    "account_review.deactivate_unused": "interactive",
    "drafts.delete_expired": "interactive",
    "webhooks.deliver": "long",
    "webhooks.requeue_pending": "interactive",
    "retention.refresh_schedule": "long",
    "retention.notify_due": "long",
    "retention.carry_out_disposal": "long",
}


def _project_tasks() -> set[str]:
    app.loader.import_default_modules()  # every app's tasks.py, as a worker loads them
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_names_its_queue():
    # A new task must choose: the default queue is "interactive", which a long job would hold up.
    assert _project_tasks() == set(settings.CELERY_TASK_ROUTES)
    assert _project_tasks() == set(INTENDED)


@pytest.mark.parametrize("name,queue", sorted(INTENDED.items()))
def test_each_task_is_published_to_its_queue(name, queue):
    route = app.amqp.router.route({}, name)
    assert route["queue"].name == queue
    # What the broker delivers by: each queue has its own exchange and routing key.
    assert route["queue"].exchange.name == queue
    assert route["queue"].routing_key == queue


def test_a_worker_given_no_queue_takes_both():
    # make run's eager mode needs none; a single worker (or the integration tests' workers) serves both.
    assert set(app.amqp.queues) == {"interactive", "long"}
    assert app.conf.task_default_queue == "interactive"
