"""Navigation by role: what each user sees in the service navigation bar. Items appear by permission, so a
user with two roles sees both sets."""

from dataclasses import dataclass

from django.urls import reverse

from msp_cases.accounts.roles import SIGN_OFF, VIEW_ACCESS_LOG, VIEW_ALL_CASES, VIEW_ENQUIRY, VIEW_PERSON
from msp_cases.accounts.selectors import may_view_role_changes
from msp_cases.reports.scope import may_view_reports


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    # The item is current on any URL whose name starts with one of these.
    prefixes: tuple[str, ...]
    # Shows the user's unread notifications as a count badge (one indexed COUNT per page).
    shows_unread_count: bool = False

    @property
    def href(self) -> str:
        return reverse(self.url_name)


def nav_items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = []
    if user.has_perm(VIEW_ALL_CASES):
        items.append(NavItem("All cases", "enquiries:caseload", ("enquiries:",)))
    elif user.has_perm(VIEW_ENQUIRY):
        items.append(NavItem("Caseload", "enquiries:caseload", ("enquiries:",)))
    # Managers: their teams' work at a glance, and the sign-off queue under it; unit staff: every team's,
    # read-only.
    team_pages = ("enquiries:team_dashboard", "enquiries:sign_off")
    if user.has_perm(VIEW_ALL_CASES):
        items.append(NavItem("Teams", "enquiries:team_dashboard", team_pages))
    elif user.has_perm(SIGN_OFF):
        items.append(NavItem("Team", "enquiries:team_dashboard", team_pages))
    if user.has_perm(VIEW_PERSON):
        items.append(NavItem("Find a person", "enquiries:person_search", ("enquiries:person_search",)))
    if may_view_reports(user):
        items.append(NavItem("Reports", "reports:index", ("reports:",)))
    if user.has_perm(VIEW_ACCESS_LOG):
        items.append(NavItem("Record of access", "audit:recent", ("audit:",)))
    if may_view_role_changes(user):
        items.append(NavItem("Role changes", "accounts:role_changes", ("accounts:role_changes",)))
    # Everyone signed in may be reminded to act, so everyone has notifications.
    items.append(NavItem("Notifications", "notifications:list", ("notifications:",), shows_unread_count=True))
    if user.is_staff:
        items.append(NavItem("Users and teams", "admin:index", ("admin:",)))
    return items
