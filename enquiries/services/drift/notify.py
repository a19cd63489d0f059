"""Who hears about a reminder, and in what words: every open reminder's recipients get a REMINDER
notification, an escalated one's team managers an ESCALATION, each at most once, never about a case they
may not open (msp_cases.access)."""

from collections import defaultdict
from functools import cache

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse

from msp_cases import access
from msp_cases.accounts.models import User
from msp_cases.accounts.roles import SIGN_OFF
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from ...models.drift import Reminder
from .raising import among, chunks
from .rules import REGISTERED, R

SIGN_OFF_PERMISSION = tuple(SIGN_OFF.split("."))  # (app label, codename)

_MESSAGES = {
    R.NEXT_CONTACT: "The next contact agreed with the person has passed (due {due})",
    R.PLAN_ACTION: "A plan action is past its due date (due {due})",
    R.CONCERN_DECISION: "A safeguarding concern is waiting for a decision (due {due})",
    R.MANAGER_REVIEW: "An open enquiry needs a manager review (due {due})",
    R.CLOSURE_SIGN_OFF: "A closure is waiting to be signed off (due {due})",
    R.WARNING_REVIEW: "A warning about a person is past its review date (due {due})",
}


def reminder_message(reminder: Reminder) -> str:
    words = _MESSAGES[reminder.rule] if reminder.rule in _MESSAGES else REGISTERED[reminder.rule].message
    return words.format(due=f"{reminder.due_on:%-d %B %Y}")


def escalation_message(reminder: Reminder) -> str:
    return _escalated(reminder_message(reminder))


def _escalated(message: str) -> str:
    return f"Escalated: {message[0].lower()}{message[1:]}"


_PK = 918273645546372819  # stands for the record's id in a reversed address


def _address(url_name: str) -> str:
    """An address with `{pk}` where the record's id goes, reversed once per name (and script prefix and
    URLconf, which reverse() reads): reversing each of 30,000 reminders' addresses cost seconds of a
    national-scale scan."""
    return _reversed(url_name, get_script_prefix(), get_urlconf())


@cache
def _reversed(url_name: str, prefix: str, urlconf) -> str:
    return reverse(url_name, args=[_PK], urlconf=urlconf).replace(str(_PK), "{pk}")


def reminder_url(reminder: Reminder) -> str:
    """The exact place to act."""
    rule = reminder.rule
    if rule == R.PLAN_ACTION:
        return _address("enquiries:plan_action_edit").format(pk=reminder.plan_action_id)
    if rule == R.CONCERN_DECISION:
        return _address("enquiries:concern_detail").format(pk=reminder.concern_id)
    if rule == R.MANAGER_REVIEW:
        return _address("enquiries:manager_review_add").format(pk=reminder.enquiry_id)
    if rule == R.CLOSURE_SIGN_OFF:
        return _address("enquiries:enquiry_sign_off").format(pk=reminder.enquiry_id)
    if rule == R.WARNING_REVIEW:
        return _address("enquiries:warning_edit").format(pk=reminder.object_id)
    if rule in REGISTERED:
        return REGISTERED[rule].url(reminder)
    return _address("enquiries:enquiry_detail").format(pk=reminder.enquiry_id) + "#drift"


def team_managers(team_ids) -> dict[int, list[int]]:
    """Active members of each team whose role may sign off closures (the Manager group, or the permission
    granted directly): one query."""
    permission = Permission.objects.filter(
        content_type__app_label=SIGN_OFF_PERMISSION[0], codename=SIGN_OFF_PERMISSION[1]
    )
    rows = (
        User.objects.filter(is_active=True, teams__in=list(team_ids))
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .values_list("teams", "pk")
        .distinct()
    )
    managers: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in rows:
        if team_id in team_ids:
            managers[team_id].append(user_id)
    return managers


class _Readers:
    """Who may open the cases of a batch of reminders. Team membership and allocation already hold for the
    candidates (the lead, the team's managers); what is left of the access rule is the restriction, read
    for the batch's restricted people only (two queries, none when there are none)."""

    def __init__(self, restricted_person_ids: set[int]):
        self.leads, self.named = (
            access.restricted_readers(restricted_person_ids) if restricted_person_ids else (set(), set())
        )

    def may_open(self, reminder: Reminder, user_id: int) -> bool:
        return (
            not reminder.about_restricted
            or user_id in self.leads
            or (reminder.about_person_id, user_id) in self.named
        )

    def first_who_may_open(self, reminder: Reminder, *candidates: list[int]) -> list[int]:
        """Of the first group with anyone who may open the case, those who may; else the unit leads."""
        for group in candidates:
            allowed = [user_id for user_id in group if self.may_open(reminder, user_id)]
            if allowed:
                return allowed
        return sorted(self.leads) if reminder.about_restricted else []


def notify_open_reminders() -> int:
    """Every open reminder's recipients notified (REMINDER), and, once escalated, its team's managers
    (ESCALATION): whatever is missing, at most once each (notify's unique constraint decides).

    Only the reminders still missing a notification are read (a NOT EXISTS on the notification's unique
    index), so a scan with nothing new reads nothing here, however many reminders are open."""
    N = Notification.objects.filter(reminder=OuterRef("pk"))
    reminder_sent = Exists(N.filter(kind=Notification.Kind.REMINDER))
    recipient_sent = Exists(N.filter(kind=Notification.Kind.REMINDER, user=OuterRef("recipient")))
    escalation_sent = Exists(N.filter(kind=Notification.Kind.ESCALATION))
    missing = (
        (Q(recipient__isnull=False) & ~recipient_sent)
        | (Q(recipient__isnull=True) & ~reminder_sent)
        | (Q(escalated_at__isnull=False) & ~escalation_sent)
    )
    reminders = list(
        Reminder.objects.filter(missing, status=Reminder.Status.OPEN)
        .order_by("pk")  # one order for every scan (see raise_due)
        .only(
            "pk", "rule", "due_on", "team_id", "recipient_id", "escalated_at",
            "enquiry_id", "concern_id", "plan_action_id",
        )
        # The person the case is about, to send nothing about a restricted one to those it is hidden from.
        .annotate(
            about_person_id=Coalesce("enquiry__person_id", "concern__person_id"),
            about_restricted=Coalesce("enquiry__person__is_restricted", "concern__person__is_restricted"),
        )
    )  # fmt: skip
    if not reminders:
        return 0
    sent = set()
    for pks in chunks([r.pk for r in reminders]):
        sent.update(
            Notification.objects.filter(reminder_id__in=among(pks))
            .order_by()
            .values_list("reminder_id", "user_id", "kind")
        )
    managers = team_managers({r.team_id for r in reminders})
    readers = _Readers({r.about_person_id for r in reminders if r.about_restricted})
    specs = []
    for reminder in reminders:
        team = managers.get(reminder.team_id, [])
        first = [reminder.recipient_id] if reminder.recipient_id else team
        wanted = [(Notification.Kind.REMINDER, readers.first_who_may_open(reminder, first, team))]
        if reminder.escalated_at is not None:
            wanted.append((Notification.Kind.ESCALATION, readers.first_who_may_open(reminder, team)))
        # Worded and addressed once per reminder, not once per person told (44,000 at national scale).
        url = message = None
        for kind, users in wanted:
            for user_id in users:
                if (reminder.pk, user_id, kind) in sent:
                    continue
                if url is None:
                    url, message = reminder_url(reminder), reminder_message(reminder)
                specs.append(
                    NotificationSpec(
                        user_id=user_id,
                        kind=kind,
                        message=message if kind == Notification.Kind.REMINDER else _escalated(message),
                        url=url,
                        reminder_id=reminder.pk,
                    )
                )
    return notify(specs=specs)
