"""Browser tests: Debian's Chromium driven through Playwright's sync API against Django's live server,
with the demo data loaded.

The fixtures have their own names (`chromium_browser`, `ui`) so they never meet pytest-playwright's
`browser`/`page`/`--browser` machinery, which would try to launch a browser Playwright downloaded itself.

Each step a test takes can be photographed with `ui.shot("what it shows")`; the pictures go to
test-artifacts/screenshots/<test>/ (gitignored) and the folder is printed at the end of the run.
"""

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

from msp_cases.shell.demo.seed import demo_seed

# Playwright's sync API keeps an asyncio event loop running in this thread, so Django would refuse the
# test's own ORM calls (SynchronousOnlyOperation) although nothing here is async. This is the switch
# Django documents for that case; it only ever applies to the test process.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

IN_CI = os.environ.get("CI") == "true"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
BUILT_CSS = REPO_ROOT / "static" / "dist" / "application.css"

# Generous for a 2-core machine, but a hung page still fails in seconds rather than minutes.
ACTION_TIMEOUT_MS = 10_000

_screenshots_taken = False  # read by tests/parallel.py for the end-of-run summary


def _unavailable(reason: str):
    """Locally a missing browser is a skip; in CI ("CI=true") it must never pass silently."""
    if IN_CI:
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


# One Playwright and one browser for the whole run. Another test package may import these fixtures (e.g.
# tests/exports/conftest.py); pytest then holds a second session-scoped `chromium_browser`, and a second
# sync_playwright() in this thread would fail ("Sync API inside the asyncio loop"). Each instance shares this.
_shared: dict = {"users": 0}


@pytest.fixture(scope="session")
def chromium_browser(django_db_setup) -> Browser:
    if "browser" not in _shared:
        if not Path(CHROMIUM_PATH).exists():
            _unavailable(f"Chromium not found at {CHROMIUM_PATH} (install chromium or set CHROMIUM_PATH)")
        if not BUILT_CSS.exists():
            _unavailable("the front end is not built: run `bash scripts/build-assets.sh`")
        # While Playwright's event loop runs, Django hands this thread a second set of database connections
        # (it keeps one set per async context). pytest-django stored the test database's initial contents,
        # which serialized rollback restores, on the first set: carry them over, or the second test would
        # find the roles gone. The test database is therefore set up before Playwright starts.
        initial_contents = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        playwright = sync_playwright().start()
        for alias, contents in initial_contents.items():
            connections[alias]._test_serialized_contents = contents
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
    _shared["users"] += 1
    yield _shared["browser"]
    _shared["users"] -= 1
    if _shared["users"] == 0:
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


@dataclass
class DemoCase:
    """Ids of one demo person's records, by their local identifier (DEMO-nnn, msp_cases/shell/demo)."""

    person: int
    concern: int
    enquiry: int | None


@pytest.fixture
def demo_cases(transactional_db, django_db_serialized_rollback, live_server) -> dict[str, DemoCase]:
    """The demo teams, users and cases, in a database the live server shares.

    transactional_db because the live server reads from its own thread; serialized rollback because the
    flush after each test would otherwise also remove the roles the data migration created."""
    from enquiries.models import Enquiry, SafeguardingConcern

    demo_seed()
    cases = {}
    for concern in SafeguardingConcern.objects.select_related("person"):
        enquiry = Enquiry.objects.filter(concern=concern).first()
        cases[concern.person.local_identifier] = DemoCase(
            person=concern.person_id, concern=concern.pk, enquiry=enquiry.pk if enquiry else None
        )
    return cases


@dataclass
class UI:
    """One browser tab on the live server, with the few steps every test needs."""

    page: Page
    base_url: str
    shots_dir: Path
    _shots: int = field(default=0)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def shot(self, step: str) -> Path:
        global _screenshots_taken
        self._shots += 1
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.shots_dir / f"{self._shots:02d}-{slug}.png"
        self.page.screenshot(path=path, full_page=True)
        _screenshots_taken = True
        return path

    def sign_in(self, email: str, password: str | None = None, *, expect_success: bool = True) -> None:
        """Through the real form, as a person would: labels, not field names."""
        self.goto("/sign-in/")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(settings.DEMO_PASSWORD if password is None else password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        if expect_success:
            expect(self.page).not_to_have_url(re.compile(r"/sign-in/"))

    def use_session_of(self, email: str) -> None:
        """Signed in without the form, for tests about what comes after it (the form has its own tests):
        Django's test client makes the session and the browser is handed its cookie."""
        from django.test import Client

        from msp_cases.accounts.models import User

        client = Client()
        client.force_login(User.objects.get(email=email))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": self.base_url}]
        )

    def sign_out(self) -> None:
        self.page.locator("header").get_by_role("button", name="Sign out").click()
        self.page.wait_for_url(re.compile(r"/sign-in/"))


@pytest.fixture
def ui(chromium_browser, demo_cases, live_server, request) -> UI:
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    shots_dir = SCREENSHOTS / test_name
    shutil.rmtree(shots_dir, ignore_errors=True)
    shots_dir.mkdir(parents=True)
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    yield UI(page=page, base_url=live_server.url, shots_dir=shots_dir)
    context.close()
    _wait_for_requests_in_flight()


def _wait_for_requests_in_flight(timeout: float = 15.0) -> None:
    """Before the test's data is flushed: a request the browser sent as it closed (a draft saved, a page
    it was still loading) may still be writing on the live server's connection, and a flush that truncates
    the tables under it deadlocks. Wait until no other connection to the test database is busy."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
