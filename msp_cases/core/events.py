"""What happens to the records a partner sent, told to the apps above that act on it: a registry, as the
navigation bar is. The services that make these changes (the front door's screening, a concern's decision, an
enquiry's closure) call `record_event(...)`; an app above registers a listener from its `AppConfig.ready()`
with `register_record_event_listener(...)` (msp_cases.partners: webhooks to the partner's system).

An event carries ids and coded values only, never a word of case content. Listeners run inside the service's
transaction, in the order registered: they write what they need (a row, so the event is kept if the
transaction commits and gone if it rolls back) and queue slow work with `transaction.on_commit`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

# The events, named as a partner's system reads them.
REFERRAL_RECEIVED = "referral.received"  # the front door screened a referral: routed, or closed at the door
CONCERN_DECIDED = "concern.decided"  # a concern decided: section 42, other enquiry, no further action
ENQUIRY_CONCLUDED = "enquiry.concluded"  # an enquiry's closure signed off

EVENT_NAMES = (REFERRAL_RECEIVED, CONCERN_DECIDED, ENQUIRY_CONCLUDED)


@dataclass(frozen=True)
class RecordEvent:
    name: str
    occurred_at: datetime.datetime
    referral_id: int | None = None
    concern_id: int | None = None
    enquiry_id: int | None = None
    # One coded value: the referral's state, the decision, the enquiry's outcome (SAC SG2c). Never free text.
    code: str = ""


RecordEventListener = Callable[[RecordEvent], None]

_listeners: dict[str, RecordEventListener] = {}


def register_record_event_listener(key: str, listener: RecordEventListener) -> None:
    """Called from an AppConfig.ready(). Registering the same key again replaces the listener."""
    _listeners[key] = listener


def record_event(event: RecordEvent) -> None:
    if event.name not in EVENT_NAMES:
        raise ValueError(f"Unknown record event: {event.name}")
    for listener in _listeners.values():
        listener(event)
