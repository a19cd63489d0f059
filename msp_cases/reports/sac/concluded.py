"""SG2–SG4: the section 42 enquiries concluded in the period, by type, location and source of risk, action
and result, risk outcome, capacity, and whether the person was asked about their outcomes and how far they
were achieved. An enquiry counts once in every category that applies. Each cell is defined once, in .cells,
which both counts it and lists the records behind it; this module names the tables, their labels and notes."""

from enquiries.models.choices import OutcomesAsked

from ..scope import ReportScope
from . import cells
from .labels import (
    ACHIEVEMENT_LABELS,
    SG3A_SUPPORTED,
    SG4A_ACHIEVEMENT_NOT_RECORDED,
)
from .tables import SacTable

# SG3a's and SG4a's second blocks, each under a heading of its own as the publication lays them out (their
# rows are .cells').
SG3A_SUPPORT_HEADING = "Support, of the enquiries recorded as Yes"
SG4A_ACHIEVEMENT_HEADING = "Of the enquiries where outcomes were expressed, were they achieved?"


def sg2_to_sg4(scope: ReportScope) -> list[SacTable]:
    """The tables' rows, columns and counts from their cells' definitions (.cells): three queries (the
    concluded enquiries' answers; their types of risk, each enquiry once; and achievement, of those who
    expressed outcomes)."""
    definitions = cells.sg2_to_sg4_cells()
    counts = cells.count_cells(scope, definitions)
    by_id = {t.id: t for t in definitions}
    multi = "An enquiry counts once in each category that applies, so rows need not add up to the enquiries."
    asked = len(OutcomesAsked.labels)

    def table(table_id, title, notes=(), blocks=(), sections=()):
        t = by_id[table_id]
        return SacTable(
            id=table_id,
            title=title,
            rows=t.rows,
            columns=t.columns,
            cells=counts[table_id],
            notes=tuple(notes),
            blocks=blocks,
            sections=sections,
        )

    return [
        table(
            "SG2a", "Type of risk by source of risk", (multi, "Not recorded row: no type of risk recorded.")
        ),
        table("SG2b", "Location of risk by source of risk"),
        table("SG2a_b1", "Type of risk by location of risk", (multi,)),
        table("SG2c", "Action taken and result"),
        table("SG2e", "Risk outcome, where a risk was identified and action taken"),
        table(
            "SG3a",
            "Did the individual lack capacity to make decisions about the enquiry?",
            ["Support: an advocate, representative, family member or friend recorded on the enquiry."],
            sections=((SG3A_SUPPORTED, SG3A_SUPPORT_HEADING),),
        ),
        table(
            "SG4a",
            "Making Safeguarding Personal: asked about their desired outcomes, and were they achieved?",
            [
                "Achievement is the person's view across their outcomes (withdrawn ones left out): Fully "
                "Achieved when every answer is fully, Not Achieved when every answer is not, Partially "
                "Achieved otherwise.",
            ],
            # As the publication: "[x]" for the asked rows when all are 0, and for the three achievement
            # answers (not our "Achievement not recorded") when all are 0.
            blocks=(
                tuple(range(asked)),
                tuple(
                    asked + i
                    for i, label in enumerate(ACHIEVEMENT_LABELS)
                    if label != SG4A_ACHIEVEMENT_NOT_RECORDED
                ),
            ),
            sections=((ACHIEVEMENT_LABELS[0], SG4A_ACHIEVEMENT_HEADING),),
        ),
    ]
