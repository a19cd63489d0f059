"""Each app registers the exports it owns from its AppConfig.ready(); the export mechanism itself knows
nothing of enquiries, outcomes or feedback."""

import ast
import pathlib

import pytest

from msp_cases.exports import registry

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("key", "owner"),
    [
        ("case_summary", "enquiries.exports"),
        ("experience_part1", "feedback.exports"),
        ("experience_part2", "feedback.exports"),
        ("safeguarding_plan", "feedback.exports"),
    ],
)
def test_the_app_that_owns_a_case_export_registers_it(key, owner):
    kind = registry.get(key)
    assert kind is not None and kind.needs_enquiry
    render = getattr(kind.render, "__wrapped__", kind.render)
    assert render.__module__ == owner
    assert kind.find_enquiry is not None  # the app says how to find the case in the requester's scope


def test_the_export_mechanism_imports_no_case_app():
    reaching_up = []
    for path in sorted((ROOT / "msp_cases" / "exports").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            reaching_up += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.split(".")[0] in {"enquiries", "outcomes", "feedback"}
            ]
    assert reaching_up == []
