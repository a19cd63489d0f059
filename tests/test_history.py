"""Field-level history of case records: who changed what, when, and from which address; and a case record is
never deleted, by any page, URL or admin screen, nor by deleting what it belongs to."""

import re
import uuid

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver
from simple_history.models import HistoricalRecords

from enquiries.models import Enquiry, NetworkMember, Person, SafeguardingConcern

from .enquiries.factories_enquiry import ConversationFactory, PlanActionFactory
from .factories import EnquiryFactory, UserFactory
from .outcomes.factories_outcomes import DesiredOutcomeFactory

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


# No case record is ever deleted. A case record is a model whose history keeps the author's address
# (`case_history()`): the person, the concern, the enquiry and everything recorded inside them.


def _case_models() -> list[type[models.Model]]:
    found = []
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if history is not None and any(f.name == "ip_address" for f in history.model._meta.fields):
            found.append(model)
    return found


def test_the_case_records_are_the_ones_this_file_speaks_of():
    """Guards the three checks below against passing over an empty list."""
    from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
    from outcomes.models import DesiredOutcome

    assert {
        Person,
        SafeguardingConcern,
        Enquiry,
        DesiredOutcome,
        ExperienceFeedbackPart1,
        ExperienceFeedbackPart2,
        OrganisationPerspective,
    } <= set(_case_models())


def test_no_case_record_is_registered_in_the_admin():
    from django.contrib import admin

    assert [m.__name__ for m in _case_models() if m in admin.site._registry] == []


def test_every_record_is_protected_from_the_deletion_of_its_person_concern_or_enquiry():
    """Deleting a person, a concern or an enquiry is refused while anything hangs off it, in every app; no
    foreign key to them cascades or goes null."""
    parents = (Person, SafeguardingConcern, Enquiry)
    loose = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.many_to_one or field.one_to_one
        if field.concrete and field.related_model in parents
        if field.remote_field.on_delete is not models.PROTECT
        # simple_history's own rows keep no constraint to the record (DO_NOTHING, by design).
        if not model.__name__.startswith("Historical")
    ]
    assert loose == []
    enquiry = EnquiryFactory()
    for record in (enquiry.person, enquiry.concern):
        with pytest.raises(ProtectedError), transaction.atomic():
            record.delete()
    assert Enquiry.objects.filter(pk=enquiry.pk).exists()


def _urls(resolver=None, prefix=""):
    """(route, view) for every URL pattern of the product (the admin's aside)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from _urls(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def test_no_url_deletes_a_case_record(world, client_for):
    """Every URL, sent DELETE and an empty POST by the roles that may change the North case (and by the unit
    lead, who sees every case), with real ids in it: no case record goes, and none is named for deleting."""
    assert [route for route, p in _urls() if re.search("delet|remov|destroy", f"{route} {p.name}")] == []

    person, concern, enquiry = world.cases["north"]
    ids = {
        "people": person.pk,
        "concerns": concern.pk,
        "enquiries": enquiry.pk,
        "network": NetworkMember.objects.create(person=person, name="A friend", relationship="friend").pk,
        "conversations": ConversationFactory(enquiry=enquiry).pk,
        "plan-actions": PlanActionFactory(enquiry=enquiry).pk,
        "outcomes": DesiredOutcomeFactory(enquiry=enquiry).pk,
    }
    deleted = []

    def seen(sender, instance, **kwargs):
        deleted.append(f"{sender.__name__} {instance.pk}")

    case_models = _case_models()
    counts = {m: m.objects.count() for m in case_models}
    for model in case_models:
        pre_delete.connect(seen, sender=model, weak=False, dispatch_uid=f"t-{model.__name__}")
    try:
        for role in ("practitioner_north", "manager_north", "unit_lead"):
            client = client_for(world.users[role])
            client.raise_request_exception = False  # what matters here is what is deleted, not the answer
            for route, pattern in _urls():
                if pattern.name in ("logout",):
                    continue
                pk = str(ids.get(route.split("/", 1)[0], 1))
                url = "/" + re.sub(r"<(?:\w+:)?\w+>", pk, re.sub(r"<uuid:\w+>", str(uuid.UUID(int=1)), route))
                client.delete(url)
                client.post(url, {})
    finally:
        for model in case_models:
            pre_delete.disconnect(sender=model, dispatch_uid=f"t-{model.__name__}")
    assert deleted == []
    assert {m: m.objects.count() for m in case_models} == counts
