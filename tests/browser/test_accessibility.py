"""Every page each role can reach passes axe-core (WCAG 2.2 A and AA) with no violations, in the normal
colours and, for the pages people spend the day on, in high contrast.

Each visit first checks the page is the one intended (its heading), so a test can never pass by running axe
on an error page. The Django admin is not ours and is not checked."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from msp_cases.core.context_processors import CONTRAST_COOKIE

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

# Whose record each role opens: North's open enquiry for the practitioner, the restricted record (named to
# North's manager) for the manager, and a South case proposed for closure for the unit lead.
ROLE_CASE = {
    "practitioner.north": ("DEMO-004", "Joseph Wright (Joe)"),
    "manager.north": ("DEMO-012", "Claire Bennett"),
    "unit": ("DEMO-010", "Harold Young"),
}
CASELOAD_HEADING = {"practitioner.north": "Caseload", "manager.north": "Caseload", "unit": "All cases"}
# Another team's enquiry (South's), which a North practitioner or manager must not learn exists.
SOUTH_CASE = "DEMO-009"
CONCERN_HEADING = re.compile("^Concern received")
ENQUIRY_HEADING = re.compile("^Enquiry opened")


@dataclass(frozen=True)
class Visit:
    """One page for one role. Paths are templates filled from the role's demo case: {person}, {concern},
    {enquiry}, and {south_enquiry} for another team's."""

    role: str | None  # the demo account's email before "@"; None when signed out
    name: str
    path: str
    heading: str | re.Pattern
    high_contrast: bool = False
    before: tuple[str, ...] = ()  # pages to open first, so that e.g. a record of access has rows

    @property
    def id(self) -> str:
        contrast = "-high-contrast" if self.high_contrast else ""
        return f"{self.role or 'signed-out'}-{self.name}{contrast}"

    def fill(self, path: str, cases: dict) -> str:
        if self.role is None:
            return path
        case = cases[ROLE_CASE[self.role][0]]
        return path.format(
            person=case.person,
            concern=case.concern,
            enquiry=case.enquiry,
            south_enquiry=cases[SOUTH_CASE].enquiry,
        )


def _visits_for(role: str) -> list[Visit]:
    visits = [
        Visit(role, f"caseload-{show}", f"/caseload/?show={show}", CASELOAD_HEADING[role])
        for show in ("mine", "open", "closed")
    ]
    visits += [
        Visit(role, "person", "/people/{person}/", ROLE_CASE[role][1]),
        Visit(role, "concern", "/concerns/{concern}/", CONCERN_HEADING),
        Visit(role, "enquiry", "/enquiries/{enquiry}/", ENQUIRY_HEADING),
    ]
    if role == "unit":
        visits += [
            Visit(
                role,
                "who-has-looked",
                "/people/{person}/access/",
                "Who has looked at this record",
                before=("/people/{person}/", "/enquiries/{enquiry}/"),
            ),
            Visit(role, "record-of-access", "/access/", "Record of access", before=("/people/{person}/",)),
            Visit(role, "role-changes", "/accounts/role-changes/", "Role changes"),
            Visit(role, "reports", "/reports/", "Reports"),
            Visit(role, "sac-return", "/reports/sac/", "SAC return"),
            Visit(role, "sac-return-suppressed", "/reports/sac/?suppress=1", "SAC return"),
            Visit(role, "not-found", "/enquiries/999999/", "Page not found"),
        ]
    else:
        visits.append(Visit(role, "another-teams-enquiry", "/enquiries/{south_enquiry}/", "Page not found"))
    if role == "practitioner.north":
        visits += [
            Visit(role, "forbidden", "/access/", "You cannot do this"),
            Visit(
                role,
                "next-contact-change",
                "/enquiries/{enquiry}/next-contact/",
                "Change the next contact date",
            ),
        ]
    if role == "manager.north":
        visits.append(
            Visit(role, "manager-review", "/enquiries/{enquiry}/manager-review/", "Record a manager review")
        )
        # The dashboard's ticks for allocating several at once, and Part 2's revealed branches.
        visits.append(Visit(role, "team-dashboard", "/team/", "Team dashboard"))
        visits.append(
            Visit(
                role,
                "part-2",
                "/enquiries/{enquiry}/experience/part-2/",
                "My Safeguarding Experience Part 2",
            )
        )
    return visits


SIGN_IN_HEADING = "Sign in to MSP Cases"
VISITS = [
    Visit(None, "sign-in", "/sign-in/", SIGN_IN_HEADING),
    Visit(None, "sign-in-after-timeout", "/sign-in/?timeout=1", SIGN_IN_HEADING),
    Visit(None, "password-link-expired", "/password-reset/MQ/not-a-token/", "This link has expired"),
    *(visit for role in ROLE_CASE for visit in _visits_for(role)),
    # High contrast: the pages people spend the day on, and the ones that showed problems.
    Visit(None, "sign-in", "/sign-in/", SIGN_IN_HEADING, high_contrast=True),
    Visit("practitioner.north", "caseload-mine", "/caseload/?show=mine", "Caseload", high_contrast=True),
    Visit("practitioner.north", "enquiry", "/enquiries/{enquiry}/", ENQUIRY_HEADING, high_contrast=True),
    Visit("manager.north", "restricted-person", "/people/{person}/", "Claire Bennett", high_contrast=True),
    Visit(
        "unit",
        "record-of-access",
        "/access/",
        "Record of access",
        high_contrast=True,
        before=("/people/{person}/",),
    ),
]


KNOWN_VIOLATIONS: dict = {}  # none: the high-contrast violations found here were fixed in the app


@pytest.mark.parametrize(
    "visit", [pytest.param(v, id=v.id, marks=KNOWN_VIOLATIONS.get(v.id, ())) for v in VISITS]
)
def test_page_has_no_axe_violations(ui, demo_cases, visit):
    page = ui.page
    if visit.high_contrast:
        page.context.add_cookies([{"name": CONTRAST_COOKIE, "value": "high", "url": ui.base_url}])
    if visit.role:
        ui.use_session_of(f"{visit.role}@example.org")
    for path in visit.before:
        ui.goto(visit.fill(path, demo_cases))

    response = ui.goto(visit.fill(visit.path, demo_cases))
    expect(page.locator("h1")).to_have_text(visit.heading)
    if visit.heading == "Page not found":
        assert response.status == 404
    if visit.high_contrast:
        expect(page.locator("html")).to_have_class(re.compile(r"\bapp-high-contrast\b"))
    ui.shot(visit.id)
    assert_accessible(page, label=visit.id)


def test_sign_in_page_with_errors_has_no_axe_violations(ui):
    ui.sign_in("practitioner.north@example.org", "not-the-password", expect_success=False)
    expect(ui.page.locator(".govuk-error-summary")).to_be_visible()
    ui.shot("sign-in with errors")
    assert_accessible(ui.page, label="sign-in-with-errors")


def test_empty_sign_in_form_errors_have_no_axe_violations(ui):
    ui.goto("/sign-in/")
    ui.page.get_by_role("button", name="Sign in").click()
    expect(ui.page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    expect(ui.page.locator(".govuk-error-summary")).to_contain_text("Enter your password")
    ui.shot("empty form errors")
    assert_accessible(ui.page, label="sign-in-empty-errors")


def test_session_timeout_dialog_has_no_axe_violations(ui, settings):
    settings.SESSION_COOKIE_AGE = 60
    settings.SESSION_WARNING_SECONDS = 59
    ui.sign_in("practitioner.north@example.org")
    dialog = ui.page.locator("#session-timeout-dialog")
    expect(dialog).to_have_attribute("open", "", timeout=5_000)
    ui.shot("timeout dialog open")
    assert_accessible(ui.page, label="session-timeout-dialog")
