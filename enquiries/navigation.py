"""The case pages' items in the service navigation bar (registered from EnquiriesConfig.ready())."""

from msp_cases.accounts.roles import SCREEN_REFERRAL, SIGN_OFF, VIEW_ALL_CASES, VIEW_ENQUIRY, VIEW_PERSON
from msp_cases.core.navigation import NavItem

# Managers: their teams' work at a glance, and the sign-off queue under it; unit staff: every team's,
# read-only.
_TEAM_PAGES = ("enquiries:team_dashboard", "enquiries:sign_off")

NAV_ITEMS = (
    NavItem(
        10, "All cases", "enquiries:caseload", ("enquiries:",), shown_to=lambda u: u.has_perm(VIEW_ALL_CASES)
    ),
    NavItem(
        11,
        "Caseload",
        "enquiries:caseload",
        ("enquiries:",),
        shown_to=lambda u: not u.has_perm(VIEW_ALL_CASES) and u.has_perm(VIEW_ENQUIRY),
    ),
    NavItem(
        20, "Teams", "enquiries:team_dashboard", _TEAM_PAGES, shown_to=lambda u: u.has_perm(VIEW_ALL_CASES)
    ),
    NavItem(
        21,
        "Team",
        "enquiries:team_dashboard",
        _TEAM_PAGES,
        shown_to=lambda u: not u.has_perm(VIEW_ALL_CASES) and u.has_perm(SIGN_OFF),
    ),
    NavItem(
        30,
        "Find a person",
        "enquiries:person_search",
        ("enquiries:person_search",),
        shown_to=lambda u: u.has_perm(VIEW_PERSON),
    ),
    # Unit and front-door staff: every care provider named on a concern (others reach one from a concern).
    NavItem(
        31,
        "Care providers",
        "enquiries:provider_list",
        ("enquiries:provider_",),
        shown_to=lambda u: u.has_perm(VIEW_ALL_CASES) or u.has_perm(SCREEN_REFERRAL),
    ),
)
