"""Submitted versions of the SAC return, on the hand-worked data of test_sac.py: a version keeps the figures
as they were submitted whatever happens to the records later, and the comparison with the figures now names
the records that moved under the cell they moved in or out of."""

import io
import urllib.parse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from enquiries.models import Enquiry
from enquiries.models.choices import ActionResult, RiskOutcome
from msp_cases.audit.models import AccessEvent
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import Conflict, NotPermitted
from msp_cases.reports.models import SacSubmission
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.submissions import services
from msp_cases.reports.submissions.frozen import record_ids_thawed, submitted_return
from msp_cases.reports.submissions.services import sac_submission_create

from ..factories import ConcernFactory, PersonFactory
from ..reviews.helpers import review
from .test_sac import CONCLUDED, END, PERIOD, START, _all, _north, at, sac_data  # noqa: F401 (a fixture: hand_worked)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_worked(request) -> dict:
    """test_sac.py's hand-worked people and enquiries (its `sac_data`), every cell of their return known."""
    return request.getfixturevalue("sac_data")


RISK_ACTION, RISK_NO_ACTION = ActionResult.RISK_ACTION.label, ActionResult.RISK_NO_ACTION.label
SUBMIT_URL = f"{reverse('reports:sac_submit')}?{urllib.parse.urlencode({**PERIOD, 'team': ''})}"


def _post_submit(client, *, seen_version=0, note="SDCS ref 2026-0001", confirmed=True):
    data = {"note": note, "seen_version": seen_version}
    if confirmed:
        data["confirmed"] = "on"
    return client.post(SUBMIT_URL, data)


def _sg2c(figures, row):
    return figures.table("SG2c").cell(row, CONCLUDED)


def test_unit_staff_mark_the_return_submitted_and_it_keeps_the_figures_as_they_were(
    world,
    hand_worked,
    unit_client,
):
    before = sac_return(scope=_all(world))
    assert (_sg2c(before, RISK_ACTION), _sg2c(before, RISK_NO_ACTION)) == (2, 0)  # E1 and E5

    page = unit_client.get(SUBMIT_URL)
    assert page.status_code == 200
    assert b"1 April 2025 to 31 March 2026" in page.content
    assert b"1: the first submission for this period" in page.content
    response = _post_submit(unit_client)
    submission = SacSubmission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:sac_submission", args=[submission.pk])
    assert (submission.period_start, submission.period_end, submission.team, submission.version) == (
        START,
        END,
        None,
        1,
    )
    assert submission.submitted_by == world.users["unit"]
    assert submission.note == "SDCS ref 2026-0001"
    # The actual figures, unrounded, as the JSON of the return gives them (with the blocks disclosure control
    # reads).
    frozen_tables = [{k: v for k, v in t.items() if k != "blocks"} for t in submission.figures["tables"]]
    assert frozen_tables == before.as_dict(suppress=False)["tables"]
    assert AccessEvent.objects.filter(
        object_id=submission.pk, action=AccessEvent.Action.CREATE, user=world.users["unit"]
    ).exists()

    # The records behind each cell are kept with it.
    e1, e5 = hand_worked["enquiries"][0], hand_worked["enquiries"][4]
    behind = record_ids_thawed(submission.record_ids)
    assert behind[("SG2c", RISK_ACTION, CONCLUDED)] == ("enquiry", sorted([e1.pk, e5.pk]))
    assert submission.data_quality_count > 0  # P3 and P4 among them

    # The records move on: E1's action result corrected, E4 reopened (no longer concluded in the period).
    e4 = hand_worked["enquiries"][3]
    Enquiry.objects.filter(pk=e1.pk).update(action_result=ActionResult.RISK_NO_ACTION)
    Enquiry.objects.filter(pk=e4.pk).update(status=Enquiry.Status.IN_PROGRESS, closed_at=None)
    now = sac_return(scope=_all(world))
    assert (_sg2c(now, RISK_ACTION), _sg2c(now, RISK_NO_ACTION)) == (1, 1)

    # The version is the return as submitted, every cell of it.
    submission.refresh_from_db()
    frozen = submitted_return(submission)
    assert frozen.tables == before.tables
    page = unit_client.get(reverse("reports:sac_submission", args=[submission.pk]))
    shown = {table.id: dict(rows) for table, rows in page.context["tables"]}
    assert shown["SG2c"][RISK_ACTION][0] == 2
    assert b"SDCS ref 2026-0001" in page.content
    # ... with disclosure control as the publication would have shown it then.
    page = unit_client.get(reverse("reports:sac_submission", args=[submission.pk]), {"suppress": "1"})
    shown = {table.id: dict(rows) for table, rows in page.context["tables"]}
    assert shown["SG2c"][RISK_ACTION][0] == "[c]"

    # The workbook of the version is made from the frozen figures, not counted again.
    response = unit_client.get(reverse("reports:sac_submission_workbook", args=[submission.pk]))
    assert response["Content-Disposition"].endswith('version-1.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content))["SG2c"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert (values[RISK_ACTION], values[RISK_NO_ACTION]) == (2, 0)


def test_the_comparison_shows_what_changed_and_the_records_that_moved(world, hand_worked, unit_client):
    _post_submit(unit_client)
    submission = SacSubmission.objects.get()
    e1 = hand_worked["enquiries"][0]
    Enquiry.objects.filter(pk=e1.pk).update(action_result=ActionResult.RISK_NO_ACTION)

    response = unit_client.get(reverse("reports:sac_submission_compare", args=[submission.pk]))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    changed = {(c.table, c.row, c.column): c for t in comparison.tables for c in t.changed_cells}
    # SG2c moves E1 between its rows; SG2e counts a risk outcome only where action was taken: E1 leaves it.
    assert set(changed) == {
        ("SG2c", RISK_ACTION, CONCLUDED),
        ("SG2c", RISK_NO_ACTION, CONCLUDED),
        ("SG2e", RiskOutcome.REDUCED.label, CONCLUDED),
    }
    was, now = changed[("SG2c", RISK_ACTION, CONCLUDED)], changed[("SG2c", RISK_NO_ACTION, CONCLUDED)]
    assert (was.then, was.now, was.difference) == (2, 1, -1)
    assert (now.then, now.now, now.difference) == (0, 1, 1)
    assert comparison.records_known
    assert was.no_longer.ids == [e1.pk] and not was.newly.ids
    assert now.newly.ids == [e1.pk] and not now.no_longer.ids
    assert [r.label for r in now.newly.named] == [f"Enquiry {e1.pk}: Alice Sacone"]
    assert f'href="{e1.get_absolute_url()}"'.encode() in response.content
    # Names shown are reads of the person's record.
    assert AccessEvent.objects.filter(person=e1.person, user=world.users["unit"]).exists()
    # A figure now opens the records it counts now.
    assert f"table=SG2c&amp;row={now.now_at[0]}&amp;column=0".encode() in response.content
    records_now = unit_client.get(
        reverse("reports:sac_cell"),
        {**PERIOD, "team": "", "table": "SG2c", "row": now.now_at[0], "column": 0},
    )
    assert b"Alice Sacone" in records_now.content
    # Only the figures that changed by default; every figure on asking.
    assert [t.id for t, cells in response.context["tables"]] == ["SG2c", "SG2e"]
    every = unit_client.get(reverse("reports:sac_submission_compare", args=[submission.pk]), {"all": "1"})
    assert len(every.context["tables"]) == len(comparison.tables) > 1


def test_a_record_the_viewer_may_not_open_is_counted_without_its_name(world, hand_worked, unit_client):
    _post_submit(unit_client)
    submission = SacSubmission.objects.get()
    # A concern about a restricted person received in the period, after the return was submitted: unit
    # staff who are not unit leads may not open it.
    hidden = PersonFactory(given_name="Hidden", family_name="Restrictedsac", is_restricted=True)
    ConcernFactory(person=hidden, team=world.north, received_at=at(2025, 10, 1, 10))

    response = unit_client.get(reverse("reports:sac_submission_compare", args=[submission.pk]))
    assert b"Restrictedsac" not in response.content
    comparison = response.context["comparison"]
    assert comparison.records_known
    cells = [c for t in comparison.tables for c in t.changed_cells if c.newly and c.newly.ids]
    assert cells and all(c.newly.hidden == 1 and not c.newly.named for c in cells)
    assert b"1 record you cannot open" in response.content


def test_practitioners_and_managers_cannot_mark_or_read_submitted_versions(world, hand_worked, client_for):
    submission = sac_submission_create(
        actor=Actor.of(world.users["unit"]), scope=_all(world), note="", seen_version=0
    )
    urls = [
        SUBMIT_URL,
        reverse("reports:sac_submissions"),
        reverse("reports:sac_submission", args=[submission.pk]),
        reverse("reports:sac_submission_workbook", args=[submission.pk]),
        reverse("reports:sac_submission_compare", args=[submission.pk]),
    ]
    for role in ("practitioner_north", "manager_north", "admin"):
        client = client_for(world.users[role])
        assert [client.get(url).status_code for url in urls] == [403] * len(urls), role
        assert _post_submit(client, seen_version=1).status_code == 403
    assert SacSubmission.objects.count() == 1
    # The manager's SAC page has no button; the unit's has.
    assert (
        b"Mark as submitted"
        not in client_for(world.users["manager_north"]).get(reverse("reports:sac")).content
    )
    assert b"Mark as submitted" in client_for(world.users["unit"]).get(reverse("reports:sac")).content
    with pytest.raises(NotPermitted):
        sac_submission_create(
            actor=Actor.of(world.users["manager_north"]), scope=_north(world), note="", seen_version=1
        )


def test_one_teams_figures_are_not_submitted(world, hand_worked, unit_client):
    url = f"{reverse('reports:sac_submit')}?{urllib.parse.urlencode({**PERIOD, 'team': world.north.pk})}"
    assert unit_client.get(url).status_code == 404
    assert b"Mark as submitted" not in unit_client.get(url.replace("submit/", "")).content
    with pytest.raises(NotPermitted):
        sac_submission_create(
            actor=Actor.of(world.users["unit"]), scope=_north(world), note="", seen_version=0
        )


def test_without_the_confirmation_nothing_is_saved_and_the_page_says_why(world, hand_worked, unit_client):
    response = _post_submit(unit_client, confirmed=False, note="x" * 501)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Confirm that this return has been submitted" in response.content
    assert b"The note must be 500 characters or fewer" in response.content
    assert response.context["form"].errors
    # A form sent empty is told what is missing too.
    assert b"govuk-error-summary" in unit_client.post(SUBMIT_URL, {}).content
    assert SacSubmission.objects.count() == 0


def test_the_same_form_sent_twice_makes_one_version_and_says_so(world, hand_worked, unit_client):
    first = _post_submit(unit_client)
    second = _post_submit(unit_client)
    assert first.status_code == 302
    assert second.status_code == 200
    assert b"govuk-error-summary" in second.content
    assert b"was marked as submitted (version 1)" in second.content
    assert SacSubmission.objects.count() == 1

    # A resubmission on purpose, from a page that shows version 1: version 2.
    page = unit_client.get(SUBMIT_URL)
    assert b"2: a resubmission" in page.content
    assert page.context["form"].initial["seen_version"] == 1
    assert _post_submit(unit_client, seen_version=1, note="Corrected SG2c").status_code == 302
    assert list(SacSubmission.objects.order_by("version").values_list("version", "note")) == [
        (1, "SDCS ref 2026-0001"),
        (2, "Corrected SG2c"),
    ]
    listing = unit_client.get(reverse("reports:sac_submissions"))
    assert b"Corrected SG2c" in listing.content and b"Resubmission" in listing.content


def test_two_submissions_at_the_same_moment_cannot_both_be_the_same_version(world, hand_worked, monkeypatch):
    unit = Actor.of(world.users["unit"])
    sac_submission_create(actor=unit, scope=_all(world), note="", seen_version=0)
    # The other request read the newest version before this one saved: the database's constraint decides.
    monkeypatch.setattr(services, "latest_version", lambda **kwargs: 0)
    with pytest.raises(Conflict, match="version 1"):
        sac_submission_create(actor=unit, scope=_all(world), note="", seen_version=0)
    assert SacSubmission.objects.count() == 1


def test_the_comparison_costs_the_same_queries_however_many_cells_changed(world, hand_worked, unit_client):
    _post_submit(unit_client)
    submission = SacSubmission.objects.get()
    url = reverse("reports:sac_submission_compare", args=[submission.pk])
    e1, e5 = hand_worked["enquiries"][0], hand_worked["enquiries"][4]

    # A few changes, one of each kind of record (the page names each kind with one query): an enquiry's
    # action result, a new person's concern.
    Enquiry.objects.filter(pk=e1.pk).update(action_result=ActionResult.RISK_NO_ACTION)
    ConcernFactory(person=PersonFactory(), team=world.north, received_at=at(2025, 10, 1, 10))
    unit_client.get(url)  # Django keeps the content types it has looked up: measure from the second look
    with CaptureQueriesContext(connection) as few:
        assert unit_client.get(url).status_code == 200
    Enquiry.objects.filter(pk__in=[e1.pk, e5.pk]).update(status=Enquiry.Status.IN_PROGRESS, closed_at=None)
    for person in hand_worked["people"]:
        ConcernFactory(person=person, team=world.north, received_at=at(2025, 11, 1, 10))
    with CaptureQueriesContext(connection) as many:
        response = unit_client.get(url)
    assert response.context["comparison"].changed_count > 10
    assert len(many.captured_queries) == len(few.captured_queries)

    listing = reverse("reports:sac_submissions")
    with CaptureQueriesContext(connection) as one:
        unit_client.get(listing)
    for _ in range(3):
        sac_submission_create(
            actor=Actor.of(world.users["unit"]),
            scope=_all(world),
            note="",
            seen_version=SacSubmission.objects.count(),
        )
    with CaptureQueriesContext(connection) as four:
        unit_client.get(listing)
    assert len(four.captured_queries) == len(one.captured_queries)


def test_a_review_arranged_since_is_named_under_the_sg5_figures_it_moved(world, hand_worked, unit_client):
    _post_submit(unit_client)
    submission = SacSubmission.objects.get()
    arranged = review(world.users["unit"], name="Adult V", individuals=[("A neighbour", True, False)])

    response = unit_client.get(reverse("reports:sac_submission_compare", args=[submission.pk]))
    moved = [
        records
        for table in response.context["comparison"].tables
        if table.id.startswith("SG5")
        for cell in table.changed_cells
        for records in (cell.newly,)
        if records and records.ids
    ]
    labels = {record.label for records in moved for record in records.named}
    assert f"Review {arranged.pk}: Adult V" in labels
    # An individual of a review is described, never named, as on the review's register.
    assert f"Review {arranged.pk}: A neighbour" in labels
    assert not any(records.hidden for records in moved)


def test_the_sac_page_says_the_period_was_submitted_and_leads_to_the_comparison(
    world, hand_worked, unit_client
):
    sac_url = SUBMIT_URL.replace("submit/", "")
    assert b"sac-latest-submission" not in unit_client.get(sac_url).content
    _post_submit(unit_client)
    _post_submit(unit_client, seen_version=1, note="Resubmitted after SG2c was corrected")
    latest = SacSubmission.objects.get(version=2)
    html = unit_client.get(sac_url).content.decode()
    assert "This period's return was marked as submitted (version 2)" in html
    assert reverse("reports:sac_submission_compare", args=[latest.pk]) in html
    # Another period, or one team's figures: nothing was submitted for them.
    other = SUBMIT_URL.replace("submit/", "").replace("2025", "2024")
    assert b"sac-latest-submission" not in unit_client.get(other).content
    team = f"{sac_url}".replace("team=", f"team={world.north.pk}")
    assert b"sac-latest-submission" not in unit_client.get(team).content
