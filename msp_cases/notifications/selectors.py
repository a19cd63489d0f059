"""Reads for notifications. A user only ever sees their own: another user's notification answers 404, so
not even its existence leaks."""

from datetime import timedelta

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from msp_cases import access

from .models import EmailFrequency, Notification, NotificationPreference

# A daily digest runs once a day; a digest row older than this means a run was missed (Redis or the mail
# server was down at the time), so the ten-minute catch-up job sends it.
DIGEST_OVERDUE_AFTER = timedelta(hours=25)


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first, with the reminder each one is about (its state is shown)."""
    notifications = Notification.objects.filter(user=user).select_related(
        "reminder__enquiry__person",
        "reminder__concern__person",
        "export__enquiry__person",
        "concern__person",
        "enquiry__person",
        "enquiry_event",
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-pk")


def notification_get_for_user(*, user, pk: int) -> Notification:
    """One of the user's own notifications, or 404 (also for someone else's)."""
    return get_object_or_404(Notification, pk=pk, user=user)


def unread_count(*, user) -> int:
    """For the header on every page: one COUNT over the (user, read_at) index."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_frequency_for(*, user) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email_frequency if preference else EmailFrequency.IMMEDIATE


def emails_pending_ids(*, failed_before: bool) -> list[int]:
    """Notifications still waiting for their own email (over the partial email_due index), oldest first:
    new ones, or those whose sending has already failed at least once."""
    pending = Notification.objects.filter(email_state=Notification.EmailState.PENDING)
    pending = pending.filter(email_attempts__gt=0) if failed_before else pending.filter(email_attempts=0)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def digest_user_ids(*, overdue_only: bool = False) -> list[int]:
    """Users with notifications waiting for the daily digest; with `overdue_only`, only those whose digest
    should already have gone (a missed run)."""
    waiting = Notification.objects.filter(email_state=Notification.EmailState.DIGEST)
    if overdue_only:
        waiting = waiting.filter(created_at__lt=timezone.now() - DIGEST_OVERDUE_AFTER)
    return sorted(set(waiting.values_list("user_id", flat=True)))


def _case_of(notification: Notification):
    """The concern or enquiry a notification is about, if any (needs notification_list's select_related)."""
    reminder, export = notification.reminder, notification.export
    return (
        notification.enquiry
        or notification.concern
        or (reminder and (reminder.enquiry or reminder.concern))
        or (export and export.enquiry)
    )


def people_shown_with(*, user, notifications) -> dict[int, object]:
    """For a page of notifications: the person each is about, keyed by notification id, only where the user
    may still see that person (one query for the page). In the service, unlike in an email, saying whose case
    it is helps; a case that has left the user's scope shows no name. The name is read from the record now,
    never from the notification: it was never written there."""
    about = {}
    for notification in notifications:
        case = _case_of(notification)
        if case is not None:
            about[notification.pk] = case.person
    if not about:
        return {}
    # The people's own model (enquiries.Person): this mechanism does not import the case app.
    person_model = type(next(iter(about.values())))
    visible = set(
        access.scoped(person_model.objects.filter(pk__in={p.pk for p in about.values()}), user).values_list(
            "pk", flat=True
        )
    )
    return {pk: person for pk, person in about.items() if person.pk in visible}


def comments_shown_with(*, user, notifications) -> dict[int, str]:
    """For a page of notifications: what the manager wrote when returning a closure, keyed by notification
    id, only where the user may still see the enquiry (one query, none when the page has no such
    notification). Comments are case content: shown in the service, never emailed, never copied."""
    events = {
        n.pk: n.enquiry_event
        for n in notifications
        if n.kind == Notification.Kind.CLOSURE_RETURNED and n.enquiry_event is not None
    }
    if not events:
        return {}
    # The enquiries' own model, through the field: this mechanism does not import the case app.
    enquiry_model = Notification._meta.get_field("enquiry").related_model
    visible = set(
        access.scoped(
            enquiry_model.objects.filter(pk__in={e.enquiry_id for e in events.values()}), user
        ).values_list("pk", flat=True)
    )
    return {pk: event.comment for pk, event in events.items() if event.enquiry_id in visible}
