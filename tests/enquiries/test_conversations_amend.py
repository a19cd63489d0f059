"""The conversation log is append-only: nothing changes or deletes an entry; a correction is an amendment
linked to the original, and both are shown."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone

from enquiries.models import ConversationLog, Enquiry, SafeguardingConcern
from msp_cases.audit.models import AccessEvent

from .factories_conversations import ConversationLogFactory, conversation_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(world):
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    SafeguardingConcern.objects.update(received_at=ten_days_ago)
    Enquiry.objects.update(opened_at=ten_days_ago)
    return ConversationLogFactory(
        enquiry=world.cases["north"][2],
        recorded_by=world.users["practitioner_north"],
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        what_matters="\u201cI want to stay with my dog.\u201d",
        next_contact_on=timezone.localdate() - datetime.timedelta(days=1),  # agreed then, passed since
    )


@pytest.fixture
def practitioner(world, client_for):
    return client_for(world.users["practitioner_north"])


def _amend(client, log, based_on=None, **overrides):
    data = conversation_post(
        amendment_reason=overrides.pop("amendment_reason", "The dog is a cat"),
        based_on=str(based_on or log.pk),
        **overrides,
    )
    return client.post(reverse("enquiries:conversation_amend", args=[log.pk]), data)


def test_an_entry_cannot_be_changed_or_deleted_even_in_code(entry):
    entry.what_matters = "Rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    entry.refresh_from_db()
    assert entry.what_matters == "\u201cI want to stay with my dog.\u201d"


def test_there_is_no_url_that_edits_or_deletes_an_entry(entry, practitioner):
    for name in ["conversation_edit", "conversation_delete", "conversation_update"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"enquiries:{name}", args=[entry.pk])
    for suffix in ["edit/", "delete/", "update/"]:
        with pytest.raises(Resolver404):
            resolve(f"/conversations/{entry.pk}/{suffix}")
    # The entry's own page only reads.
    response = practitioner.post(
        reverse("enquiries:conversation_detail", args=[entry.pk]), {"what_matters": "x"}
    )
    assert response.status_code == 405
    entry.refresh_from_db()
    assert entry.what_matters == "\u201cI want to stay with my dog.\u201d"


def test_the_amend_page_shows_the_entry_and_starts_from_its_answers(entry, practitioner):
    page = practitioner.get(reverse("enquiries:conversation_amend", args=[entry.pk])).content.decode()
    assert "The entry as it stands" in page
    assert "I want to stay with my dog." in page  # read-only, and prefilled in the form
    assert f'name="based_on" value="{entry.pk}"' in page
    assert "What is being corrected and why" in page


def test_an_amendment_is_a_new_entry_and_the_original_is_kept(world, entry, practitioner):
    response = _amend(practitioner, entry, what_matters="\u201cI want to stay with my cat.\u201d")
    amendment = ConversationLog.objects.get(amends=entry)
    assert response["Location"] == reverse("enquiries:conversation_detail", args=[amendment.pk])
    assert amendment.what_matters == "\u201cI want to stay with my cat.\u201d"
    assert amendment.amendment_reason == "The dog is a cat"
    assert amendment.recorded_by == world.users["practitioner_north"]
    assert (amendment.enquiry, amendment.person) == (entry.enquiry, entry.person)
    entry.refresh_from_db()
    assert entry.what_matters == "\u201cI want to stay with my dog.\u201d"
    assert AccessEvent.objects.filter(action=AccessEvent.Action.CREATE, object_id=amendment.pk).exists()

    # Both pages link to each other; the original says it has been amended, by whom and why.
    original_page = practitioner.get(
        reverse("enquiries:conversation_detail", args=[entry.pk])
    ).content.decode()
    assert "I want to stay with my dog." in original_page
    assert "This entry has been amended" in original_page
    assert "The dog is a cat" in original_page
    assert str(world.users["practitioner_north"]) in original_page
    assert reverse("enquiries:conversation_detail", args=[amendment.pk]) in original_page
    amendment_page = practitioner.get(
        reverse("enquiries:conversation_detail", args=[amendment.pk])
    ).content.decode()
    assert "I want to stay with my cat." in amendment_page
    assert "View the original entry" in amendment_page
    # What the amendment changed, before and after.
    changed = amendment_page[amendment_page.index("Changed in this amendment") :]
    assert "What matters to the person, in their words" in changed
    assert "I want to stay with my dog." in changed and "I want to stay with my cat." in changed
    assert reverse("enquiries:conversation_detail", args=[entry.pk]) in amendment_page


def test_amending_an_amendment_amends_the_original_and_lists_newest_first(entry, practitioner):
    _amend(practitioner, entry, amendment_reason="First fix")
    first = ConversationLog.objects.get(amends=entry)
    _amend(practitioner, first, based_on=first.pk, amendment_reason="Second fix")
    second = ConversationLog.objects.exclude(pk__in=[entry.pk, first.pk]).get()
    assert second.amends == entry  # the chain stays flat
    page = practitioner.get(reverse("enquiries:conversation_detail", args=[entry.pk])).content.decode()
    assert page.index("Second fix") < page.index("First fix")


def test_two_amendments_from_the_same_version_the_second_is_refused(entry, practitioner, world, client_for):
    manager = client_for(world.users["manager_north"])
    first = _amend(practitioner, entry, what_matters="Practitioner's correction")
    assert first.status_code == 302
    second = _amend(manager, entry, based_on=entry.pk, what_matters="Manager's correction")
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this record" in page
    assert "Manager&#x27;s correction" in page  # what they typed is kept
    assert list(ConversationLog.objects.filter(amends=entry).values_list("what_matters", flat=True)) == [
        "Practitioner's correction"
    ]
    # The banner shows the other person's change, and saving again (having seen it) builds on it.
    assert "Practitioner&#x27;s correction" in page
    latest = ConversationLog.objects.get(amends=entry)
    assert f'name="based_on" value="{latest.pk}"' in page
    again = _amend(manager, entry, based_on=latest.pk, what_matters="Manager's correction")
    assert again.status_code == 302
    assert ConversationLog.objects.filter(amends=entry).count() == 2


def test_an_amendment_needs_a_reason(entry, practitioner):
    response = _amend(practitioner, entry, amendment_reason="")
    assert response.status_code == 200
    assert "Enter what is being corrected and why" in response.content.decode()
    assert not ConversationLog.objects.filter(amends=entry).exists()


def test_an_amendment_may_keep_a_next_contact_that_has_since_passed_but_not_set_a_new_past_one(
    entry, practitioner
):
    kept = entry.next_contact_on
    response = _amend(practitioner, entry, next_contact_on=kept - datetime.timedelta(days=1))
    assert "The date of the next contact must be today or in the future" in response.content.decode()
    assert _amend(practitioner, entry, next_contact_on=kept).status_code == 302
    assert ConversationLog.objects.get(amends=entry).next_contact_on == kept


def test_an_amendment_is_checked_like_any_entry(entry, practitioner):
    response = _amend(practitioner, entry, occurred_on=timezone.localdate() + datetime.timedelta(days=3))
    assert "The date of the conversation must be today or in the past" in response.content.decode()
    assert not ConversationLog.objects.filter(amends=entry).exists()


def test_no_amendment_on_a_closed_enquiry(entry, practitioner):
    Enquiry.objects.filter(pk=entry.enquiry_id).update(status=Enquiry.Status.CLOSED, closed_at=timezone.now())
    detail = practitioner.get(reverse("enquiries:conversation_detail", args=[entry.pk]))
    assert b"Amend this conversation" not in detail.content
    response = _amend(practitioner, entry)
    assert response.status_code == 409
    assert b"This enquiry is closed" in response.content
    assert not ConversationLog.objects.filter(amends=entry).exists()
