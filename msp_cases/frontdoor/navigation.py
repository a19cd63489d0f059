"""The front door's item in the service navigation bar (registered from FrontDoorConfig.ready()): the queue,
for those who screen referrals. First in their bar, as it is their work."""

from msp_cases.accounts.roles import SCREEN_REFERRAL
from msp_cases.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        5, "Front door", "front_door:queue", ("front_door:",), shown_to=lambda u: u.has_perm(SCREEN_REFERRAL)
    ),
)
