"""axe-core checks for the browser tests: WCAG 2.2 A and AA, no violations allowed.

Every violation axe reports is also kept in `VIOLATIONS_SEEN`, so the end-of-run summary lists them even for
tests marked xfail (a known app bug awaiting its fix)."""

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# axe-core's tags: WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 added no new level A rules axe checks).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


@dataclass(frozen=True)
class SeenViolation:
    label: str
    url: str
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    html: tuple[str, ...]


VIOLATIONS_SEEN: list[SeenViolation] = []


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(str(t) for t in node['target'])}")
            lines.append(f"      {node['html'][:300]}")
            for summary_line in node.get("failureSummary", "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, label: str) -> None:
    """Run axe on the page as it is now and fail with a readable list when anything violates WCAG 2.2 AA."""
    page.wait_for_load_state("load")
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    for violation in violations:
        VIOLATIONS_SEEN.append(
            SeenViolation(
                label=label,
                url=page.url,
                rule=violation["id"],
                impact=violation["impact"] or "",
                help=violation["help"],
                help_url=violation["helpUrl"],
                targets=tuple(", ".join(str(t) for t in node["target"]) for node in violation["nodes"]),
                html=tuple(node["html"] for node in violation["nodes"]),
            )
        )
    if violations:
        pytest.fail(
            f"axe found {len(violations)} WCAG 2.2 A/AA violation(s) on {label} ({page.url}):\n"
            + format_violations(violations),
            pytrace=False,
        )
