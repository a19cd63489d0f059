"""The person's chronology: the significant events of every concern and enquiry about them that the user may
see, in date order, one line each, as a safeguarding adults review asks for.

Built from the enquiry timeline's own pieces (`case_timeline_items`, and the `person_items` of the timeline
sources other apps register), read for the whole person at once: a fixed number of queries (one per kind of
record, one for the staff they name) however many events, then filtered and paged in Python. Every read goes
through msp_cases.access: another team's enquiry the user may not see, or a restricted one, adds nothing."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import Truncator

from msp_cases import access

from ..models import ConversationLog, Enquiry, EnquiryEvent, Meeting, Person, PlanAction, SafeguardingConcern
from ..panels import timeline_sources
from .enquiry import TimelineItem, case_timeline_items

# The kinds of event a user may choose to see (checkboxes): value → label. The timeline's groups, so an item
# is in the same kind here as under the enquiry page's "Show on the timeline"; feedback is the chronology's.
CHRONOLOGY_KINDS = {
    "decisions": "Concerns, decisions and stages",
    "conversations": "Conversations",
    "meetings": "Meetings",
    "plan": "Safeguarding plan",
    "outcomes": "Outcomes",
    "documents": "Documents and letters",
    "feedback": "My Safeguarding Experience",
}
LINE_LENGTH = 200  # characters of free text on a line; the record itself has the rest


@dataclass
class ChronologyRecord:
    """A concern or an enquiry the chronology's events belong to, as the filter and each line name it."""

    key: str  # "concern-12" | "enquiry-7": the filter's value
    label: str
    url: str
    at: datetime.datetime


@dataclass
class ChronologyEntry:
    at: datetime.datetime
    date_only: bool
    kind: str  # the TimelineItem's kind: data-kind on the page
    title: str
    line: str
    by: str
    record: ChronologyRecord | None
    groups: frozenset[str]
    sort_key: tuple
    # Short tags beside the title, such as "Imported from Mosaic" (enquiries.panels.ConversationTag).
    tags: tuple[str, ...] = ()

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.at)


@dataclass
class Chronology:
    entries: list[ChronologyEntry]  # every event, oldest first
    records: list[ChronologyRecord]  # every concern and enquiry of the person the user may see, oldest first
    _enquiry_concerns: list[tuple[str, str]]  # (enquiry key, key of the concern it came from)

    def filtered(
        self,
        *,
        date_from: datetime.date | None = None,
        date_to: datetime.date | None = None,
        kinds: list[str] | None = None,
        record: str = "",
    ) -> tuple[list[ChronologyEntry], dict[str, int]]:
        """The entries to show, and how many of each kind there are within the dates and record chosen.
        `kinds` (CHRONOLOGY_KINDS) empty means every kind; `record` ("enquiry-7", "concern-12") narrows to
        one enquiry and the concern it came from, or to one concern and any enquiry opened from it."""
        entries = self.entries
        if date_from:
            entries = [e for e in entries if timezone.localdate(e.at) >= date_from]
        if date_to:
            entries = [e for e in entries if timezone.localdate(e.at) <= date_to]
        if record:
            related = {record}
            for pair in self._enquiry_concerns:
                if record in pair:
                    related |= set(pair)
            entries = [e for e in entries if e.record is not None and e.record.key in related]
        counts = dict.fromkeys(CHRONOLOGY_KINDS, 0)
        for entry in entries:
            for group in entry.groups & counts.keys():
                counts[group] += 1
        if kinds:
            entries = [e for e in entries if e.groups & set(kinds)]
        return entries, counts


def _short(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(LINE_LENGTH)


def person_chronology(*, user, person: Person) -> Chronology:
    """Every event of the person's records the user may see. `person` must come from
    `person_get_for_user`."""
    concerns = list(
        access.scoped(SafeguardingConcern.objects.filter(person=person), user)
        .prefetch_related("risk_types")
        .order_by("received_at", "pk")
    )
    enquiries = list(access.scoped(Enquiry.objects.filter(person=person), user).order_by("opened_at", "pk"))
    enquiry_ids = [enquiry.pk for enquiry in enquiries]
    items = case_timeline_items(
        concerns=concerns,
        # The enquiries' parts, read by the enquiries already found in scope (as access.within does for one).
        events=list(EnquiryEvent.objects.filter(enquiry_id__in=enquiry_ids).order_by("occurred_at", "pk")),
        conversations=_conversations(user=user, person=person),
        plan_actions=list(PlanAction.objects.filter(enquiry_id__in=enquiry_ids)),
        meetings=list(Meeting.objects.filter(enquiry_id__in=enquiry_ids)),
        today=timezone.localdate(),
    )
    for source in timeline_sources():
        if source.person_items is not None:
            items.extend(source.person_items(user=user, person=person, enquiries=enquiries))

    records = _records(concerns, enquiries)
    by_key = {r.key: r for r in records}
    entries = [_entry(item, by_key, {e.pk: e for e in enquiries}) for item in items]
    entries.sort(key=lambda entry: entry.sort_key)
    pairs = [(f"enquiry-{e.pk}", f"concern-{e.concern_id}") for e in enquiries if e.concern_id]
    return Chronology(entries=entries, records=records, _enquiry_concerns=pairs)


def _conversations(*, user, person: Person) -> list[ConversationLog]:
    """Every original conversation about the person the user may see, each with its amendments
    (`amendments_list`): one query."""
    originals = (
        access.scoped(ConversationLog.objects.filter(person=person, amends__isnull=True), user)
        .prefetch_related(Prefetch("amendments", queryset=ConversationLog.objects.order_by("recorded_at")))
        .order_by("occurred_at", "pk")
    )
    conversations = list(originals)
    for conversation in conversations:
        conversation.amendments_list = list(conversation.amendments.all())
    return conversations


def _records(concerns: list[SafeguardingConcern], enquiries: list[Enquiry]) -> list[ChronologyRecord]:
    records = [
        ChronologyRecord(
            key=f"concern-{c.pk}",
            label=f"Concern received {c.received_at:%-d %B %Y}",
            url=c.get_absolute_url(),
            at=c.received_at,
        )
        for c in concerns
    ] + [
        ChronologyRecord(
            key=f"enquiry-{e.pk}",
            label=f"{e.get_enquiry_type_display()} opened {e.opened_at:%-d %B %Y}",
            url=e.get_absolute_url(),
            at=e.opened_at,
        )
        for e in enquiries
    ]
    records.sort(key=lambda r: r.at)
    return records


def _record_key(item: TimelineItem) -> str:
    if item.kind in ("concern", "decision"):
        return f"concern-{item.obj.pk}"
    enquiry_id = item.extra.get("enquiry_id") or getattr(item.obj, "enquiry_id", None)
    if enquiry_id:
        return f"enquiry-{enquiry_id}"
    concern_id = item.extra.get("concern_id") or getattr(item.obj, "concern_id", None)
    return f"concern-{concern_id}" if concern_id else ""


def _entry(item: TimelineItem, records: dict, enquiries: dict[int, Enquiry]) -> ChronologyEntry:
    title, line, by = _describe(item, enquiries)
    return ChronologyEntry(
        at=item.at,
        date_only=item.is_date_only or bool(item.extra.get("date_only")),  # a meeting, a form's date
        kind=item.kind,
        title=title,
        line=line,
        by=by,
        record=records.get(_record_key(item)),
        groups=item.groups,
        sort_key=(item.at, item.kind, item.obj.pk),
        tags=tuple(item.extra.get("tags", ())),
    )


def _describe(item: TimelineItem, enquiries: dict[int, Enquiry]) -> tuple[str, str, str]:
    """(title, short line, by whom) of an item: the enquiries app's kinds here, other apps' in their
    `extra`."""
    obj = item.obj
    if item.kind == "concern":
        return "Concern received", _concern_line(obj), str(obj.recorded_by or "")
    if item.kind == "decision":
        return _decision_title(obj), _decision_line(obj), str(obj.decided_by or "")
    if item.kind == "event":
        return obj.get_kind_display(), _event_line(item, enquiries.get(obj.enquiry_id)), str(obj.by)
    if item.kind == "conversation":
        whom = ", ".join(obj.with_whom)
        title = f"Conversation with {whom}" if whom else "Conversation"
        said = obj.what_matters or obj.wants_to_happen or obj.decisions or obj.persons_view_of_risks
        line = f"{obj.get_method_display()}. {_short(said)}" if said else obj.get_method_display()
        return title, line, str(obj.recorded_by)
    if item.kind == "plan":
        agreed = "agreed with the person" if obj.agreed_with_person else "not agreed with the person"
        due = f"by {obj.due_on:%-d %B %Y}"
        line = f"{_short(obj.what)} ({obj.who}, {due}; {agreed}; {obj.get_status_display()})"
        return "Safeguarding plan action added", line, str(obj.created_by)
    if item.kind == "meeting":
        line = f"{obj.get_participation_display()}. Attended: {_short(obj.attendees)}"
        return obj.get_kind_display(), line, str(obj.created_by)
    return item.extra.get("title", item.kind), item.extra.get("line", ""), str(item.extra.get("by", ""))


def _concern_line(concern: SafeguardingConcern) -> str:
    if concern.referrer_anonymous:
        raised = "Raised by an anonymous referrer"
    else:
        who = ", ".join(p for p in (concern.referrer_role, concern.referrer_organisation) if p)
        raised = f"Raised by {concern.referrer_name or 'an unnamed referrer'}" + (f" ({who})" if who else "")
    types = ", ".join(t.label for t in concern.risk_types.all())
    parts = [raised, f"Type of abuse: {types}" if types else "", _short(concern.summary)]
    return ". ".join(p for p in parts if p)


def _decision_title(concern: SafeguardingConcern) -> str:
    if concern.decision == SafeguardingConcern.Decision.SECTION_42:
        return "Decision: Section 42 duty met"
    if concern.decision == SafeguardingConcern.Decision.OTHER_ENQUIRY:
        return "Decision: Section 42 duty not met, other safeguarding enquiry"
    return f"Decision: Section 42 duty not met, {concern.get_decision_display().lower()}"


def _decision_line(concern: SafeguardingConcern) -> str:
    parts = [_short(concern.decision_rationale)]
    no_further_action = concern.decision == SafeguardingConcern.Decision.NO_FURTHER_ACTION
    if no_further_action and concern.no_further_action_response:
        parts.append(f"Advice and other services: {_short(concern.no_further_action_response)}")
    return ". ".join(p for p in parts if p)


def _event_line(item: TimelineItem, enquiry: Enquiry | None) -> str:
    event = item.obj
    parts = []
    if event.kind == EnquiryEvent.Kind.OPENED and enquiry is not None:
        parts.append(enquiry.get_enquiry_type_display())
    if event.allocated_to_id:
        from_lead = item.extra.get("from_lead")
        to = event.allocated_to
        parts.append(f"From {from_lead} to {to}" if from_lead else f"Lead practitioner: {to}")
    if event.comment:
        parts.append(_short(event.comment))
    if event.kind == EnquiryEvent.Kind.CLOSED and enquiry is not None and enquiry.closure_summary:
        parts.append(f"Closure summary: {_short(enquiry.closure_summary)}")
    return ". ".join(parts)
