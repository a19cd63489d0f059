"""Celery tasks for notifications (filled in by the notifications work)."""


def queue_pending_emails() -> None:
    """Ask a worker to send the pending emails; if the broker is down, the beat job catches up later."""
