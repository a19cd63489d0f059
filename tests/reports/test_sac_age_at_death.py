"""SG1a takes a person's age on the last day of the period, or at death if they died on or before it.

Period: the financial year 2025-26 (1 April 2025 – 31 March 2026). Each person below has one concern received
in the period, in North; worked by hand:

  Ann   born 1961-03-15, died 2026-03-01   64 at death (65 on 31 March, after she died)   18-64
  Ben   born 1961-03-15, alive             65 on 31 March                                  65-74
  Cy    born 1951-04-15, died 2026-06-01   died after the period: 74 on 31 March           65-74
                                           (75 at death, which the period does not see)
  Di    born 1940-01-10, died 2025-01-05   died before the period (the concern came after): 84 at death
                                           (86 on 31 March)                                75-84
  Ed    born 1931-03-31, died 2026-03-31   died on the last day, his 95th birthday         95+
  Flo   born 2008-02-29, died 2026-02-28   17 at death: 18 only on 1 March in 2026         Age not recorded
  Gus   born 2008-02-29, died 2026-03-01   18 at death                                     18-64
"""

import datetime

import pytest
from django.utils import timezone

from enquiries.models import Person
from msp_cases.reports.figures.ages import age_not_recorded_q, aged_q
from msp_cases.reports.sac.data_quality import sac_data_quality
from msp_cases.reports.sac.labels import AGE_BANDS
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import ReportScope

from ..factories import ConcernFactory, PersonFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)
C = "Individuals involved in Safeguarding Concerns"
D = datetime.date

PEOPLE = {
    "Ann": (D(1961, 3, 15), D(2026, 3, 1)),
    "Ben": (D(1961, 3, 15), None),
    "Cy": (D(1951, 4, 15), D(2026, 6, 1)),
    "Di": (D(1940, 1, 10), D(2025, 1, 5)),
    "Ed": (D(1931, 3, 31), D(2026, 3, 31)),
    "Flo": (D(2008, 2, 29), D(2026, 2, 28)),
    "Gus": (D(2008, 2, 29), D(2026, 3, 1)),
}


@pytest.fixture
def people(world):
    made = {}
    for name, (born, died) in PEOPLE.items():
        person = PersonFactory(given_name=f"{name}-Death", date_of_birth=born, date_of_death=died)
        ConcernFactory(
            person=person,
            team=world.north,
            received_at=timezone.make_aware(datetime.datetime(2025, 6, 1, 10)),
        )
        made[name] = person
    return made


def test_sg1a_counts_age_at_death_for_who_died_by_the_end_of_the_period(world, people):
    sac = sac_return(scope=ReportScope(start=START, end=END, team_ids=(world.north.pk,)))
    sg1a = sac.table("SG1a")
    column = dict(zip(sg1a.rows, (row[sg1a.columns.index(C)] for row in sg1a.cells), strict=True))
    assert column == {
        "18-64": 2,  # Ann (64 at death), Gus (18 at death)
        "65-74": 2,  # Ben, Cy (died after the period)
        "75-84": 1,  # Di (84 at death)
        "85-94": 0,
        "95+": 1,  # Ed (95 on the day he died, the last day)
        "85+": 1,
        "Age not recorded": 1,  # Flo (17 at death)
    }
    assert any("at death" in note for note in sg1a.notes)


def test_the_data_quality_list_names_who_was_under_18_at_death(world, people):
    quality = sac_data_quality(
        scope=ReportScope(start=START, end=END, team_ids=(world.north.pk,)), user=world.users["unit"]
    )
    flagged = {item.obj.pk for item in quality.people if any("SG1a" in p for p in item.problems)}
    assert flagged == {people["Flo"].pk}


def _age(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@pytest.mark.parametrize("day", [D(2026, 3, 31), D(2024, 2, 29), D(2025, 2, 28), D(2028, 3, 1)])
def test_the_conditions_agree_with_ages_worked_in_python(day):
    """Every birth and death date around band edges and 29 February: the band the conditions put each person
    in is the band of their age on `day`, or at death if they died on or before it."""
    births = [D(1961, 3, 15), D(1960, 2, 29), D(2008, 2, 29), D(1931, 3, 31), D(1940, 3, 1), D(2007, 3, 1)]
    deaths = [
        None,
        D(2024, 2, 28),
        D(2024, 2, 29),
        D(2025, 3, 1),
        D(2026, 3, 14),
        D(2026, 3, 31),
        D(2027, 1, 1),
    ]
    expected = {}
    for born in births:
        for died in deaths:
            if died and died < born:
                continue
            person = PersonFactory(date_of_birth=born, date_of_death=died)
            age = _age(born, died if died and died <= day else day)
            expected[person.pk] = next(
                (label for label, young, old in AGE_BANDS if age >= young and (old is None or age <= old)),
                "not recorded",
            )
    found = {}
    for label, young, old in AGE_BANDS:
        for pk in Person.objects.filter(aged_q(day, young, old)).values_list("pk", flat=True):
            assert pk not in found
            found[pk] = label
    for pk in Person.objects.filter(age_not_recorded_q(day)).values_list("pk", flat=True):
        assert pk not in found
        found[pk] = "not recorded"
    assert {pk: found.get(pk) for pk in expected} == expected
