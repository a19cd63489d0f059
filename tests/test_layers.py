"""The bottom and the top of the house in layers (pyproject.toml's import-linter contract, STYLE.md), checked
module by module: the foundations import no app, the mechanisms know nothing of the case domain, and no app
imports the shell. `lint-imports` checks the whole contract."""

import grimp
import pytest

PACKAGES = ("msp_cases", "enquiries", "outcomes", "feedback")
APPS = ("enquiries", "outcomes", "feedback")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def _imports(graph, importer: str, imported: str) -> list[str]:
    return [
        f"{i['importer']} -> {i['imported']}"
        for i in graph.find_matching_direct_imports(import_expression=f"{importer} -> {imported}")
    ]


def test_the_foundations_import_no_app_of_the_project(graph):
    above = [p for p in PACKAGES if p != "msp_cases"] + [
        m for m in graph.find_children("msp_cases") if m != "msp_cases.core"
    ]
    found = [line for module in above for line in _imports(graph, "msp_cases.core.**", f"{module}.**")]
    found += [line for module in above for line in _imports(graph, "msp_cases.core.**", module)]
    assert found == []


@pytest.mark.parametrize("mechanism", ["msp_cases.notifications", "msp_cases.exports"])
def test_the_mechanisms_know_nothing_of_the_case_domain(graph, mechanism):
    assert [line for app in APPS for line in _imports(graph, f"{mechanism}.**", f"{app}.**")] == []


def test_no_app_imports_the_shell(graph):
    importers = {i.split(" -> ")[0] for i in _imports(graph, "**", "msp_cases.shell.**")}
    outside = {m for m in importers if not m.startswith(("msp_cases.shell", "msp_cases.urls"))}
    assert outside == set()
