from msp_cases.accounts.roles import MANAGE_LETTER_TEMPLATES
from msp_cases.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        65,
        "Letter templates",
        "letters:template_list",
        ("letters:template_",),
        shown_to=lambda u: u.has_perm(MANAGE_LETTER_TEMPLATES),
    ),
)
