"""The unit leads' item in the service navigation bar (registered from PartnersConfig.ready())."""

from msp_cases.core.navigation import NavItem

from .selectors import may_manage_clients

# Beside the unit leads' other tools: Account review (62), Letter templates (65).
NAV_ITEMS = (NavItem(68, "API clients", "partners:list", ("partners:",), shown_to=may_manage_clients),)
