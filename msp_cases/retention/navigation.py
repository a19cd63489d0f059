from msp_cases.core.navigation import NavItem

from .selectors import may_manage

# After the unit lead's other pages (Letter templates, 65), before Notifications.
NAV_ITEMS = (NavItem(67, "Retention", "retention:due", ("retention:",), shown_to=may_manage),)
