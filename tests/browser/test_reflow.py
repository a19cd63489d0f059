"""WCAG 2.2 reflow (1.4.10): at 320 and at 375 CSS pixels wide, as on small phones or at 400% zoom, every
page a role reaches fits the window (`document.documentElement.scrollWidth <= window.innerWidth`), so nobody
scrolls sideways to read a page. A data table too wide for the window scrolls inside its own named, focusable
region instead, with shadows at its edges showing that columns are hidden (the criterion's exception for
content that needs two dimensions; templates/includes/table_scroll.html), while the caseload, a list of
records, stacks each enquiry as a summary. Each page also passes axe at 320 pixels, and at a desktop width no
table's region scrolls, so desktop pages look as they did.

The crawl covers every item in a role's navigation (asserted) and every page a role opens from its records:
the person, concern and enquiry, each form of casework (conversation, plan, meeting, outcomes, experience,
documents, letters, transfer, closure), dashboards, every report including the SAC return, audits, letter
templates, accounts, notifications, exports, the record of access, sessions, two-factor authentication and
front-door screening.

Each visit first checks the page is the one intended (its heading), so a test can never pass by measuring an
error page (a page that is not the one intended is itself a problem). Every page of a role is visited in one
test (the demo data is loaded once per role) at each width in turn, and every problem found is reported
together."""

import re
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from enquiries.models import CareProvider, ConversationLog, Enquiry, PlanAction
from feedback.audits.services import audit_sample_draw
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.services import user_access_set
from msp_cases.core.actor import Actor
from msp_cases.core.navigation import nav_items_for
from msp_cases.core.pdf import html_to_pdf
from msp_cases.documents.models import Document
from msp_cases.documents.services import Upload, document_upload
from msp_cases.exports.models import Export
from msp_cases.frontdoor.models import Referral
from msp_cases.letters.models import LetterTemplate
from msp_cases.reviews.models import ReviewIndividual
from outcomes.models import DesiredOutcome

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

# Small phones (and 1280px at 400% zoom) and the commonest phone width.
WIDTHS = (320, 375)
HEIGHT = 640
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": WIDTHS[0], "height": HEIGHT}

# The demo records each role opens: North's open enquiry for the practitioner; for the manager, the restricted
# record whose enquiry has a safeguarding plan and drift reminders; a South case proposed for closure for the
# unit lead. The front door screens referrals and opens no case.
ROLE_CASE = {"practitioner.north": "DEMO-004", "manager.north": "DEMO-012", "unit": "DEMO-010"}
# The record each role does casework on, with its conversations, plan, outcomes and a document: an enquiry in
# progress for the practitioner and the manager; for the unit lead (who reads but does not record) the same
# South case.
ROLE_CASEWORK = {"practitioner.north": "DEMO-005", "manager.north": "DEMO-012", "unit": "DEMO-010"}


@dataclass(frozen=True)
class Visit:
    name: str
    # Filled from the role's records: {person}, {concern}, {enquiry} (the case); {work_person},
    # {work_concern}, {work_enquiry}, {conversation}, {plan_action}, {outcome}, {document} (the casework);
    # {export}, {template}, {referral}, {sample}, {sampled}, {account}, {provider}.
    path: str
    heading: str | re.Pattern
    # The SAC return's widest tables may scroll in their regions at a desktop width too (the test below checks
    # they do so with the cue); every other page's tables fit a desktop.
    scrolls_on_a_desktop: bool = False


ANY = re.compile(".")
COMMON = [
    Visit("caseload, mine", "/caseload/?show=mine", re.compile("^(Caseload|All cases)$")),
    Visit("caseload, open", "/caseload/?show=open", re.compile("^(Caseload|All cases)$")),
    Visit("caseload, closed", "/caseload/?show=closed", re.compile("^(Caseload|All cases)$")),
    Visit("person", "/people/{person}/", ANY),
    Visit("concern", "/concerns/{concern}/", re.compile("^Concern received")),
    Visit("enquiry", "/enquiries/{enquiry}/", re.compile("^Enquiry opened")),
    Visit("casework enquiry", "/enquiries/{work_enquiry}/", re.compile("^Enquiry opened")),
    Visit("conversation", "/conversations/{conversation}/", re.compile("^Conversation on")),
    Visit("outcome", "/outcomes/{outcome}/", "What the person wants to happen"),
    Visit("document", "/documents/{document}/", "Letter from the GP"),
    Visit("find a person", "/people/search/?q=Rahman", "Find a person"),
    Visit("care provider", "/providers/{provider}/", ANY),
]
ACCOUNT = [
    Visit("notifications", "/notifications/", "Notifications"),
    Visit(
        "notification emails",
        "/notifications/email-preferences/",
        re.compile("How do you want to be emailed"),
    ),
    Visit("exports", "/exports/", "My exports"),
    Visit("your sessions", "/accounts/sessions/", "Your sessions"),
    Visit("two-factor authentication", "/account/two-factor/", "Two-factor authentication"),
]
# An export of a case the role may open.
EXPORT = [Visit("export", "/exports/{export}/", re.compile("^Case summary"))]
CASEWORK = [
    Visit("new person", "/people/new/", "Record a person"),
    Visit("new concern", "/concerns/new/", "Record a safeguarding concern"),
    Visit("change a person", "/people/{work_person}/edit/", "Change their details"),
    Visit("add to network", "/people/{work_person}/network/new/", "Add someone to their network"),
    Visit("conversation form", "/enquiries/{work_enquiry}/conversations/new/", "Record a conversation"),
    Visit(
        "conversation on a concern", "/concerns/{work_concern}/conversations/new/", "Record a conversation"
    ),
    Visit("amend a conversation", "/conversations/{conversation}/amend/", "Amend a conversation"),
    Visit(
        "plan action form", "/enquiries/{work_enquiry}/plan/new/", "Add an action to the safeguarding plan"
    ),
    Visit("change a plan action", "/plan-actions/{plan_action}/edit/", "Change a plan action"),
    Visit("meeting form", "/enquiries/{work_enquiry}/meetings/new/", "Record a meeting"),
    Visit("next contact", "/enquiries/{work_enquiry}/next-contact/", "Change the next contact date"),
    Visit("enquiry details", "/enquiries/{work_enquiry}/details/", "Risk, capacity, advocacy and outcomes"),
    Visit("closure details", "/enquiries/{work_enquiry}/closure-details/", "Closure details"),
    Visit("propose closure", "/enquiries/{work_enquiry}/propose-closure/", "Propose closure"),
    Visit("outcome form", "/enquiries/{work_enquiry}/outcomes/new/", "Add what the person wants to happen"),
    Visit("revise an outcome", "/outcomes/{outcome}/revise/", "Change what the person wants to happen"),
    Visit("outcome achieved", "/outcomes/{outcome}/achievement/", "Record how far the outcome was achieved"),
    Visit(
        "experience part 1",
        "/enquiries/{work_enquiry}/experience/part-1/",
        "My Safeguarding Experience Part 1",
    ),
    Visit(
        "experience part 2",
        "/enquiries/{work_enquiry}/experience/part-2/",
        "My Safeguarding Experience Part 2",
    ),
    Visit("document form", "/enquiries/{work_enquiry}/documents/new/", "Add a document"),
    Visit("letters", "/enquiries/{work_enquiry}/letters/new/", "Make a letter"),
    Visit(
        "write a letter", "/enquiries/{work_enquiry}/letters/new/{template}/", re.compile("^Make a letter: ")
    ),
    Visit("transfer", "/enquiries/{work_enquiry}/transfer/", "Transfer this enquiry to another team"),
    Visit("transfers", "/team/transfers/", "Transfers between teams"),
]
OVERSIGHT = [
    Visit("team dashboard", "/team/", "Team dashboard"),
    Visit("sign-off queue", "/team/sign-off/", "Sign-off queue"),
    Visit("reports", "/reports/", "Reports"),
    Visit("SAC return", "/reports/sac/", "SAC return", scrolls_on_a_desktop=True),
    Visit("Making Safeguarding Personal", "/reports/msp/", "Making Safeguarding Personal"),
    Visit("experience", "/reports/experience/", re.compile("^My Safeguarding Experience")),
    Visit("timeliness", "/reports/timeliness/", "Timeliness"),
    Visit("audit results", "/reports/audits/", "Case-file audits"),
]
MANAGER = [
    Visit("allocate", "/enquiries/{work_enquiry}/allocate/", "Allocate the enquiry"),
    Visit("manager review", "/enquiries/{work_enquiry}/manager-review/", "Record a manager review"),
    Visit("sign off", "/enquiries/{work_enquiry}/sign-off/", "Sign off closure"),
    Visit("organisation's perspective", "/enquiries/{work_enquiry}/organisation-perspective/", ANY),
]
UNIT = [
    Visit("record of access", "/access/", "Record of access"),
    Visit("who has looked", "/people/{person}/access/", "Who has looked at this record"),
    Visit("subject access", "/people/{person}/subject-access-request/", "Produce a subject access pack"),
    Visit("role changes", "/accounts/role-changes/", "Role changes"),
    Visit("accounts", "/accounts/review/", "Accounts"),
    Visit("an account", "/accounts/review/{account}/", ANY),
    Visit("care providers", "/providers/", "Care providers"),
    Visit("case-file audits", "/audits/", "Case-file audits"),
    Visit("draw a sample", "/audits/draw/", "Draw an audit sample"),
    Visit("audit sample", "/audits/{sample}/", re.compile("^Sample of ")),
    Visit("audit an enquiry", "/audits/{sample}/enquiries/{sampled}/", ANY),
    Visit("letter templates", "/letters/templates/", "Letter templates"),
    Visit("change a template", "/letters/templates/{template}/", "Change a letter template"),
    Visit("add a template", "/letters/templates/new/", "Add a letter template"),
    Visit("reviews", "/safeguarding-adults-reviews/", "Safeguarding Adults Reviews"),
    Visit("a review", "/safeguarding-adults-reviews/{review}/", "Adult S"),
    Visit("add a review", "/safeguarding-adults-reviews/new/", "Add a Safeguarding Adults Review"),
    Visit("change a review", "/safeguarding-adults-reviews/{review}/change/", "Change the review: Adult S"),
    Visit(
        "an individual of a review",
        "/safeguarding-adults-reviews/{review}/individuals/{review_individual}/",
        "Change an individual",
    ),
    Visit("API clients", "/api-clients/", "API clients"),
    Visit("make an API client", "/api-clients/new/", "Make an API client"),
    Visit("retention", "/retention/", "Closed cases due for retention review"),
    Visit("retention of a record", "/retention/people/{person}/", "Retention of the record"),
    Visit("place a legal hold", "/retention/people/{person}/hold/", "Place a legal hold"),
    # The demo's people all have work open: the page says why disposal cannot be proposed.
    Visit("propose disposal", "/retention/people/{person}/propose/", "Propose disposal of the record"),
]
FRONT_DOOR = [
    Visit("referrals", "/front-door/", "Referrals waiting to be screened"),
    Visit("screening", "/front-door/{referral}/", "Screen this referral"),
    Visit("care providers", "/providers/", "Care providers"),
    Visit("care provider", "/providers/{provider}/", ANY),
]
VISITS = {
    "practitioner.north": COMMON + ACCOUNT + EXPORT + CASEWORK,
    "manager.north": COMMON + ACCOUNT + EXPORT + CASEWORK + OVERSIGHT + MANAGER,
    "unit": COMMON + ACCOUNT + EXPORT + OVERSIGHT + UNIT,
    "frontdoor": FRONT_DOOR + ACCOUNT,
}

# The page's own width against the window's, and any table region that scrolls (which at a desktop width none
# should).
MEASURE = """() => ({
  page: document.documentElement.scrollWidth,
  window: window.innerWidth,
  fits: document.documentElement.scrollWidth <= window.innerWidth,
  scrolling: [...document.querySelectorAll('.app-table-scroll, .app-chart-table')]
    .filter(region => region.scrollWidth > region.clientWidth)
    .map(region => region.getAttribute('aria-label') || region.getAttribute('aria-labelledby')),
})"""

# The busiest pages, photographed at each width for a person to look at.
PHOTOGRAPHED = {"caseload, open", "person", "enquiry", "casework enquiry", "SAC return"}


def _records_for_every_page(email: str, cases, role: str) -> dict[str, int | str]:
    """The ids the visits need, making what the demo lacks: an export and a role change (so the exports and
    role-changes pages show their tables), a document on the casework enquiry, and for the unit an audit
    sample."""
    user = User.objects.get(email=email)
    now = timezone.now()
    enquiry = cases["DEMO-004"].enquiry
    export = Export.objects.create(
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
    ids: dict[str, int | str] = {
        "export": str(export.pk),
        "template": LetterTemplate.objects.order_by("pk").values_list("pk", flat=True)[0],
        "referral": Referral.objects.order_by("pk").values_list("pk", flat=True)[0],
        "account": User.objects.get(email="practitioner.north@example.org").pk,
        "provider": CareProvider.objects.order_by("pk").values_list("pk", flat=True)[0],
    }
    if role not in ROLE_CASE:
        return ids
    case, work = cases[ROLE_CASE[role]], cases[ROLE_CASEWORK[role]]
    ids |= {"person": case.person, "concern": case.concern, "enquiry": case.enquiry}
    ids |= {"work_person": work.person, "work_concern": work.concern, "work_enquiry": work.enquiry}
    ids["conversation"] = ConversationLog.objects.filter(enquiry=work.enquiry).order_by("pk")[0].pk
    ids["plan_action"] = PlanAction.objects.filter(enquiry=work.enquiry).order_by("pk")[0].pk
    ids["outcome"] = DesiredOutcome.objects.filter(enquiry=work.enquiry).order_by("pk")[0].pk
    work_enquiry = Enquiry.objects.select_related("lead_practitioner").get(pk=work.enquiry)
    letter = html_to_pdf("<h1>Letter from the GP</h1>", base_url="/")
    [document] = document_upload(
        actor=Actor.of(work_enquiry.lead_practitioner),
        record=work_enquiry,
        uploads=[Upload(name="gp-letter.pdf", file=SimpleUploadedFile("gp-letter.pdf", letter))],
        title="Letter from the GP",
        kind=Document.Kind.REPORT,
    )
    ids["document"] = document.pk
    if role == "unit":
        sample = audit_sample_draw(
            user=user,
            start=now.date() - timezone.timedelta(days=365),
            end=now.date(),
            team=None,
            size=5,
            seed=1,
        )
        ids["sample"] = sample.pk
        ids["sampled"] = sample.items.order_by("position")[0].enquiry_id
        # The demo's review arranged this year, and its individual (msp_cases.shell.demo.reviews).
        individual = ReviewIndividual.objects.get(review__name="Adult S")
        ids["review"], ids["review_individual"] = individual.review_id, individual.pk
    return ids


def _missing_from_crawl(email: str, visits: list[Visit]) -> list[str]:
    """Items of the role's navigation that no visit opens (Django's own admin aside)."""
    paths = [visit.path.split("?")[0] for visit in visits]
    return [
        item.text
        for item in nav_items_for(User.objects.get(email=email))
        if not item.url_name.startswith("admin:") and item.href not in paths
    ]


@pytest.mark.parametrize("role", list(VISITS))
def test_every_page_fits_320_and_375_pixel_windows_and_passes_axe(ui, demo_cases, role):
    email = f"{role}@example.org"
    ids = _records_for_every_page(email, demo_cases, role)
    missing = _missing_from_crawl(email, VISITS[role])
    assert not missing, f"the crawl opens no page for these navigation items: {missing}"
    ui.use_session_of(email)
    page = ui.page
    problems = []
    for visit in VISITS[role]:
        path = visit.path.format(**ids)
        page.set_viewport_size(NARROW)
        ui.goto(path)
        try:
            expect(page.locator("h1")).to_have_text(visit.heading)
        except AssertionError:
            problems.append(
                f"{visit.name} ({path}) is not the page intended: {page.locator('h1').inner_text()}"
            )
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            narrow = page.evaluate(MEASURE)
            if not narrow["fits"]:
                problems.append(
                    f"{visit.name} ({path}) is {narrow['page']}px wide in a {narrow['window']}px window: "
                    "the page scrolls sideways"
                )
                ui.shot(f"{visit.name} too wide at {width}px")
            elif visit.name in PHOTOGRAPHED:
                ui.shot(f"{visit.name} at {width}px")
        page.set_viewport_size(NARROW)
        try:
            assert_accessible(page, label=f"{role} {visit.name} at {WIDTHS[0]}px")
        except pytest.fail.Exception as failure:
            problems.append(str(failure))

        page.set_viewport_size(DESKTOP)
        wide = page.evaluate(MEASURE)
        if visit.name in PHOTOGRAPHED:
            ui.shot(f"{visit.name} at {DESKTOP['width']}px")
        if wide["scrolling"] and not visit.scrolls_on_a_desktop:
            problems.append(
                f"{visit.name} ({path}) at 1280px: tables scroll in their regions {wide['scrolling']}"
            )
    assert not problems, "\n".join(problems)


# The SG2a_b1 table (ten columns) and the region it scrolls in: where each ends, whether the region scrolls
# and whether it draws the shadows that show columns are hidden.
SAC_TABLE = """() => {
  const table = document.getElementById('SG2a_b1');
  const region = table.closest('[role=region]');
  const style = getComputedStyle(region);
  return {
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
    table: table.getBoundingClientRect().right,
    region: region.getBoundingClientRect().right,
    scrolls: region.scrollWidth > region.clientWidth,
    overflow: style.overflowX,
    cue: style.backgroundImage.includes('gradient'),
  };
}"""


def test_the_sac_returns_widest_table_stays_in_its_own_region_at_every_width(ui):
    """SG2a_b1 has ten columns. At 1280 pixels it does not push the page wider than the window: it fits, or
    scrolls inside its own region, whose shadows show that columns are hidden. At 320 pixels it cannot fit: it
    scrolls inside a region named by its caption, which takes focus from the keyboard and scrolls with the
    arrow keys, while the caption stays in the window."""
    ui.use_session_of("unit@example.org")
    page = ui.page
    page.set_viewport_size(DESKTOP)
    ui.goto("/reports/sac/")
    region = page.get_by_role("region", name=re.compile("^SG2a_b1"))
    expect(region).to_be_visible()
    sac = page.evaluate(SAC_TABLE)
    assert sac["page"] <= sac["window"], (
        f"the SAC return is {sac['page']}px wide in a {sac['window']}px window"
    )
    assert sac["region"] <= sac["window"], "SG2a_b1's region runs past the window"
    if sac["table"] > sac["region"]:
        assert sac["scrolls"] and sac["overflow"] == "auto" and sac["cue"], "SG2a_b1 is cut off without a cue"

    page.set_viewport_size(NARROW)
    region.scroll_into_view_if_needed()
    sac = page.evaluate(SAC_TABLE)
    assert sac["page"] <= sac["window"], (
        f"the SAC return is {sac['page']}px wide in a {sac['window']}px window"
    )
    assert sac["scrolls"] and sac["cue"], "SG2a_b1 is cut off at 320px without a cue"
    scrolled = region.evaluate("r => ({left: r.scrollLeft, end: r.scrollWidth - r.clientWidth})")
    assert scrolled["left"] == 0 and scrolled["end"] > 0
    ui.shot("SG2a_b1 at 320px")

    region.focus()
    expect(region).to_be_focused()
    at_the_end = "r => r.scrollLeft >= r.scrollWidth - r.clientWidth - 1"
    for _ in range(80):  # the arrow keys scroll the focused region a step at a time
        page.keyboard.press("ArrowRight")
        if region.evaluate(at_the_end):
            break
    # A step may still be scrolling smoothly when the last key is pressed.
    page.wait_for_function(at_the_end, arg=region.element_handle(), timeout=5000)
    last_heading = region.get_by_role("columnheader").last.bounding_box()
    assert last_heading["x"] + last_heading["width"] <= NARROW["width"], "the last column is still hidden"
    box = region.locator("caption").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], "the caption scrolled away"
    ui.shot("SG2a_b1 scrolled to the last column")


def test_the_caseload_stacks_each_enquiry_on_a_phone_and_is_a_sortable_table_on_a_desktop(ui):
    """The caseload is a list of records: on a phone each enquiry is a block of its own, its facts one under
    another with their names, and the sort order is chosen from links above the list; on a desktop it is the
    table with sortable column headings. Both fit their windows."""
    ui.use_session_of("manager.north@example.org")
    page = ui.page
    ui.goto("/caseload/?show=open")
    table = page.get_by_role("table", name=re.compile("^Enquiries: All open"))
    stacked = page.get_by_role("list", name=re.compile("^Enquiries: All open"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        expect(table).to_be_hidden()
        expect(stacked).to_be_visible()
        lead = stacked.get_by_role("listitem").first.get_by_text("Lead practitioner").bounding_box()
        assert lead["x"] >= 0 and lead["x"] + lead["width"] <= width, "an enquiry's facts run off the window"
        expect(page.get_by_role("navigation", name="Sort the enquiries")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        ui.shot(f"caseload at {width}px")
    page.set_viewport_size(DESKTOP)
    expect(stacked).to_be_hidden()
    expect(table.get_by_role("columnheader", name="Lead practitioner")).to_be_visible()
    expect(page.get_by_role("navigation", name="Sort the enquiries")).to_be_hidden()
    ui.shot("caseload at 1280px")
