"""The organisation's perspective is recorded at sign-off: a closure cannot be approved without it, the
sign-off page shows it (or asks for it and links to the page that records it, which brings the manager back),
and no page offers to add it once the enquiry is closed."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryEvent
from enquiries.services import lifecycle
from enquiries.services.lifecycle import TransitionRefused
from feedback.models import OrganisationPerspective
from msp_cases.core.actor import Actor

from .factories_enquiry import make_ready_for_closure, set_status

pytestmark = pytest.mark.django_db

S = Enquiry.Status
MISSING = "Record the organisation’s perspective"


def sign_off_url(enquiry):
    return reverse("enquiries:enquiry_sign_off", args=[enquiry.pk])


def perspective_url(enquiry):
    return reverse("feedback:organisation_perspective", args=[enquiry.pk])


@pytest.fixture
def manager(world):
    return world.users["manager_north"]


@pytest.fixture
def proposed_without_perspective(world):
    enquiry = world.cases["north"][2]
    make_ready_for_closure(enquiry)
    OrganisationPerspective.objects.filter(enquiry=enquiry).delete()
    set_status(enquiry, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now())
    return enquiry


def test_approval_without_the_organisations_perspective_is_refused(proposed_without_perspective, manager):
    enquiry = proposed_without_perspective
    with pytest.raises(TransitionRefused, match=re.escape(f"The closure cannot be approved: {MISSING}")):
        lifecycle.enquiry_sign_off(actor=Actor.of(manager), enquiry=enquiry, approve=True)
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE
    assert not EnquiryEvent.objects.filter(enquiry=enquiry, kind=EnquiryEvent.Kind.CLOSED).exists()


def test_returning_a_closure_does_not_need_the_perspective(proposed_without_perspective, manager):
    enquiry = proposed_without_perspective
    lifecycle.enquiry_sign_off(actor=Actor.of(manager), enquiry=enquiry, approve=False, comments="Not yet")
    enquiry.refresh_from_db()
    assert enquiry.status == S.IN_PROGRESS


def test_the_sign_off_page_asks_for_it_and_a_forged_approval_is_refused(
    proposed_without_perspective, manager, client_for
):
    enquiry = proposed_without_perspective
    client = client_for(manager)
    html = client.get(sign_off_url(enquiry)).content.decode()
    assert "You must record the organisation’s perspective before you approve the closure" in html
    assert f'href="{perspective_url(enquiry)}?from=sign-off"' in html
    response = client.post(sign_off_url(enquiry), {"decision": "approve", "version": enquiry.version})
    assert response.status_code == 409
    assert f"The closure cannot be approved: {MISSING}" in response.content.decode()
    enquiry.refresh_from_db()
    assert enquiry.status == S.PROPOSED_FOR_CLOSURE


def test_recorded_from_the_sign_off_page_it_returns_there_shows_it_and_approval_succeeds(
    proposed_without_perspective, manager, client_for
):
    enquiry = proposed_without_perspective
    client = client_for(manager)
    page = client.get(f"{perspective_url(enquiry)}?from=sign-off").content.decode()
    assert f'href="{sign_off_url(enquiry)}"' in page  # the back link goes to the sign-off page
    response = client.post(
        f"{perspective_url(enquiry)}?from=sign-off",
        {"version": "", "systems_supported_msp": "partly", "could_be_better": "Earlier contact with the GP"},
    )
    assert response.status_code == 302
    assert response["Location"] == sign_off_url(enquiry)
    html = client.get(sign_off_url(enquiry)).content.decode()
    assert "You must record the organisation’s perspective" not in html
    assert "Earlier contact with the GP" in html and "Partly" in html
    assert "Change the organisation’s perspective" in html
    response = client.post(sign_off_url(enquiry), {"decision": "approve", "version": enquiry.version})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == S.CLOSED


def test_a_closed_enquiry_says_what_is_true_about_the_perspective(world, manager, client_for):
    """Closed before the perspective was asked for at sign-off: the page says it was not recorded and offers
    no link that would only say the enquiry is closed."""
    enquiry = world.cases["north"][2]
    set_status(enquiry, S.CLOSED, closed_at=timezone.now())
    html = client_for(manager).get(enquiry.get_absolute_url()).content.decode()
    assert "The organisation’s perspective was not recorded before this enquiry was closed." in html
    assert "The manager records it at sign-off" not in html
    assert perspective_url(enquiry) not in html


def test_an_open_enquiry_says_when_the_perspective_is_recorded(world, manager, client_for):
    enquiry = world.cases["north"][2]
    html = client_for(manager).get(enquiry.get_absolute_url()).content.decode()
    assert "Not recorded yet. The manager who signs off the closure records it before approving it." in html
