"""The column tables of docs/import.md, written from the columns themselves (tests/imports compares them), so
the page an extract is written from never disagrees with what the import takes."""

from .columns import (
    CHOICE,
    COLUMNS,
    DATE,
    DATETIME,
    EMAIL,
    KINDS,
    NUMBER,
    REFERENCE,
    TEAM,
    TEXT,
    YES_NO,
    Column,
)

HEADINGS = {
    "person": "Person",
    "concern": "Concern, with its decision",
    "enquiry": "Enquiry, with its closure",
    "conversation": "Conversation",
    "outcome": "Desired outcome",
}
PLAIN = {
    TEXT: "text",
    DATE: "a date: 2025-04-01 or 01/04/2025",
    DATETIME: "a date and time in UK time: 2025-04-01 09:30, or a date (its midnight)",
    YES_NO: "yes or no",
    REFERENCE: "an external_id of this file or of an earlier import",
    TEAM: "the name of an active team",
    EMAIL: "an email address",
    NUMBER: "a whole number",
}


def allowed(column: Column) -> str:
    if column.choices is None:
        return PLAIN[column.type]
    codes = "; ".join(f"`{value}` = {label}" for value, label in column.choices.choices)
    return ("one of: " if column.type == CHOICE else "any of, separated by `;`: ") + codes


def column_tables() -> str:
    parts = []
    for kind in KINDS:
        parts.append(f"### {HEADINGS[kind]} (`record_type` is `{kind}`)\n")
        parts.append("| Column | Required | Allowed values | Notes |")
        parts.append("|---|---|---|---|")
        for column in COLUMNS[kind]:
            required = "yes" if column.required else "no"
            parts.append(f"| `{column.name}` | {required} | {allowed(column)} | {column.about} |")
        parts.append("")
    return "\n".join(parts)
