"""MSP measures, My Safeguarding Experience (Part 2) and Timeliness: the figures on a small hand-built data
set (each expected value worked out below), quarters split in local time, no division by zero, team scope,
access, CSV and a query count that does not grow with the data."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries.models import ConversationLog, Enquiry, Reminder, SafeguardingConcern
from enquiries.models.choices import DecisionMadeBy, OutcomesAsked
from enquiries.models.drift import DriftRule
from feedback.models import ExperienceAnswer, NotApproachedReason
from msp_cases.exports import registry
from msp_cases.exports.models import Export
from msp_cases.reports.figures.periods import quarters
from msp_cases.reports.kinds.measures import report_csv
from msp_cases.reports.measures.experience import experience_report
from msp_cases.reports.measures.msp import msp_report
from msp_cases.reports.measures.timeliness import DURATION_BANDS, timeliness_report
from msp_cases.reports.scope import scope_for
from outcomes.models import Achievement, DesiredOutcome

from ..factories import ConcernFactory, EnquiryFactory
from ..feedback.factories_feedback import Part2Factory
from ..outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FY_START, FY_END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
PERIOD = {
    "start_0": "1",
    "start_1": "4",
    "start_2": "2025",
    "end_0": "31",
    "end_1": "3",
    "end_2": "2026",
}


def at(year, month, day, hour=12, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def concluded(team, *, opened, closed, asked=OutcomesAsked.NOT_RECORDED, kind=Enquiry.Type.SECTION_42):
    return EnquiryFactory(
        team=team,
        enquiry_type=kind,
        status=Enquiry.Status.CLOSED,
        opened_at=opened,
        closed_at=closed,
        outcomes_asked=asked,
    )


def outcome(enquiry, user, achievement="", status=DesiredOutcome.Status.ACTIVE):
    return DesiredOutcomeFactory(
        enquiry=enquiry,
        words="To feel safe at home",
        expressed_on=datetime.date(2025, 4, 1),
        achievement=achievement,
        status=status,
        created_by=user,
    )


def part2(enquiry, user, *, approached, reason="", **answers):
    return Part2Factory(
        enquiry=enquiry,
        approached=approached,
        not_approached_reason=reason,
        best_interests_answered=None if approached else False,
        decided_by=None if approached else user,
        answered_by="person" if approached else "",
        completed_on=datetime.date(2025, 6, 1) if approached else None,
        created_by=user,
        **answers,
    )


def conversation(enquiry, user, when, made_by, *, concern=None):
    person = enquiry.person if enquiry else concern.person
    return ConversationLog.objects.create(
        person=person,
        enquiry=enquiry,
        concern=concern,
        occurred_at=when,
        recorded_by=user,
        method="phone",
        decision_made_by=made_by,
    )


def decided_concern(team, received, decided):
    return ConcernFactory(
        team=team,
        received_at=received,
        decided_at=decided,
        decision=SafeguardingConcern.Decision.SECTION_42,
    )


def reminder(team, rule, object_id, created, escalated=None):
    return Reminder.objects.create(
        rule=rule,
        object_id=object_id,
        due_on=created.date(),
        team=team,
        created_at=created,
        escalated_at=escalated,
    )


@pytest.fixture
def data(world):
    """North: E1–E5 concluded in the period, E6 after it, E7 an 'other' enquiry. South: S1, S2."""
    user = world.users["practitioner_north"]
    north, south = world.north, world.south
    A = OutcomesAsked
    e1 = concluded(north, opened=at(2025, 4, 20), closed=at(2025, 5, 10), asked=A.ASKED_EXPRESSED)
    outcome(e1, user, Achievement.FULLY)
    outcome(e1, user, Achievement.FULLY)
    # 23:30 on 30 June (BST) is 22:30 UTC: still Q1. 00:30 on 1 July is 23:30 UTC on 30 June: Q2.
    e2 = concluded(north, opened=at(2025, 4, 1), closed=at(2025, 6, 30, 23, 30), asked=A.ASKED_EXPRESSED)
    outcome(e2, user, Achievement.FULLY)
    outcome(e2, user, Achievement.NOT)
    outcome(e2, user, Achievement.NOT, status=DesiredOutcome.Status.WITHDRAWN)  # does not count
    e3 = concluded(north, opened=at(2025, 1, 1), closed=at(2025, 7, 1, 0, 30), asked=A.ASKED_EXPRESSED)
    outcome(e3, user, Achievement.NOT)
    concluded(north, opened=at(2025, 7, 1), closed=at(2025, 8, 1), asked=A.ASKED_NONE)
    concluded(north, opened=at(2024, 9, 1), closed=at(2025, 9, 1), asked=A.NO)
    e6 = concluded(north, opened=at(2026, 1, 1), closed=at(2026, 4, 1), asked=A.ASKED_EXPRESSED)
    outcome(e6, user, Achievement.FULLY)
    concluded(north, opened=at(2025, 4, 15), closed=at(2025, 5, 1), asked=A.NO, kind=Enquiry.Type.OTHER)
    s1 = concluded(south, opened=at(2025, 10, 1), closed=at(2025, 11, 1), asked=A.ASKED_EXPRESSED)
    outcome(s1, user, Achievement.PARTIALLY)
    s2 = concluded(south, opened=at(2025, 11, 20), closed=at(2025, 12, 1), asked=A.ASKED_EXPRESSED)
    outcome(s2, user)  # achievement not recorded

    Ans = ExperienceAnswer
    part2(
        e1,
        user,
        approached=True,
        listened=Ans.YES_COMPLETELY,
        informed=Ans.YES_PARTLY,
        safer=Ans.NO,
        concerns_dealt_with=Ans.DONT_KNOW,
    )
    part2(e2, user, approached=False, reason=NotApproachedReason.DANGER)
    part2(
        s1,
        user,
        approached=True,
        listened=Ans.YES_PARTLY,
        informed=Ans.YES_COMPLETELY,
        safer=Ans.YES_COMPLETELY,
        concerns_dealt_with=Ans.NO,
    )

    D = DecisionMadeBy
    conversation(e1, user, at(2025, 5, 1), D.PERSON)
    conversation(e1, user, at(2025, 5, 2), D.JOINTLY)
    conversation(e2, user, at(2025, 5, 3), D.AGAINST_WISHES)
    conversation(e2, user, at(2025, 5, 4), D.NO_DECISION)  # no decision: not counted
    conversation(None, user, at(2025, 10, 10), D.REPRESENTATIVE, concern=s1.concern)  # a concern's, South
    conversation(e1, user, at(2026, 4, 2), D.PERSON)  # after the period

    # Monday → Tuesday: 1 day, within 2 working days. Friday → Tuesday: 4 days, due Tuesday: within.
    decided_concern(north, at(2025, 5, 5, 10), at(2025, 5, 6, 10))
    decided_concern(north, at(2025, 5, 9, 10), at(2025, 5, 13, 10))
    # Monday → Thursday: 3 days, due Wednesday: late.
    decided_concern(south, at(2025, 11, 3, 9), at(2025, 11, 6, 9))

    reminder(north, DriftRule.NEXT_CONTACT, 1, at(2025, 6, 1), escalated=at(2025, 6, 8))
    reminder(north, DriftRule.NEXT_CONTACT, 2, at(2025, 7, 1))
    reminder(south, DriftRule.PLAN_ACTION, 3, at(2025, 12, 1))
    reminder(north, DriftRule.MANAGER_REVIEW, 4, at(2026, 4, 5))  # after the period
    return world


def figures(table):
    """{row label: {column: display}} of a measures Table."""
    return {
        label: dict(zip(table.columns, (c.display for c in cells), strict=True))
        for label, cells in table.rows
    }


def scope(world, name="unit", team=None):
    return scope_for(user=world.users[name], start=FY_START, end=FY_END, team=team)


def test_quarters_are_financial_quarters_clipped_to_the_period():
    got = quarters(datetime.date(2025, 5, 15), datetime.date(2026, 1, 10))
    assert [(q.label, q.start, q.end) for q in got] == [
        ("Q1 2025–26 (Apr–Jun 2025)", datetime.date(2025, 5, 15), datetime.date(2025, 6, 30)),
        ("Q2 2025–26 (Jul–Sep 2025)", datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
        ("Q3 2025–26 (Oct–Dec 2025)", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("Q4 2025–26 (Jan–Mar 2026)", datetime.date(2026, 1, 1), datetime.date(2026, 1, 10)),
    ]


def test_msp_asked_by_quarter_and_team(data):
    report = msp_report(scope=scope(data))
    asked = figures(report.tables["msp_asked_by_quarter"])
    achieved = figures(report.tables["msp_achieved_by_quarter"])
    quarter = {q: {**asked[q], **achieved[q]} for q in asked}
    # Q1: E1 (fully) and E2 (one fully, one not: partially; the withdrawn outcome is ignored)
    assert quarter["Q1 2025–26 (Apr–Jun 2025)"]["Enquiries concluded"] == "2"
    assert quarter["Q1 2025–26 (Apr–Jun 2025)"]["Fully achieved"] == "1"
    assert quarter["Q1 2025–26 (Apr–Jun 2025)"]["Partially achieved"] == "1"
    assert quarter["Q1 2025–26 (Apr–Jun 2025)"]["% fully"] == "50.0%"
    # Q2: E3 (closed 00:30 on 1 July, local time), E4 asked none expressed, E5 not asked: 2 of 3 asked
    assert quarter["Q2 2025–26 (Jul–Sep 2025)"]["Enquiries concluded"] == "3"
    assert quarter["Q2 2025–26 (Jul–Sep 2025)"]["% asked"] == "66.7%"
    assert quarter["Q2 2025–26 (Jul–Sep 2025)"]["% expressed (of asked)"] == "50.0%"
    assert quarter["Q2 2025–26 (Jul–Sep 2025)"]["Not achieved"] == "1"
    # Q3: S1 partially, S2 not recorded
    assert quarter["Q3 2025–26 (Oct–Dec 2025)"]["Partially achieved"] == "1"
    assert quarter["Q3 2025–26 (Oct–Dec 2025)"]["Not recorded"] == "1"
    # Q4: nothing concluded: no division by zero, "No data"
    assert quarter["Q4 2025–26 (Jan–Mar 2026)"]["Enquiries concluded"] == "0"
    assert quarter["Q4 2025–26 (Jan–Mar 2026)"]["% asked"] == "No data"
    # Total: 7 concluded (not E6, after the period, nor E7, an "other" enquiry); 6 asked; 5 expressed
    assert quarter["Total"]["Enquiries concluded"] == "7"
    assert quarter["Total"]["% asked"] == "85.7%"
    assert quarter["Total"]["% expressed (of asked)"] == "83.3%"
    assert [quarter["Total"][c] for c in ("% fully", "% partially", "% not achieved")] == [
        "20.0%",
        "40.0%",
        "20.0%",
    ]
    team = figures(report.tables["msp_asked_by_team"])
    assert team["North Locality"]["Enquiries concluded"] == "5"
    assert team["North Locality"]["% asked"] == "80.0%"
    assert team["South Locality"]["Enquiries concluded"] == "2"
    assert team["South Locality"]["% expressed (of asked)"] == "100.0%"


def test_msp_decisions_count_conversations_that_recorded_a_decision(data):
    report = msp_report(scope=scope(data))
    quarter = figures(report.tables["msp_decisions_by_quarter"])
    # Q1: by the person, jointly, against wishes (the "no decision" conversation is not counted)
    assert quarter["Q1 2025–26 (Apr–Jun 2025)"]["Decisions recorded"] == "3"
    assert quarter["Q1 2025–26 (Apr–Jun 2025)"]["% by or with the person"] == "66.7%"
    # Q3: South's concern conversation, by a representative
    assert quarter["Q3 2025–26 (Oct–Dec 2025)"]["% by or with the person"] == "0.0%"
    assert quarter["Total"]["Decisions recorded"] == "4"
    assert quarter["Total"]["% by or with the person"] == "50.0%"
    team = figures(report.tables["msp_decisions_by_team"])
    assert team["North Locality"]["Decisions recorded"] == "3"
    assert team["South Locality"]["By their representative"] == "1"


def test_experience_part2(data):
    report = experience_report(scope=scope(data))
    response = figures(report.tables["experience_response_by_quarter"])
    # E1 and S1 answered, E2 not approached: 2 of 7 concluded
    assert response["Total"]["Approached and answered"] == "2"
    assert response["Total"]["Response rate"] == "28.6%"
    assert response["Q1 2025–26 (Apr–Jun 2025)"]["Response rate"] == "50.0%"
    assert response["Q2 2025–26 (Jul–Sep 2025)"]["Response rate"] == "0.0%"
    assert response["Q4 2025–26 (Jan–Mar 2026)"]["Response rate"] == "No data"
    reasons = figures(report.tables["experience_not_approached"])
    assert reasons[NotApproachedReason.DANGER.label] == {"Enquiries": "1", "%": "100.0%"}
    assert reasons[NotApproachedReason.OTHER.label] == {"Enquiries": "0", "%": "0.0%"}
    answers = figures(report.tables["experience_answers"])
    yes = "% yes"
    assert answers["Felt listened to"][yes] == "100.0%"
    assert answers["Felt informed"][yes] == "100.0%"
    assert answers["Felt safer"][yes] == "50.0%"
    assert answers["Happy with how their concerns were dealt with"][yes] == "0.0%"
    assert answers["Felt safer"]["Answers"] == "2"


def test_timeliness(data, settings):
    settings.CONCERN_DECISION_WORKING_DAYS = 2
    report = timeliness_report(scope=scope(data))
    decision = figures(report.tables["timeliness_concern_to_decision"])
    # waits 1, 4 (Q1) and 3 (Q3) days; 2 of 3 within 2 working days
    assert decision["Total"]["Concerns decided"] == "3"
    assert decision["Total"]["% within 2 working days"] == "66.7%"
    assert decision["Total"]["Median time"] == "3.0 days"
    assert decision["Total"]["90th percentile"] == "3.8 days"  # 3 + 0.8 × (4 − 3)
    assert decision["Q1 2025–26 (Apr–Jun 2025)"]["Median time"] == "2.5 days"
    assert decision["Q1 2025–26 (Apr–Jun 2025)"]["90th percentile"] == "3.7 days"  # 1 + 0.9 × (4 − 1)
    assert decision["Q2 2025–26 (Jul–Sep 2025)"]["Median time"] == "No data"
    duration = figures(report.tables["timeliness_enquiry_duration"])
    # E1 20 days, E7 (other) 16, S2 11 | E4 31, S1 31 | E2 90 | E3 181 | E5 365
    assert duration["Under 4 weeks"]["Section 42 enquiries"] == "2"
    assert duration["Under 4 weeks"]["Other enquiries"] == "1"
    assert [duration[b]["All enquiries"] for b, _, _ in DURATION_BANDS] == ["3", "2", "1", "1", "1"]
    assert duration["Total"]["All enquiries"] == "8"
    drift = figures(report.tables["timeliness_drift"])
    assert drift[DriftRule.NEXT_CONTACT.label]["Reminders raised"] == "2"
    assert drift[DriftRule.NEXT_CONTACT.label]["% escalated"] == "50.0%"
    assert drift[DriftRule.PLAN_ACTION.label]["Reminders raised"] == "1"
    assert drift[DriftRule.MANAGER_REVIEW.label]["% escalated"] == "No data"
    assert drift["Total"]["Reminders raised"] == "3"


def test_a_tighter_timescale_changes_the_share_within_it(data, settings):
    settings.CONCERN_DECISION_WORKING_DAYS = 1
    decision = figures(timeliness_report(scope=scope(data)).tables["timeliness_concern_to_decision"])
    assert decision["Total"]["% within 1 working days"] == "33.3%"  # only Monday → Tuesday


def test_one_team(data):
    report = msp_report(scope=scope(data, team=data.south))
    quarter = figures(report.tables["msp_asked_by_quarter"])
    assert quarter["Total"]["Enquiries concluded"] == "2"
    assert list(figures(report.tables["msp_asked_by_team"])) == ["South Locality"]
    timeliness = timeliness_report(scope=scope(data, team=data.south))
    assert figures(timeliness.tables["timeliness_drift"])["Total"]["Reminders raised"] == "1"


def test_an_empty_period_shows_no_data_not_an_error(data):
    empty = scope_for(
        user=data.users["unit"], start=datetime.date(2019, 4, 1), end=datetime.date(2019, 6, 30)
    )
    for compute in (msp_report, experience_report, timeliness_report):
        report = compute(scope=empty)
        displays = [c.display for t in report.tables.values() for _, cells in t.rows for c in cells]
        assert "No data" in displays
        assert all(d in ("0", "No data") for d in displays)


@pytest.mark.parametrize(
    ("name", "status"), [("unit", 200), ("manager_north", 200), ("practitioner_north", 403), ("admin", 403)]
)
@pytest.mark.parametrize("url_name", ["reports:msp", "reports:experience", "reports:timeliness"])
def test_access(data, client_for, name, status, url_name):
    response = client_for(data.users[name]).get(reverse(url_name), PERIOD)
    assert response.status_code == status


def test_a_manager_sees_their_own_teams_figures(data, client_for):
    response = client_for(data.users["manager_north"]).get(reverse("reports:msp"), PERIOD)
    page = response.content.decode()
    assert "North Locality" in page
    assert "South Locality" not in page
    quarter = figures(response.context["report"].tables["msp_asked_by_quarter"])
    assert quarter["Total"]["Enquiries concluded"] == "5"
    # Asking for another team's figures is an error on the form, not their figures
    response = client_for(data.users["manager_north"]).get(
        reverse("reports:msp"), {**PERIOD, "team": data.south.pk}
    )
    assert response.context["form"].errors
    assert "South Locality" not in response.content.decode()


def test_the_page_shows_tables_and_an_accessible_chart(data, client_for):
    response = client_for(data.users["unit"]).get(reverse("reports:timeliness"), PERIOD)
    page = response.content.decode()
    assert 'role="img"' in page
    assert 'aria-labelledby="chart-timeliness-decision-title chart-timeliness-decision-desc"' in page
    assert '<title id="chart-timeliness-decision-title">' in page
    assert "govuk-table__cell--numeric" in page
    assert "style=" not in page.split("<main", 1)[1]  # the CSP allows no inline style
    assert reverse("exports:request") in page


def test_csv_lists_every_cell(data):
    text = report_csv(msp_report(scope=scope(data)))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["table", "row", "column", "value"]
    assert ["msp_asked_by_quarter", "Q1 2025–26 (Apr–Jun 2025)", "Enquiries concluded", "2"] in rows
    assert ["msp_asked_by_quarter", "Total", "% asked", "85.7"] in rows
    assert ["msp_asked_by_quarter", "Q4 2025–26 (Jan–Mar 2026)", "% asked", ""] in rows  # no data: empty


def test_export_request_carries_the_period_and_renders_csv(
    data, client_for, django_capture_on_commit_callbacks
):
    client = client_for(data.users["manager_north"])
    response = client.post(
        reverse("exports:request"),
        {"kind": "msp_measures_csv", "from": "2025-04-01", "to": "2026-03-31", "team": data.north.pk},
    )
    assert response.status_code == 302
    export = Export.objects.get(kind="msp_measures_csv")
    assert export.params == {"from": "2025-04-01", "to": "2026-03-31", "team": str(data.north.pk)}
    assert export.filename == "msp-measures-2025-04-01-to-2026-03-31.csv"
    content = registry.get("msp_measures_csv").render(export).decode("utf-8-sig")
    assert "msp_asked_by_team,North Locality,Enquiries concluded,5" in content
    assert "South Locality" not in content
    # Another team's export is refused
    response = client.post(
        reverse("exports:request"),
        {"kind": "msp_measures_csv", "from": "2025-04-01", "to": "2026-03-31", "team": data.south.pk},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["msp_measures_pdf", "experience_measures_pdf", "timeliness_measures_pdf"])
def test_pdf_renders(data, kind):
    export = Export(
        kind=kind, params={"from": "2025-04-01", "to": "2026-03-31"}, requested_by=data.users["unit"]
    )
    content = registry.get(kind).render(export)
    assert content.startswith(b"%PDF")


def _queries(compute, sc) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute(scope=sc)
    return len(ctx.captured_queries)


def _page_queries(client, url_name) -> int:
    cache.clear()  # the cost of counting the figures, not of reading them back (test_report_cache.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(url_name), PERIOD).status_code == 200
    return len(ctx.captured_queries)


URL_NAMES = ["reports:msp", "reports:experience", "reports:timeliness"]


def test_query_count_is_fixed_as_data_grows(data, client_for):
    sc = scope(data)
    client = client_for(data.users["unit"])
    pages_before = {name: _page_queries(client, name) for name in URL_NAMES}
    before = {c: _queries(c, sc) for c in (msp_report, experience_report, timeliness_report)}
    user = data.users["practitioner_north"]
    for i in range(10):
        e = concluded(
            data.north, opened=at(2025, 4, 2), closed=at(2025, 4, 3 + i), asked=OutcomesAsked.ASKED_EXPRESSED
        )
        outcome(e, user, Achievement.FULLY)
        part2(e, user, approached=True, listened=ExperienceAnswer.YES_COMPLETELY)
        conversation(e, user, at(2025, 4, 3 + i), DecisionMadeBy.PERSON)
        decided_concern(data.south, at(2025, 4, 3 + i), at(2025, 4, 4 + i))
        reminder(data.north, DriftRule.PLAN_ACTION, 100 + i, at(2025, 4, 3 + i))
    after = {c: _queries(c, sc) for c in before}
    assert after == before
    assert {name: _page_queries(client, name) for name in URL_NAMES} == pages_before
    assert before[msp_report] <= 3
    assert before[experience_report] <= 1
    assert before[timeliness_report] <= 5


def test_the_reports_page_lists_the_three_reports(world, client_for):
    page = client_for(world.users["manager_north"]).get(reverse("reports:index")).content.decode()
    for url_name in URL_NAMES:
        assert f'href="{reverse(url_name)}"' in page
