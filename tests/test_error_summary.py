"""The GOV.UK error summary: every link lands on an element that exists on the page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_error_summary_links_land_on_real_elements(world, practitioner_client):
    _, concern, _ = world.cases["north"]
    # The concern decision form has radios (the decision) and text; submit it empty.
    concern.decision = "pending"
    concern.save()
    url = reverse("enquiries:concern_decide", args=[concern.pk])
    page = practitioner_client.post(url, {"version": concern.version}).content.decode()
    assert "There is a problem" in page
    anchors = re.findall(r"govuk-error-summary__list.*?</ul>", page, re.S)[0]
    targets = re.findall(r'href="#([^"]+)"', anchors)
    assert targets
    for target in targets:
        assert f'id="{target}"' in page, target


def test_sign_in_error_summary_is_an_alert(db, client):
    page = client.post(reverse("login"), {}).content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_username"' in page


def test_an_error_on_a_hidden_field_is_listed_not_an_empty_summary(world, practitioner_client):
    _, concern, _ = world.cases["north"]
    concern.decision = "pending"
    concern.save()
    url = reverse("enquiries:concern_decide", args=[concern.pk])
    # A page that failed to send the version it was loaded at (the bug the browser journey to closure found in
    # the outcome forms): the summary must say what to do, not just "There is a problem".
    page = practitioner_client.post(url, {"decision": "no_further_action"}).content.decode()
    summary = re.findall(r"govuk-error-summary__list.*?</ul>", page, re.S)[0]
    assert "This page is missing information it needs to save" in summary
