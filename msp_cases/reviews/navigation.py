from msp_cases.core.navigation import NavItem

from .selectors import may_keep_reviews

# Beside the unit's other pages: All cases (10), Teams (20), Reports (40), Record of access (50).
NAV_ITEMS = (
    NavItem(45, "Safeguarding Adults Reviews", "reviews:list", ("reviews:",), shown_to=may_keep_reviews),
)
