"""The reports' item in the service navigation bar (registered from ReportsConfig.ready())."""

from msp_cases.core.navigation import NavItem

from .scope import may_view_reports

NAV_ITEMS = (NavItem(40, "Reports", "reports:index", ("reports:",), shown_to=may_view_reports),)
