"""Fewer clicks: "Start work" is one press on the enquiry page (a POST with the page's version, checked like
any step), and the caseload offers "Record a concern"."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from enquiries.models import Enquiry

pytestmark = pytest.mark.django_db

S = Enquiry.Status


def _open_enquiry(world):
    enquiry = world.cases["north"][2]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=S.OPEN)
    enquiry.refresh_from_db()
    return enquiry


def test_start_work_is_one_press_with_a_success_banner(world, client_for):
    enquiry = _open_enquiry(world)
    lead = client_for(world.users["practitioner_north"])
    page = lead.get(enquiry.get_absolute_url()).content.decode()
    start = reverse("enquiries:enquiry_start", args=[enquiry.pk])
    form = re.search(rf'<form method="post" action="{start}"[^>]*>(.*?)</form>', page, re.S)
    assert form, "Start work is a form that posts, not a link to a page"
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert f'name="version" value="{enquiry.version}"' in form.group(1)
    assert ">Start work</button>" in form.group(1)

    response = lead.post(start, {"version": enquiry.version}, follow=True)

    assert response.redirect_chain[-1][0] == enquiry.get_absolute_url()
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html and "Work on the enquiry has started" in html
    enquiry.refresh_from_db()
    assert enquiry.status == S.IN_PROGRESS


def test_start_work_still_needs_the_csrf_token_and_the_right(world, client_for):
    enquiry = _open_enquiry(world)
    start = reverse("enquiries:enquiry_start", args=[enquiry.pk])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["practitioner_north"])
    assert strict.post(start, {"version": enquiry.version}).status_code == 403
    # Someone in the team who neither leads it nor manages it: no button, and the step is refused.
    other = client_for(world.users["practitioner_south"])
    assert other.post(start, {"version": enquiry.version}).status_code == 404
    enquiry.refresh_from_db()
    assert enquiry.status == S.OPEN


def test_the_caseload_offers_record_a_concern_to_who_may(world, client_for):
    link = f'href="{reverse("enquiries:concern_create")}"'
    for who in ("practitioner_north", "manager_south"):
        html = client_for(world.users[who]).get(reverse("enquiries:caseload")).content.decode()
        assert link in html and ">Record a concern</a>" in html
    unit = client_for(world.users["unit"]).get(reverse("enquiries:caseload")).content.decode()
    assert link not in unit  # read-only
