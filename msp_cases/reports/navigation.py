"""The reports' item in the service navigation bar (registered from ReportsConfig.ready())."""

from msp_cases.core.navigation import NavItem
from msp_cases.oversight import may_oversee

NAV_ITEMS = (NavItem(40, "Reports", "reports:index", ("reports:",), shown_to=may_oversee),)
