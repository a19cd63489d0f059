"""WCAG 2.2 reflow (1.4.10): at 320 CSS pixels wide, as on a small phone or at 400% zoom, every page a role
reaches from the navigation fits the window, so nobody scrolls sideways to read a page. A data table too wide
for the window scrolls inside its own named, focusable region instead (the criterion's exception for content
that needs two dimensions; templates/includes/table_scroll.html). Each page also passes axe at that width, and
at a desktop width no table's region scrolls, so desktop pages look as they did.

Each visit first checks the page is the one intended (its heading), so a test can never pass by measuring an
error page. Every page of a role is visited in one test (the demo data is loaded once per test) and every
problem found is reported together."""

import re
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}

# The demo records each role opens: North's open enquiry for the practitioner; for the manager, the restricted
# record whose enquiry has a safeguarding plan and drift reminders; a South case proposed for closure for the
# unit lead.
ROLE_CASE = {"practitioner.north": "DEMO-004", "manager.north": "DEMO-012", "unit": "DEMO-010"}


@dataclass(frozen=True)
class Visit:
    name: str
    path: str  # filled from the role's demo case: {person}, {concern}, {enquiry}
    heading: str | re.Pattern


COMMON = [
    Visit("caseload, mine", "/caseload/?show=mine", re.compile("^(Caseload|All cases)$")),
    Visit("caseload, open", "/caseload/?show=open", re.compile("^(Caseload|All cases)$")),
    Visit("caseload, closed", "/caseload/?show=closed", re.compile("^(Caseload|All cases)$")),
    Visit("person", "/people/{person}/", re.compile(".")),
    Visit("concern", "/concerns/{concern}/", re.compile("^Concern received")),
    Visit("enquiry", "/enquiries/{enquiry}/", re.compile("^Enquiry opened")),
    Visit("notifications", "/notifications/", "Notifications"),
    Visit("exports", "/exports/", "My exports"),
    Visit("find a person", "/people/search/?q=Rahman", "Find a person"),
    Visit("your sessions", "/accounts/sessions/", "Your sessions"),
]
OVERSIGHT = [
    Visit("team dashboard", "/team/", "Team dashboard"),
    Visit("sign-off queue", "/team/sign-off/", "Sign-off queue"),
]
UNIT = [
    Visit("record of access", "/access/", "Record of access"),
    Visit("who has looked", "/people/{person}/access/", "Who has looked at this record"),
    Visit("role changes", "/accounts/role-changes/", "Role changes"),
    Visit("accounts", "/accounts/review/", "Accounts"),
    Visit("reports", "/reports/", "Reports"),
    Visit("SAC return", "/reports/sac/", "SAC return"),
    Visit("Making Safeguarding Personal", "/reports/msp/", "Making Safeguarding Personal"),
    Visit("experience", "/reports/experience/", re.compile("^My Safeguarding Experience")),
    Visit("timeliness", "/reports/timeliness/", "Timeliness"),
    Visit("audit results", "/reports/audits/", "Case-file audits"),
    Visit("case-file audits", "/audits/", "Case-file audits"),
]
VISITS = {
    "practitioner.north": COMMON,
    "manager.north": COMMON + OVERSIGHT,
    "unit": COMMON + OVERSIGHT + UNIT,
}

# The page's own width, and any table region that scrolls (which at a desktop width none should).
MEASURE = """() => ({
  page: document.documentElement.scrollWidth,
  scrolling: [...document.querySelectorAll('.app-table-scroll')]
    .filter(region => region.scrollWidth > region.clientWidth)
    .map(region => region.getAttribute('aria-label') || region.getAttribute('aria-labelledby')),
})"""


def _rows_for_every_table(email: str, cases) -> None:
    """An export and a role change, so the exports and role-changes pages show their tables (the demo has
    neither), and a record of access with rows."""
    from msp_cases.accounts.models import Team, User
    from msp_cases.accounts.services import user_access_set
    from msp_cases.exports.models import Export

    user = User.objects.get(email=email)
    now = timezone.now()
    enquiry = cases["DEMO-004"].enquiry
    Export.objects.create(
        kind="case_summary",
        params={"enquiry": enquiry},
        enquiry_id=enquiry,
        requested_by=user,
        title="Case summary",
        filename=f"enquiry-{enquiry}-case-summary.pdf",
        created_at=now,
        expires_at=now + timezone.timedelta(days=7),
    )
    user_access_set(
        actor=User.objects.get(email="admin@example.org"),
        user=User.objects.get(email="practitioner.south@example.org"),
        teams=Team.objects.all(),
        ip_address="192.0.2.1",
    )


@pytest.mark.parametrize("role", list(VISITS))
def test_every_page_fits_a_320_pixel_window_and_passes_axe(ui, demo_cases, role):
    email = f"{role}@example.org"
    _rows_for_every_table(email, demo_cases)
    case = demo_cases[ROLE_CASE[role]]
    ui.use_session_of(email)
    page = ui.page
    problems = []
    for visit in VISITS[role]:
        path = visit.path.format(person=case.person, concern=case.concern, enquiry=case.enquiry)
        page.set_viewport_size(NARROW)
        ui.goto(path)
        expect(page.locator("h1")).to_have_text(visit.heading)
        narrow = page.evaluate(MEASURE)
        if narrow["page"] > NARROW["width"]:
            problems.append(
                f"{visit.name} ({path}) is {narrow['page']}px wide at 320px: the page scrolls sideways"
            )
            ui.shot(f"{visit.name} too wide")
        try:
            assert_accessible(page, label=f"{role} {visit.name} at 320px")
        except pytest.fail.Exception as failure:
            problems.append(str(failure))

        page.set_viewport_size(DESKTOP)
        wide = page.evaluate(MEASURE)
        if wide["scrolling"]:
            problems.append(
                f"{visit.name} ({path}) at 1280px: tables scroll in their regions {wide['scrolling']}"
            )
    assert not problems, "\n".join(problems)


def test_a_wide_table_scrolls_in_its_own_region_by_keyboard_with_its_caption_in_view(ui):
    """The caseload's seven columns cannot fit 320 pixels: the table scrolls inside a region named by its
    caption, which takes focus from the keyboard and scrolls with the arrow keys, while the caption stays in
    the window."""
    ui.use_session_of("manager.north@example.org")
    page = ui.page
    page.set_viewport_size(NARROW)
    ui.goto("/caseload/?show=open")
    region = page.get_by_role("region", name=re.compile("^Enquiries: All open"))
    lead_heading = region.get_by_role("columnheader", name="Lead practitioner")
    expect(region).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == NARROW["width"]
    expect(lead_heading).not_to_be_in_viewport()
    ui.shot("caseload at 320px")

    region.focus()
    expect(region).to_be_focused()
    for _ in range(15):  # the arrow keys scroll the focused region a step at a time
        page.keyboard.press("ArrowRight")
    expect(lead_heading).to_be_in_viewport()
    caption = region.locator("caption")
    box = caption.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], "the caption scrolled away"
    ui.shot("caseload scrolled to the last column")
