"""What every report counts with (msp_cases.reports.figures): the SG4a achievement rule as a truth table,
and the SAC return and the MSP measures giving the same answer for the same enquiries, since both count with
it."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from enquiries.models import Enquiry
from enquiries.models.choices import OutcomesAsked
from msp_cases.reports.figures.achievement import enquiry_achievement
from msp_cases.reports.figures.ages import years_before
from msp_cases.reports.figures.populations import concluded_s42_in
from msp_cases.reports.scope import ReportScope
from outcomes.models import Achievement, DesiredOutcome

from ..factories import EnquiryFactory, TeamFactory
from ..outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FULLY, PARTIALLY, NOT = Achievement.FULLY, Achievement.PARTIALLY, Achievement.NOT
WITHDRAWN = "withdrawn"

# The answers on an enquiry's outcomes -> its one SG4a answer (None: "Not recorded"). A withdrawn outcome's
# answer does not count; an outcome with no answer yet ("") does not either.
RULE = [
    ([FULLY], FULLY),
    ([FULLY, FULLY], FULLY),
    ([FULLY, ""], FULLY),
    ([NOT], NOT),
    ([NOT, NOT, ""], NOT),
    ([PARTIALLY], PARTIALLY),
    ([FULLY, PARTIALLY], PARTIALLY),
    ([FULLY, NOT], PARTIALLY),
    ([NOT, PARTIALLY], PARTIALLY),
    ([FULLY, (NOT, WITHDRAWN)], FULLY),
    ([(FULLY, WITHDRAWN)], None),
    ([""], None),
    ([], None),
]


def _concluded(team, answers) -> Enquiry:
    enquiry = EnquiryFactory(
        team=team,
        status=Enquiry.Status.CLOSED,
        opened_at=datetime.datetime(2025, 5, 1, 12, tzinfo=LONDON),
        closed_at=datetime.datetime(2025, 6, 1, 12, tzinfo=LONDON),
        outcomes_asked=OutcomesAsked.ASKED_EXPRESSED,
    )
    for answer in answers:
        achievement, status = answer if isinstance(answer, tuple) else (answer, DesiredOutcome.Status.ACTIVE)
        DesiredOutcomeFactory(enquiry=enquiry, achievement=achievement, status=status)
    return enquiry


def _scope(team) -> ReportScope:
    return ReportScope(start=datetime.date(2025, 4, 1), end=datetime.date(2026, 3, 31), team_ids=(team.pk,))


@pytest.mark.parametrize(("answers", "expected"), RULE)
def test_one_answer_per_enquiry_from_its_active_outcomes(answers, expected):
    team = TeamFactory()
    enquiry = _concluded(team, answers)
    got = concluded_s42_in(_scope(team)).annotate(answer=enquiry_achievement()).get(pk=enquiry.pk).answer
    assert got == (expected.value if expected else None)


def test_the_sac_return_and_the_msp_measures_agree_on_every_case_of_the_rule():
    from msp_cases.reports.measures.msp import msp_report
    from msp_cases.reports.sac.returns import sac_return

    team = TeamFactory()
    for answers, _ in RULE:
        _concluded(team, answers)
    scope = _scope(team)
    expected = {
        label: sum(1 for _, e in RULE if e == answer)
        for label, answer in [
            ("Fully", FULLY),
            ("Partially", PARTIALLY),
            ("Not", NOT),
            ("Not recorded", None),
        ]
    }
    assert expected == {"Fully": 4, "Partially": 4, "Not": 2, "Not recorded": 3}

    sg4a = sac_return(scope=scope).table("SG4a")
    assert {
        "Fully": sg4a.cell("Fully Achieved", sg4a.columns[0]),
        "Partially": sg4a.cell("Partially Achieved", sg4a.columns[0]),
        "Not": sg4a.cell("Not Achieved", sg4a.columns[0]),
        "Not recorded": sg4a.cell("Achievement not recorded", sg4a.columns[0]),
    } == expected

    summary = {label: cells[0].value for label, cells in msp_report(scope=scope).tables["msp_summary"].rows}
    assert {
        "Fully": summary["Fully achieved (of expressed)"],
        "Partially": summary["Partially achieved"],
        "Not": summary["Not achieved"],
        "Not recorded": summary["Not recorded"],
    } == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (datetime.date(2026, 3, 31), 18, datetime.date(2008, 3, 31)),
        (datetime.date(2024, 2, 29), 1, datetime.date(2023, 2, 28)),  # no 29 February that year
        (datetime.date(2024, 2, 29), 4, datetime.date(2020, 2, 29)),
    ],
)
def test_years_before(day, years, expected):
    assert years_before(day, years) == expected
