"""One vocabulary for "no": every refusal a service raises is a ServiceRefused with a message a user can act
on; "not allowed" is still Django's 403 and "not yours to see" its 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from enquiries.services.lifecycle import (
    EnquiryClosed,
    SignOffByAnotherManager,
    TransitionNotPermitted,
    TransitionRefused,
)
from enquiries.services.records import ConcernEnquiryClosed
from enquiries.services.reviews import manager_review_record
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError
from msp_cases.core.exceptions import Conflict, NotFound, NotPermitted, RecordClosed, ServiceRefused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("refusal", "kind"),
    [
        (TransitionRefused("Enter the reason for reopening the enquiry."), ServiceRefused),
        (TransitionNotPermitted("Only a manager in the enquiry's team can reopen it."), NotPermitted),
        (SignOffByAnotherManager("Another manager must approve this closure.", short="x"), TransitionRefused),
        (EnquiryClosed(), RecordClosed),
        (ConcernEnquiryClosed(), RecordClosed),
        (ConcurrentEditError(current=None), Conflict),
    ],
)
def test_every_refusal_is_a_service_refusal_with_words_to_act_on(refusal, kind):
    assert isinstance(refusal, kind) and isinstance(refusal, ServiceRefused)
    assert refusal.message.strip()


def test_not_permitted_and_not_found_keep_djangos_pages():
    assert issubclass(NotPermitted, PermissionDenied)
    assert issubclass(NotFound, Http404)
    assert ServiceRefused("Enter a reason", field="reason").field == "reason"


def test_a_practitioner_recording_a_manager_review_is_not_permitted(world):
    actor = Actor.of(world.users["practitioner_north"])
    with pytest.raises(NotPermitted, match="Only a manager"):
        manager_review_record(actor=actor, enquiry=world.cases["north"][2], note="Looks fine")
