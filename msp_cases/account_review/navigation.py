"""The account review's item in the service navigation bar (registered from AccountReviewConfig.ready())."""

from msp_cases.core.navigation import NavItem

from .selectors import may_review_accounts

NAV_ITEMS = (
    NavItem(
        62,
        "Accounts",
        "account_review:account_list",
        ("account_review:",),
        shown_to=may_review_accounts,
    ),
)
