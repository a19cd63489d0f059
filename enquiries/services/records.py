"""Whether a record may still be written: the one answer to "does this belong to a closed enquiry?".

A closed enquiry's record was signed off as it stands. Everything that belongs to it is settled until a
manager reopens the enquiry (with a reason): its conversations, plan actions, meetings, desired outcomes,
manager reviews and agreed date changes — and the conversations recorded on the concern it came from, which
show on the enquiry's timeline. New information about the person after closure is a new concern.

Every write service calls `ensure_record_writable` inside its transaction, whichever page (enquiry, concern,
person, a forged POST) led there; pages call `record_write_refusal` to decide whether to offer the link and
what to say instead, so a link is never offered that the service would refuse.

The service reads the enquiry's stage from the database under a row lock (`select_for_update`), not from the
caller's copy: a page loaded before sign-off cannot write after it, and a write and a sign-off at the same
moment are taken one after the other (sign-off locks the same row)."""

from django.db.models import Q

from msp_cases.core.exceptions import RecordClosed

from ..models import Enquiry, SafeguardingConcern

CONCERN_ENQUIRY_CLOSED_MESSAGE = (
    "This concern\u2019s enquiry is closed. A manager must reopen the enquiry to record more on it. "
    "To record new information about the person, record a new concern."
)


class EnquiryClosed(RecordClosed):
    """A closed enquiry's record is settled: reopen it (with a reason) before changing it."""

    def __init__(self):
        super().__init__("This enquiry is closed. A manager must reopen it before it can be changed.")


def ensure_enquiry_not_closed(enquiry: Enquiry) -> None:
    if enquiry.status == Enquiry.Status.CLOSED:
        raise EnquiryClosed()


class ConcernEnquiryClosed(EnquiryClosed):
    """The record hangs off a concern whose enquiry is closed (a conversation before the enquiry opened)."""

    def __init__(self):
        RecordClosed.__init__(self, CONCERN_ENQUIRY_CLOSED_MESSAGE)


def _belongs_to(record) -> tuple[Q | None, bool]:
    """Which enquiries `record` belongs to, as a filter on Enquiry (None: none), and whether it is through a
    concern. An enquiry belongs to itself; a record with an enquiry to that enquiry; a record on a concern (or
    the concern itself) to every enquiry opened from the concern."""
    if isinstance(record, Enquiry):
        return Q(pk=record.pk), False
    if isinstance(record, SafeguardingConcern):
        return Q(concern_id=record.pk), True
    enquiry_id = getattr(record, "enquiry_id", None)
    if enquiry_id is not None:
        return Q(pk=enquiry_id), False
    concern_id = getattr(record, "concern_id", None)
    if concern_id is not None:
        return Q(concern_id=concern_id), True
    for parent in ("outcome", "plan_action", "amends"):  # records that hang off another child record
        if getattr(record, f"{parent}_id", None) is not None:
            return _belongs_to(getattr(record, parent))
    return None, False


def _refusal(record, *, lock: bool) -> EnquiryClosed | None:
    belongs, through_concern = _belongs_to(record)
    if belongs is None:
        return None
    enquiries = Enquiry.objects.filter(belongs)
    if lock:
        enquiries = enquiries.select_for_update()
    if not any(status == Enquiry.Status.CLOSED for status in enquiries.values_list("status", flat=True)):
        return None
    return ConcernEnquiryClosed() if through_concern else EnquiryClosed()


def record_write_refusal(record) -> EnquiryClosed | None:
    """Why nothing more may be written to `record` (or under it), or None when it may. For pages: whether to
    offer "Record", "Amend" or "Change", and the message to show instead. One query."""
    return _refusal(record, lock=False)


def ensure_record_writable(record) -> None:
    """For write services, inside their transaction: raise EnquiryClosed (ConcernEnquiryClosed through a
    concern) when `record` belongs to a closed enquiry. Locks the enquiry rows it reads."""
    refusal = _refusal(record, lock=True)
    if refusal is not None:
        raise refusal
