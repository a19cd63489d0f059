"""The suite across pytest-xdist workers (`make test` runs `pytest -n 2`).

Each worker has its own test database (pytest-django adds the worker's id to its name: test_<name>_gw0, ...),
its own live server and Chromium for the browser tests, and its own exports directory (msp_cases/settings/
test.py). The tests that start a real Celery worker use the database of the xdist worker they run in
(tests/integration/conftest.py reads its name from the connection) and hold the suite's Redis for
themselves while they run (tests/brokers.py `broker_to_myself`), so two never meet on one queue.

What needs the main process: the browser tests' notes (every axe violation seen, where the screenshots are)
are gathered in each worker and written once at the end, as they are when the suite runs in one process.
Loaded from tests/conftest.py (`pytest_plugins`); without -n the hooks do what the single process did."""

import sys
from dataclasses import asdict

import pytest

# What the workers sent back (filled in the main process only).
_from_workers: dict[str, list] = {"violations": [], "screenshots": []}


def _notes_here() -> dict[str, list]:
    """This process's browser notes (none when the browser tests were not collected)."""
    accessibility = sys.modules.get("tests.browser.accessibility")
    browser = sys.modules.get("tests.browser.conftest")
    return {
        "violations": [asdict(seen) for seen in accessibility.VIOLATIONS_SEEN] if accessibility else [],
        "screenshots": [str(browser.SCREENSHOTS)] if browser and browser._screenshots_taken else [],
    }


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the notes to the main process
        workeroutput["browser_notes"] = _notes_here()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    notes = getattr(node, "workeroutput", {}).get("browser_notes", {})
    for key, values in notes.items():
        _from_workers[key].extend(values)


def pytest_terminal_summary(terminalreporter):
    if hasattr(terminalreporter.config, "workerinput"):
        return
    notes = _notes_here()
    violations = notes["violations"] + _from_workers["violations"]
    screenshots = sorted(set(notes["screenshots"] + _from_workers["screenshots"]))
    if violations:
        terminalreporter.section("axe violations seen (including in xfail tests)")
        for seen in violations:
            terminalreporter.write_line(
                f"{seen['rule']} ({seen['impact']}) on {seen['label']}: {seen['help']}"
            )
            for target, html in zip(seen["targets"], seen["html"], strict=True):
                terminalreporter.write_line(f"    {target}: {html[:200]}")
    for folder in screenshots:
        terminalreporter.write_line(f"Browser test screenshots: {folder}")
