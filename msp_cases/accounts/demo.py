"""The demo accounts `seed_demo` creates (and the sign-in page lists in demo mode)."""

from typing import NamedTuple

from . import roles


class DemoUser(NamedTuple):
    email: str
    full_name: str
    job_title: str
    role: str
    team: str | None
    unit_lead: bool = False


NORTH = "North Locality"
SOUTH = "South Locality"
FRONT_DOOR = "Front Door"  # the front-door (MASH) team, who screen referrals from the online form

DEMO_USERS = [
    DemoUser("practitioner.north@example.org", "Priya Shah", "Social worker", roles.PRACTITIONER, NORTH),
    DemoUser("practitioner.south@example.org", "Tom Okafor", "Social worker", roles.PRACTITIONER, SOUTH),
    DemoUser("manager.north@example.org", "Maria Costa", "Team manager", roles.MANAGER, NORTH),
    DemoUser("manager.south@example.org", "David Lewis", "Team manager", roles.MANAGER, SOUTH),
    DemoUser(
        "unit@example.org", "Grace Adeyemi", "Safeguarding unit lead", roles.SAFEGUARDING_UNIT, None, True
    ),
    DemoUser("admin@example.org", "Alex Morgan", "System administrator", roles.ADMINISTRATOR, None),
    DemoUser("frontdoor@example.org", "Sam Patel", "Front door social worker", roles.FRONT_DOOR, FRONT_DOOR),
]
