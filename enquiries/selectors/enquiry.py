"""Reads for the enquiry page: its timeline, the "What matters to me" summary and the plan.

Everything is fetched in a fixed number of queries (one per kind of record, and one for the members of staff
they name), whatever the number of items, and assembled in Python."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.utils import timezone

from msp_cases import access
from msp_cases.accounts.models import User

from ..models import ConversationLog, Enquiry, EnquiryEvent, Meeting, PlanAction
from ..models.choices import PlanActionStatus
from ..panels import conversation_tags, timeline_sources

# The timeline filter (?show=…): value → label, in the order the sub navigation shows them.
TIMELINE_FILTERS = {
    "all": "Everything",
    "conversations": "Conversations",
    "decisions": "Decisions and stages",
    "outcomes": "Outcomes",
    "plan": "Plan",
    "meetings": "Meetings",
    "documents": "Documents",  # "Document added", from the documents app's timeline source
}


@dataclass
class TimelineItem:
    # concern | decision | event | conversation | outcome | outcome_revision | outcome_withdrawn |
    # outcome_achievement | plan | meeting — picks the template
    kind: str
    at: datetime.datetime
    obj: object
    groups: frozenset[str]  # which filters show it
    extra: dict = field(default_factory=dict)

    @property
    def is_date_only(self) -> bool:
        return self.kind in ("meeting",)

    @property
    def template(self) -> str:
        """What draws the item: its source's own template (`extra["template"]`), else the one for its kind in
        templates/enquiries/enquiry/timeline/. One small template per kind, so each of a long timeline's
        hundreds of items renders only its own markup rather than testing its kind at every line."""
        return self.extra.get("template") or f"enquiries/enquiry/timeline/{self.kind}.html"


@dataclass
class Quote:
    text: str
    said_on: datetime.datetime
    conversation: ConversationLog


@dataclass
class EnquiryOverview:
    """All the enquiry page shows, read once."""

    items: list[TimelineItem]
    what_matters: Quote | None
    wants_to_happen: Quote | None
    next_contact_on: datetime.date | None
    plan_actions: list[PlanAction]
    overdue_actions: int
    days_open: int
    counts: dict[str, int]

    @property
    def next_contact_overdue(self) -> bool:
        return self.next_contact_on is not None and self.next_contact_on < timezone.localdate()


def as_datetime(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def is_overdue(action: PlanAction, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    done = (PlanActionStatus.DONE, PlanActionStatus.CANCELLED)
    return action.due_on < today and action.status not in done


def enquiry_conversations(*, user, enquiry: Enquiry) -> list[ConversationLog]:
    """Original entries of this enquiry (and of the concern it came from, before the enquiry opened), oldest
    first, each with its amendments attached (`amendments_list`, oldest first) and who recorded each. Scoped
    through the access layer like every other read."""
    conversations = _conversations(user=user, enquiry=enquiry)
    _attach_users(_conversation_users(conversations))
    return conversations


def _conversations(*, user, enquiry: Enquiry) -> list[ConversationLog]:
    """The original entries, each with its amendments, without who recorded them (`_attach_users`). Originals
    and amendments come in one read: an amendment carries its original's enquiry, concern and person
    (`conversation_amend` copies them), so the filter and the access rule that find one find the other."""
    entries = access.within(ConversationLog.objects.all(), user, enquiry)
    if enquiry.concern is not None:
        entries |= access.within(ConversationLog.objects.all(), user, enquiry.concern)
    entries = list(entries.order_by("occurred_at", "pk"))
    originals = {entry.pk: entry for entry in entries if entry.amends_id is None}
    for original in originals.values():
        original.amendments_list = []
    for amendment in sorted((e for e in entries if e.amends_id), key=lambda e: (e.recorded_at, e.pk)):
        if amendment.amends_id in originals:  # always, as an amendment shares its original's case
            originals[amendment.amends_id].amendments_list.append(amendment)
    return list(originals.values())


def _conversation_users(conversations: list[ConversationLog]) -> Iterator[tuple[object, str]]:
    for conversation in conversations:
        yield conversation, "recorded_by"
        for amendment in conversation.amendments_list:
            yield amendment, "recorded_by"


def _attach_users(references: Iterable[tuple[object, str]]) -> None:
    """Sets each (record, field) to its member of staff, read in one query for every kind of entry at once.
    Joined to each kind's query instead, every row carried its own copy of one of a handful of users, and at
    1,000,000 concerns the planner joined a long timeline's conversations to the users with a nested loop
    over every member of staff (18 of the query's 25 ms)."""
    references = [(record, name) for record, name in references if getattr(record, f"{name}_id") is not None]
    users = User.objects.in_bulk({getattr(record, f"{name}_id") for record, name in references})
    for record, name in references:
        setattr(record, name, users[getattr(record, f"{name}_id")])


def _latest_words(conversations: list[ConversationLog], field_name: str) -> Quote | None:
    """The most recent non-empty words for `field_name`, counting an amendment's correction as said when the
    original conversation happened, and recorded later."""
    best = None
    for original in conversations:
        for entry in [original, *original.amendments_list]:
            text = getattr(entry, field_name).strip()
            if not text:
                continue
            key = (original.occurred_at, entry.recorded_at or original.occurred_at, entry.pk)
            if best is None or key > best[0]:
                best = (key, Quote(text=text, said_on=original.occurred_at, conversation=original))
    return best[1] if best else None


def effective_words(original: ConversationLog, field_name: str):
    """A conversation's value for a field, as last corrected by an amendment that set it (other readers of the
    conversation log use it; the next contact itself is Enquiry.next_contact_on)."""
    value = getattr(original, field_name)
    for amendment in original.amendments_list:
        if getattr(amendment, field_name):
            value = getattr(amendment, field_name)
    return value


def case_timeline_items(
    *,
    concerns: list,
    events: list[EnquiryEvent],
    conversations: list[ConversationLog],
    plan_actions: list[PlanAction],
    meetings: list[Meeting],
    today: datetime.date,
) -> list[TimelineItem]:
    """The timeline's items from the enquiries app's own records, already read and in the user's scope: one
    enquiry's (its page) or every enquiry and concern of a person (their chronology). Who recorded each is
    read here in one query for all of them. Events must come oldest first within each enquiry: who had an
    enquiry before an allocation is the previous allocation of the same enquiry."""
    _attach_users(
        chain(
            ((concern, name) for concern in concerns for name in ("recorded_by", "decided_by")),
            ((event, name) for event in events for name in ("by", "allocated_to")),
            _conversation_users(conversations),
            ((action, "created_by") for action in plan_actions),
            ((meeting, "created_by") for meeting in meetings),
        )
    )
    items: list[TimelineItem] = []
    for concern in concerns:
        items.append(TimelineItem("concern", concern.received_at, concern, frozenset({"decisions"})))
        if concern.decided_at:
            items.append(TimelineItem("decision", concern.decided_at, concern, frozenset({"decisions"})))

    previous_lead: dict[int, object] = {}  # enquiry id → its lead before the event being read
    for event in events:
        extra = {}
        if event.kind == EnquiryEvent.Kind.ALLOCATED:
            # The model records who it went to; who had it before is the previous allocation in the chain.
            extra["from_lead"] = previous_lead.get(event.enquiry_id)
        if event.allocated_to_id:
            previous_lead[event.enquiry_id] = event.allocated_to
        items.append(TimelineItem("event", event.occurred_at, event, frozenset({"decisions"}), extra))

    tags = conversation_tags([conversation.pk for conversation in conversations])
    for conversation in conversations:
        groups = {"conversations"}
        if conversation.decisions.strip() or any(a.decisions.strip() for a in conversation.amendments_list):
            groups.add("decisions")
        extra = {"tags": tags[conversation.pk]} if conversation.pk in tags else {}
        items.append(
            TimelineItem("conversation", conversation.occurred_at, conversation, frozenset(groups), extra)
        )

    for action in plan_actions:
        action.is_overdue = is_overdue(action, today)
        items.append(TimelineItem("plan", action.created_at, action, frozenset({"plan"})))

    for meeting in meetings:
        items.append(TimelineItem("meeting", as_datetime(meeting.held_on), meeting, frozenset({"meetings"})))
    return items


def enquiry_overview(*, user, enquiry: Enquiry, show: str = "all") -> EnquiryOverview:
    """The enquiry's story in time order (oldest first), filtered to `show` (see TIMELINE_FILTERS), plus the
    headline facts. `enquiry` must come from `enquiry_get_for_user` (already in scope, concern joined)."""
    if show not in TIMELINE_FILTERS:
        show = "all"
    today = timezone.localdate()
    concern = enquiry.concern
    conversations = _conversations(user=user, enquiry=enquiry)
    plan_actions = list(access.within(PlanAction.objects.all(), user, enquiry))
    items = case_timeline_items(
        concerns=[concern] if concern is not None else [],
        events=list(access.within(EnquiryEvent.objects.all(), user, enquiry)),
        conversations=conversations,
        plan_actions=plan_actions,
        meetings=list(access.within(Meeting.objects.all(), user, enquiry)),
        today=today,
    )
    for source in timeline_sources():  # the desired outcomes' history, from the outcomes app
        if source.items is not None:
            items.extend(source.items(enquiry))

    counts = dict.fromkeys(TIMELINE_FILTERS, 0)
    for item in items:
        counts["all"] += 1
        for group in item.groups:
            counts[group] += 1
    shown = [item for item in items if show == "all" or show in item.groups]
    shown.sort(key=lambda item: (item.at, item.obj.pk))

    end = timezone.localdate(enquiry.closed_at) if enquiry.closed_at else today
    return EnquiryOverview(
        items=shown,
        what_matters=_latest_words(conversations, "what_matters"),
        wants_to_happen=_latest_words(conversations, "wants_to_happen"),
        # The field is the single truth: set by the latest conversation, or moved with the person's agreement
        next_contact_on=enquiry.next_contact_on,
        plan_actions=plan_actions,
        overdue_actions=sum(1 for a in plan_actions if a.is_overdue),
        days_open=(end - timezone.localdate(enquiry.opened_at)).days,
        counts=counts,
    )
