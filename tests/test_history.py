"""Field-level history of case records: who changed what, when, and from which address."""

import pytest
from django.test import RequestFactory
from simple_history.models import HistoricalRecords

from enquiries.models import Enquiry

from .factories import EnquiryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_keeps_the_earlier_value_the_author_and_the_address():
    enquiry = EnquiryFactory(status=Enquiry.Status.OPEN)
    author = UserFactory()
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
    request.user = author
    # What simple_history's HistoryRequestMiddleware does for every request.
    HistoricalRecords.context.request = request
    try:
        enquiry.status = Enquiry.Status.IN_PROGRESS
        enquiry.save()
    finally:
        del HistoricalRecords.context.request

    latest, earlier = enquiry.history.all()[:2]
    assert (earlier.status, latest.status) == ("open", "in_progress")
    assert latest.history_user == author
    assert latest.ip_address == "192.0.2.10"
    delta = latest.diff_against(earlier)
    assert [change.field for change in delta.changes] == ["status"]


def test_case_records_are_never_deleted_through_the_access_layer():
    # No view, URL or admin registration deletes a case record: the models are PROTECTed from their
    # parents and none is registered in the admin.
    from django.contrib import admin

    from enquiries.models import Person, SafeguardingConcern

    for model in (Person, SafeguardingConcern, Enquiry):
        assert model not in admin.site._registry
