"""The practitioner's home: per enquiry, days open, last conversation with the person, next agreed contact and
overdue items, at a fixed number of queries however long the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, PlanActionStatus
from enquiries.selectors.caseload import caseload_enquiries
from tests.factories import EnquiryFactory, PersonFactory

from .factories_conversations import ConversationLogFactory, PlanActionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _ago(days: int, hours: int = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def _caseload(client, **params) -> tuple[str, list]:
    response = client.get(reverse("enquiries:caseload"), {"show": "mine", **params})
    assert response.status_code == 200
    return response.content.decode(), list(response.context["page"].object_list)


def _row(page: str, name: str) -> str:
    """The row of the enquiries table that names this person."""
    start = page.index(name, page.index("app-caseload-table"))
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]


def test_each_enquiry_shows_last_conversation_with_the_person_next_contact_and_overdue(world, client_for):
    today = timezone.localdate()
    north = world.cases["north"][2]
    Enquiry.objects.filter(pk=north.pk).update(opened_at=_ago(12))
    ConversationLogFactory(enquiry=north, occurred_at=_ago(5), with_person=True, next_contact_on=today + DAY)
    # A later call with a professional only: not "with the person", but its next contact now stands.
    ConversationLogFactory(
        enquiry=north,
        occurred_at=_ago(2),
        with_person=False,
        with_professional=True,
        next_contact_on=today - DAY,
    )
    PlanActionFactory(enquiry=north, due_on=today - 3 * DAY)  # overdue
    PlanActionFactory(
        enquiry=north, due_on=today - 3 * DAY, status=PlanActionStatus.DONE
    )  # done: not overdue
    PlanActionFactory(enquiry=north, due_on=today - 3 * DAY, status=PlanActionStatus.CANCELLED)
    PlanActionFactory(enquiry=north, due_on=today + DAY)  # not yet due

    page, rows = _caseload(client_for(world.users["practitioner_north"]))
    enquiry = next(e for e in rows if e.pk == north.pk)
    assert enquiry.open_for.days == 12
    assert timezone.localtime(enquiry.last_with_person_at).date() == today - 5 * DAY
    assert enquiry.next_contact_on == today - DAY
    assert (enquiry.overdue_plan_actions, enquiry.next_contact_overdue, enquiry.overdue_items) == (1, 1, 2)

    row = _row(page, "Casename-north")
    assert f"{(today - 5 * DAY):%-d %b %Y}" in row
    assert f"{(today - DAY):%-d %b %Y}" in row
    assert "Overdue</strong>" in row
    assert '2<span class="govuk-visually-hidden"> overdue</span>' in row
    assert ">12<" in row


def test_an_enquiry_with_no_conversations_says_none_yet(world, client_for):
    page, _rows = _caseload(client_for(world.users["practitioner_north"]))
    row = _row(page, "Casename-north")
    assert "None yet" in row
    assert "None agreed" in row
    assert "Overdue</strong>" not in row


def test_an_amended_conversation_counts_as_amended(world):
    """A correction of the date (or of who was there) is what the caseload shows, not the superseded entry."""
    north = world.cases["north"][2]
    original = ConversationLogFactory(enquiry=north, occurred_at=_ago(1), with_person=True)
    ConversationLogFactory(
        enquiry=north, occurred_at=_ago(3), with_person=True, amends=original, amendment_reason="Wrong day"
    )
    enquiry = caseload_enquiries(user=world.users["practitioner_north"]).get(pk=north.pk)
    assert timezone.localtime(enquiry.last_with_person_at).date() == timezone.localdate() - 3 * DAY


def test_a_closed_enquiry_has_nothing_overdue(world):
    north = world.cases["north"][2]
    ConversationLogFactory(enquiry=north, next_contact_on=timezone.localdate() - 5 * DAY)
    PlanActionFactory(enquiry=north, due_on=timezone.localdate() - 5 * DAY)
    closed_at = timezone.now() - 2 * DAY
    Enquiry.objects.filter(pk=north.pk).update(
        status=Enquiry.Status.CLOSED, opened_at=closed_at - 20 * DAY, closed_at=closed_at
    )
    enquiry = caseload_enquiries(user=world.users["practitioner_north"]).get(pk=north.pk)
    assert enquiry.overdue_items == 0
    assert enquiry.open_for.days == 20  # days open stops at closure


def _fill_caseload(world, count: int) -> None:
    practitioner = world.users["practitioner_north"]
    for i in range(count):
        enquiry = EnquiryFactory(
            person=PersonFactory(family_name=f"Load{i:03d}"), team=world.north, lead_practitioner=practitioner
        )
        ConversationLogFactory(
            enquiry=enquiry, occurred_at=_ago(2), next_contact_on=timezone.localdate() - DAY
        )
        PlanActionFactory(enquiry=enquiry, due_on=timezone.localdate() - DAY)


def _count_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        _page, rows = _caseload(client)
    return len(ctx.captured_queries), len(rows)


def test_the_caseload_costs_the_same_number_of_queries_for_3_or_30_enquiries(world, client_for):
    client = client_for(world.users["practitioner_north"])
    _fill_caseload(world, 2)  # + "north" and "south allocated to north" = 4 rows
    small, small_rows = _count_queries(client)
    _fill_caseload(world, 28)
    large, large_rows = _count_queries(client)
    assert (small_rows, large_rows) == (4, 25)  # a full page
    assert small == large
    # And every annotated row is right, not just cheap.
    _page, rows = _caseload(client)
    loaded = [e for e in rows if e.person.family_name.startswith("Load")]
    assert loaded and all(e.overdue_items == 2 and e.last_with_person_at is not None for e in loaded)


@pytest.mark.parametrize(
    ("sort", "order", "first"),
    [
        ("overdue", "desc", "Casename-south_allocated_to_north"),
        ("overdue", "asc", "Casename-north"),
        ("days_open", "desc", "Casename-north"),
        ("days_open", "asc", "Casename-south_allocated_to_north"),
        ("person", "asc", "Casename-north"),
        ("next_contact", "asc", "Casename-south_allocated_to_north"),
    ],
)
def test_the_list_sorts_by_any_column_across_the_whole_list(world, client_for, sort, order, first):
    north, other = world.cases["north"][2], world.cases["south_allocated_to_north"][2]
    Enquiry.objects.filter(pk=north.pk).update(opened_at=_ago(30))
    Enquiry.objects.filter(pk=other.pk).update(opened_at=_ago(3))
    PlanActionFactory(enquiry=other, due_on=timezone.localdate() - DAY)
    ConversationLogFactory(enquiry=other, next_contact_on=timezone.localdate() + DAY)
    page, rows = _caseload(client_for(world.users["practitioner_north"]), sort=sort, order=order)
    assert rows[0].person.family_name == first
    # The heading tells assistive technology how the table is sorted.
    assert f'aria-sort="{"descending" if order == "desc" else "ascending"}"' in page


def test_the_table_is_labelled_for_screen_readers(world, client_for):
    page, _rows = _caseload(client_for(world.users["practitioner_north"]))
    assert '<caption class="govuk-table__caption' in page
    assert 'scope="col"' in page and 'scope="row"' in page
    for heading in ["Days open", "Last conversation with the person", "Next agreed contact", "Overdue items"]:
        assert heading in page
