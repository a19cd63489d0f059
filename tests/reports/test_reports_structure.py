"""How the reports are put together: what the worker runs never depends on a page, and no module grows past
what a reader takes in at once (a module that passes ~400 lines becomes a package split by sub-domain)."""

import ast
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[2] / "msp_cases" / "reports"


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved within msp_cases.reports."""
    package = ["msp_cases", *path.relative_to(REPORTS.parent.parent).parts[1:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_export_kinds_and_figures_never_import_a_view():
    """The export worker renders a report's CSV and PDF without loading any page's module."""
    offenders = {
        f"{path.relative_to(REPORTS)}: {module}"
        for folder in ("kinds", "figures", "measures", "sac")
        for path in (REPORTS / folder).rglob("*.py")
        for module in _imports(path)
        if module.startswith("msp_cases.reports.views")
    }
    assert offenders == set()


def test_no_reports_module_passes_400_lines():
    long = {
        f"{path.relative_to(REPORTS)}: {lines}"
        for path in REPORTS.rglob("*.py")
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > 400
    }
    assert long == set()
