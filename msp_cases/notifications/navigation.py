"""The notifications' item in the service navigation bar (registered from NotificationsConfig.ready())."""

from msp_cases.core.navigation import NavItem

from .selectors import unread_count

NAV_ITEMS = (
    # Everyone signed in may be reminded to act, so everyone has notifications.
    NavItem(
        70,
        "Notifications",
        "notifications:list",
        ("notifications:",),
        shown_to=lambda u: True,
        count=unread_count,
        count_name="unread_notifications",
    ),
)
