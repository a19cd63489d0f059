"""The role changes' item in the service navigation bar (registered from AccountsConfig.ready())."""

from msp_cases.core.navigation import NavItem

from .selectors import may_view_role_changes

NAV_ITEMS = (
    NavItem(
        60,
        "Role changes",
        "accounts:role_changes",
        ("accounts:role_changes",),
        shown_to=may_view_role_changes,
    ),
)
