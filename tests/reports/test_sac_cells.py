"""The records behind every SAC cell: each cell's records are those its count counts (one definition of the
cell, msp_cases.reports.sac.cells), on the hand-worked data set of test_sac."""

import pytest

from msp_cases.reports.sac.cells import UnknownCell, cell_records, return_record_ids
from msp_cases.reports.sac.concluded import SG3A_SUPPORTED
from msp_cases.reports.sac.returns import sac_return

from .test_sac import CONCLUDED, C, S, _all, _north, sac_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
SG1_PEOPLE = ("SG1a", "SG1b", "SG1c", "SG1d", "SG1e")


@pytest.mark.parametrize("scope", [_all, _north])
def test_every_cell_lists_as_many_records_as_it_counts(world, sac_data, scope):  # noqa: F811
    scope = scope(world)
    figures = sac_return(scope=scope)
    ids = return_record_ids(scope=scope)
    assert len(ids) == sum(len(t.rows) * len(t.columns) for t in figures.tables)
    for table in figures.tables:
        for row, column, value in table.flat():
            kind, records = ids[(table.id, row, column)]
            assert len(records) == value, (table.id, row, column)
            assert (kind == "person") == (table.id in SG1_PEOPLE)
            assert records == sorted(set(records))


def test_chosen_cells_hold_exactly_the_expected_records(world, sac_data):  # noqa: F811
    p = [person.pk for person in sac_data["people"]]
    e = [enquiry.pk for enquiry in sac_data["enquiries"]]
    ids = return_record_ids(scope=_all(world))
    assert ids[("SG1a", "85+", C)] == ("person", sorted([p[2], p[4]]))  # Cara 95, Eve 85
    assert ids[("SG1a", "Age not recorded", S)] == ("person", [p[3]])  # Dan
    assert ids[("SG2a", "Physical Abuse", "Total")] == ("enquiry", sorted([e[0], e[4]]))
    assert ids[("SG2a", "Financial or Material Abuse", "Other - Known to individual")] == ("enquiry", [e[0]])
    assert ids[("SG2a", "Not recorded", "Total")] == ("enquiry", [])
    assert ids[("SG4a", "Partially Achieved", CONCLUDED)] == ("enquiry", [e[3]])
    kind, concerns = ids[("SG1f", "Total Number of Safeguarding Concerns", "Number of cases")]
    assert kind == "concern" and len(concerns) == 6


def test_one_cell_records_are_the_ones_frozen_for_it(world, sac_data):  # noqa: F811
    scope = _all(world)
    ids = return_record_ids(scope=scope)
    for key in [
        ("SG1b", "Female", C),
        ("SG2b", "Own Home", "Total"),
        ("SG3a", SG3A_SUPPORTED, CONCLUDED),
        ("SG4a", "Fully Achieved", CONCLUDED),
    ]:
        kind, records = cell_records(scope=scope, table=key[0], row=key[1], column=key[2])
        assert (kind, sorted(records.values_list("pk", flat=True))) == ids[key]


def test_a_cell_the_return_does_not_have(world):
    with pytest.raises(UnknownCell):
        cell_records(scope=_all(world), table="SG9", row="x", column="y")
    with pytest.raises(UnknownCell):
        cell_records(scope=_all(world), table="SG2a", row="Physical Abuse", column="Nowhere")


def test_an_enquiry_with_no_type_of_risk_is_counted_and_listed_once(world, sac_data):  # noqa: F811
    e6 = sac_data["enquiries"][5]
    e6.risk_types.clear()  # concluded in the period, source and location not recorded
    scope = _all(world)
    sg2a = sac_return(scope=scope).table("SG2a")
    assert sg2a.cell("Not recorded", "Not recorded") == sg2a.cell("Not recorded", "Total") == 1
    ids = return_record_ids(scope=scope)
    assert ids[("SG2a", "Not recorded", "Total")] == ("enquiry", [e6.pk])
    assert ids[("SG2a_b1", "Not recorded", "Not recorded")] == ("enquiry", [e6.pk])
    assert ids[("SG2a", "Physical Abuse", "Total")][1] == sorted(e.pk for e in sac_data["enquiries"][0:5:4])
