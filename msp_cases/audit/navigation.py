"""The record of access's item in the service navigation bar (registered from AuditConfig.ready())."""

from msp_cases.accounts.roles import VIEW_ACCESS_LOG
from msp_cases.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        50, "Record of access", "audit:recent", ("audit:",), shown_to=lambda u: u.has_perm(VIEW_ACCESS_LOG)
    ),
)
