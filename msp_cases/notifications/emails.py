"""Email delivery for notifications: one email per notification, or a daily digest.

What an email may say: that there is something to look at, the kind of reminder in the service's own fixed
words (a drift rule's name, e.g. "Plan action past its due date"), and a link back into the service, where
sign-in and access are checked again. Never the person's name or any case detail, and never the notification's
free-text message either: that text is written by other modules, and an email leaves our control (mail
servers, phone lock screens), so only words from a fixed vocabulary go into it.

Exactly once: the row is claimed under a row lock (`select_for_update(skip_locked=True)`) and only a PENDING
(or DIGEST) row is sent, so a second worker, a retried task or the catch-up job finds nothing to do. It is
marked sent in the same transaction, after the mail server accepted the message. A failed attempt is counted
and committed, the row stays waiting, and the error is raised again for the task's retry policy.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Least
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

# What a failed send raises: the mail server refused (SMTPException) or could not be reached (OSError,
# which includes refused connections and timeouts). The tasks retry on exactly these.
SMTP_ERRORS = (smtplib.SMTPException, OSError)
# The attempts counter stops at the column's maximum (months of a failing mail server) rather than overflow.
ONE_MORE_ATTEMPT = Least(F("email_attempts") + 1, Value(32767))


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification if it is still waiting for its email. Returns True if an email went."""
    failure = None
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "reminder")
            .filter(pk=notification_id, email_state=Notification.EmailState.PENDING)
            .first()
        )
        if notification is None:
            return False  # already sent, skipped, or another worker holds it right now
        if not _still_worth_emailing(notification):
            _mark(notification_ids=[notification.pk], state=Notification.EmailState.SKIPPED)
            return False
        try:
            _notification_message(notification).send()
        except SMTP_ERRORS as exc:
            failure = exc
            Notification.objects.filter(pk=notification.pk).update(email_attempts=ONE_MORE_ATTEMPT)
        else:
            _mark(notification_ids=[notification.pk], state=Notification.EmailState.SENT)
    if failure is not None:
        # Ids and the error's type only: an SMTP error's text can carry an address.
        logger.warning(
            "Notification email %s not sent (%s); it stays pending", notification_id, type(failure).__name__
        )
        raise failure
    return True


def digest_send(*, user_id: int) -> int:
    """One email to this user saying how many notifications wait for them, with one link to the
    notifications page; those notifications are then marked emailed. Returns how many it covered."""
    failure = None
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(user_id=user_id, email_state=Notification.EmailState.DIGEST)
            .values_list("pk", "read_at")
        )
        # Notifications the user has already opened need no email.
        already_read = [pk for pk, read_at in waiting if read_at is not None]
        unread = [pk for pk, read_at in waiting if read_at is None]
        _mark(notification_ids=already_read, state=Notification.EmailState.SKIPPED)
        if not unread:
            return 0
        user = Notification.objects.select_related("user").get(pk=unread[0]).user
        if not (user.is_active and user.email):
            _mark(notification_ids=unread, state=Notification.EmailState.SKIPPED)
            return 0
        try:
            _digest_message(user=user, count=len(unread)).send()
        except SMTP_ERRORS as exc:
            failure = exc
            Notification.objects.filter(pk__in=unread).update(email_attempts=ONE_MORE_ATTEMPT)
        else:
            _mark(notification_ids=unread, state=Notification.EmailState.SENT)
    if failure is not None:
        logger.warning(
            "Daily digest for user %s not sent (%s); it stays waiting", user_id, type(failure).__name__
        )
        raise failure
    return len(unread)


def _still_worth_emailing(notification: Notification) -> bool:
    """Checked again when sending (a catch-up may come hours later): not to someone who has left or has no
    address, not for a notification already opened in the service, not for a reminder already resolved."""
    user = notification.user
    if not (user.is_active and user.email) or notification.read_at is not None:
        return False
    # The reminder's own model (enquiries.Reminder): this mechanism does not import the case app.
    reminder = notification.reminder
    return not (reminder and reminder.status == type(reminder).Status.RESOLVED)


def _mark(*, notification_ids: list[int], state: str) -> None:
    if not notification_ids:
        return
    changes = {"email_state": state}
    if state == Notification.EmailState.SENT:
        changes.update(emailed_at=timezone.now(), email_attempts=ONE_MORE_ATTEMPT)
    Notification.objects.filter(pk__in=notification_ids).update(**changes)


def what_happened(notification: Notification) -> str:
    """The notification in the service's own fixed words, safe for an email."""
    rule = notification.reminder.get_rule_display() if notification.reminder else ""
    if notification.kind == Notification.Kind.ESCALATION:
        return (
            f"A reminder has been escalated to you: {rule}."
            if rule
            else "A reminder has been escalated to you."
        )
    if notification.kind == Notification.Kind.REMINDER:
        return f"You have a reminder: {rule}." if rule else "You have a reminder."
    if notification.kind == Notification.Kind.EXPORT_READY:
        return "A file you asked for is ready to download."
    if notification.kind == Notification.Kind.ALLOCATED:
        if notification.enquiry_id:
            return "A safeguarding enquiry has been allocated to you."
        return "A safeguarding concern has been allocated to you."
    if notification.kind == Notification.Kind.CLOSURE_RETURNED:
        return "A closure you proposed has been returned."
    if notification.kind == Notification.Kind.CASE_FILE_AUDIT:
        return "A case-file audit has been saved on an enquiry you lead."
    if notification.kind == Notification.Kind.TRANSFER:
        # The transfer services' own fixed words, never a name ("A case is waiting for your team to ...").
        return f"{notification.message}."
    return "You have a new notification."


def _notification_message(notification: Notification) -> EmailMultiAlternatives:
    link = settings.SITE_URL + reverse("notifications:open", args=[notification.pk])
    context = {
        "product_name": settings.PRODUCT_NAME,
        "what": what_happened(notification),
        "link": link,
        "preferences_link": settings.SITE_URL + reverse("notifications:preferences"),
    }
    return _message(
        subject=f"{settings.PRODUCT_NAME}: you have a new notification",
        template="notifications/email/notification",
        context=context,
        to=notification.user.email,
    )


def _digest_message(*, user, count: int) -> EmailMultiAlternatives:
    context = {
        "product_name": settings.PRODUCT_NAME,
        "count": count,
        "link": settings.SITE_URL + reverse("notifications:list") + "?show=unread",
        "preferences_link": settings.SITE_URL + reverse("notifications:preferences"),
    }
    return _message(
        subject=f"{settings.PRODUCT_NAME}: your daily summary of notifications",
        template="notifications/email/digest",
        context=context,
        to=user.email,
    )


def _message(*, subject: str, template: str, context: dict, to: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
