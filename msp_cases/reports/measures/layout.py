"""How a measures report is laid out, on its page and in its PDF alike: sections in order, each a heading, a
chart where a picture helps (the figures always beside it) and the tables of its figures."""

from ..charts import chart_from_table
from .tables import Report, Table


def section(heading: str, tables: list[Table], *, chart: dict | None = None) -> dict:
    """One section. `chart`: the chart_from_table arguments for the section's first table (its id, title and
    the column charted); percentages are drawn on a scale to 100."""
    if chart is not None:
        chart = chart_from_table(table=tables[0], **chart)
    return {"heading": heading, "chart": chart, "tables": tables}


def percent(id: str, title: str, column: int) -> dict:
    return {"id": id, "title": title, "column": column, "maximum": 100}


def count(id: str, title: str, column: int) -> dict:
    return {"id": id, "title": title, "column": column}


def msp_sections(t: dict[str, Table]) -> list[dict]:
    return [
        section(
            "Desired outcomes",
            [t["msp_summary"]],
            chart=percent(
                "chart-msp-summary", "Making Safeguarding Personal: outcomes, all quarters (percentages)", 1
            ),
        ),
        section(
            "Asked about outcomes, by quarter",
            [t["msp_asked_by_quarter"], t["msp_asked_by_team"]],
            chart=percent("chart-msp-asked", "Percentage asked about their outcomes, by quarter", 2),
        ),
        section(
            "Outcomes achieved, by quarter",
            [t["msp_achieved_by_quarter"], t["msp_achieved_by_team"]],
            chart=percent("chart-msp-fully", "Percentage whose outcomes were fully achieved, by quarter", 2),
        ),
        section(
            "Decisions made by or with the person",
            [t["msp_decisions_by_quarter"], t["msp_decisions_by_team"]],
            chart=percent(
                "chart-msp-decisions", "Percentage of decisions made by or with the person, by quarter", 3
            ),
        ),
    ]


def experience_sections(t: dict[str, Table]) -> list[dict]:
    return [
        section(
            "How people felt",
            [t["experience_answers"], t["experience_feelings_by_quarter"]],
            chart=percent(
                "chart-experience-answers",
                "People who felt listened to, informed, safer and happy with how their concerns were dealt "
                "with (yes, completely or partly; percentages)",
                len(t["experience_answers"].columns) - 1,
            ),
        ),
        section(
            "Response rate",
            [t["experience_response_by_quarter"]],
            chart=percent("chart-experience-response", "Part 2 response rate, by quarter (percentages)", 3),
        ),
        section("Reasons for not approaching", [t["experience_not_approached"]]),
    ]


def timeliness_sections(t: dict[str, Table]) -> list[dict]:
    return [
        section(
            "Concern to decision",
            [t["timeliness_concern_to_decision"]],
            chart=percent(
                "chart-timeliness-decision",
                "Concerns decided within the timescale, by quarter (percentages)",
                4,
            ),
        ),
        section(
            "How long enquiries were open",
            [t["timeliness_enquiry_duration"]],
            chart=count(
                "chart-timeliness-duration",
                "Enquiries closed in the period, by how long they were open (number of enquiries)",
                2,
            ),
        ),
        section(
            "Drift",
            [t["timeliness_drift"]],
            chart=count(
                "chart-timeliness-drift",
                "Drift reminders raised in the period, by rule (number of reminders)",
                0,
            ),
        ),
    ]


SECTIONS = {"msp": msp_sections, "experience": experience_sections, "timeliness": timeliness_sections}


def sections_for(key: str, report: Report) -> list[dict]:
    """What the page and the PDF show for report `key`, in order."""
    return SECTIONS[key](report.tables)
