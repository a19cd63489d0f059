"""The placeholders a letter template may use, and the small syntax they are written in: a name in braces,
`{person_first_name}`. Only the names listed here exist; there is no way to reach anything else of a record
(no attributes, filters or tags, as a template language would allow), so a template cannot put into a letter
what its author did not mean to, and an unknown or misspelt name is refused when the template is saved.

Some words belong to the person alone ("what you told us matters to you", what they want to happen, the
closure summary written to them): those placeholders may only be used in a letter to the person, never in
one to the referrer or a partner agency.

The body is plain text: paragraphs separated by a blank line, and lines starting with "- " make a list."""

import re
from dataclasses import dataclass

# A name in braces; anything else with a brace is refused, so a typo cannot be sent as it is.
PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
# What a letter shows where the case has nothing recorded yet: the practitioner must replace it.
MISSING = "[not recorded]"


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str
    sample: str | tuple[str, ...]  # what the preview shows, from a made-up case
    person_only: bool = False

    @property
    def code(self) -> str:
        return "{" + self.name + "}"


PLACEHOLDERS = {
    p.name: p
    for p in (
        Placeholder("today", "Today’s date, for example 6 December 2026", ""),
        Placeholder("person_name", "The person’s full name", "Sam Taylor"),
        Placeholder(
            "person_first_name", "The name the person likes to be called, or their first name", "Sam"
        ),
        Placeholder(
            "person_address", "The person’s address and postcode", "12 Station Road\nNorthtown NT1 2AB", True
        ),
        Placeholder(
            "practitioner_name",
            "The lead practitioner’s name (the name of whoever makes the letter, if none is allocated)",
            "Priya Shah",
        ),
        Placeholder("team_name", "The team the enquiry is with", "North Locality"),
        Placeholder("referrer_name", "The name of the person who raised the concern", "Jo Green"),
        Placeholder("concern_received_on", "The date the concern was received", "2 December 2026"),
        Placeholder(
            "what_matters",
            "What the person told us matters to them, in their words (the latest recorded)",
            "Seeing my grandson on Sundays and keeping my dog",
            True,
        ),
        Placeholder(
            "outcomes_in_their_words",
            "What the person wants to happen, in their words, most important first (one line each)",
            ("I want my nephew to stop taking my pension", "I want to stay in my own home"),
            True,
        ),
        Placeholder(
            "outcomes_and_results",
            "Each thing the person wanted, and whether it happened (one line each)",
            (
                "I want my nephew to stop taking my pension: this happened",
                "I want to stay in my own home: this partly happened",
            ),
            True,
        ),
        Placeholder(
            "closure_summary",
            "The closure summary written to the person",
            "Your nephew no longer has your bank card. The bank will tell you about any large payment.",
            True,
        ),
        Placeholder(
            "next_contact_on", "The next contact agreed with the person", "Monday 14 December 2026", True
        ),
    )
}

# How a recorded achievement is told to the person (SG4a's labels are for the return, not for them).
ACHIEVEMENT_WORDS = {
    "fully": "this happened",
    "partially": "this partly happened",
    "not": "this did not happen",
}


def placeholder_problems(text: str, *, audience: str) -> list[str]:
    """What is wrong with the placeholders in `text` for a letter to `audience`, every problem at once."""
    problems = []
    for name in dict.fromkeys(PLACEHOLDER.findall(text)):
        placeholder = PLACEHOLDERS.get(name.strip())
        if placeholder is None:
            problems.append(
                f"{{{name}}} is not a placeholder. Use one of the placeholders listed, spelt as shown"
            )
        elif placeholder.person_only and audience != "person":
            problems.append(
                f"{placeholder.code} is only for letters to the person: it is their own information"
            )
    stray = PLACEHOLDER.sub("", text)
    if "{" in stray or "}" in stray:
        problems.append("Use braces { } only around a placeholder, for example {person_first_name}")
    return problems


def fill(text: str, values: dict[str, str | tuple[str, ...] | list[str]]) -> str:
    """`text` with each placeholder replaced by its value. A list on a line of its own becomes one "- " line
    per item (a list in the letter); anywhere else its items are joined with "; ". An empty value is
    MISSING, for the practitioner to replace before the letter is made."""

    def value_of(name: str) -> str | tuple[str, ...] | list[str]:
        return values.get(name.strip()) or MISSING

    lines = []
    for line in text.splitlines():
        alone = PLACEHOLDER.fullmatch(line.strip())
        value = value_of(alone.group(1)) if alone else None
        if isinstance(value, list | tuple):
            lines.extend(f"- {item}" for item in value)
            continue

        def replace(match: re.Match) -> str:
            value = value_of(match.group(1))
            return "; ".join(value) if isinstance(value, list | tuple) else value

        lines.append(PLACEHOLDER.sub(replace, line))
    return "\n".join(lines)


def sample_values(today: str) -> dict[str, str | tuple[str, ...]]:
    """A made-up case for the preview: nobody's real details are read to show a template."""
    return {name: p.sample for name, p in PLACEHOLDERS.items()} | {"today": today}


@dataclass(frozen=True)
class Block:
    kind: str  # "p" or "ul"
    lines: tuple[str, ...]


def blocks(text: str) -> list[Block]:
    """The letter's text as paragraphs (a blank line between) and lists (lines starting "- ")."""
    out: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        current: list[str] = []
        kind = ""
        for raw in chunk.splitlines():
            line = raw.strip()
            item = line[2:].strip() if line.startswith(("- ", "• ")) else None
            line_kind = "ul" if item is not None else "p"
            if current and line_kind != kind:
                out.append(Block(kind, tuple(current)))
                current = []
            kind = line_kind
            current.append(item if item is not None else line)
        if current:
            out.append(Block(kind, tuple(current)))
    return out
