"""The synthetic locality teams and their staff, found again by name and email on every run."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group

from msp_cases.accounts import roles
from msp_cases.accounts.models import Team, User

from . import national as N

PRACTITIONERS_PER_TEAM = 6
MANAGERS_PER_TEAM = 2


@dataclass
class Staff:
    team: Team
    practitioners: list[User]
    managers: list[User]


def ensure_staff(*, teams: int) -> list[Staff]:
    """`teams` locality teams, each with practitioners and managers in the project's role groups, created if
    missing (found again by name and email, so runs with other seeds share them). Staff cannot sign in until
    someone sets a password (`manage.py changepassword <email>`)."""
    groups = {name: Group.objects.get(name=name) for name in (roles.PRACTITIONER, roles.MANAGER)}
    staff = []
    for index in range(teams):
        area = N.TEAM_AREAS[index % len(N.TEAM_AREAS)]
        suffix = f" {index // len(N.TEAM_AREAS) + 1}" if index >= len(N.TEAM_AREAS) else ""
        team, _ = Team.objects.get_or_create(name=f"{area} Locality{suffix}")
        slug = f"{area.lower()}{suffix.strip()}"
        members: dict[str, list[User]] = {roles.PRACTITIONER: [], roles.MANAGER: []}
        for role, count, title in (
            (roles.PRACTITIONER, PRACTITIONERS_PER_TEAM, "Social worker"),
            (roles.MANAGER, MANAGERS_PER_TEAM, "Team manager"),
        ):
            for n in range(count):
                # Names from the same small lists, picked by position: stable whatever the seed.
                k = index * 7 + n * 3 + (0 if role == roles.PRACTITIONER else 11)
                given = (N.GIVEN_FEMALE + N.GIVEN_MALE)[k % (len(N.GIVEN_FEMALE) + len(N.GIVEN_MALE))]
                user, created = User.objects.get_or_create(
                    email=f"synthetic.{slug}.{role.lower()}{n + 1}@example.org",
                    defaults={
                        "full_name": f"{given} {N.FAMILY_NAMES[(k * 5) % len(N.FAMILY_NAMES)]}",
                        "job_title": title,
                    },
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                    user.groups.add(groups[role])
                    user.teams.add(team)
                members[role].append(user)
        staff.append(Staff(team, members[roles.PRACTITIONER], members[roles.MANAGER]))
    return staff
