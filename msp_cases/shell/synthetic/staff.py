"""The synthetic locality teams and their staff, and the safeguarding unit's staff, found again by name and
email on every run; their password, when one is given."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from msp_cases.accounts import roles
from msp_cases.accounts.models import Team, User

from . import national as N

PRACTITIONERS_PER_TEAM = 6
MANAGERS_PER_TEAM = 2
UNIT_STAFF = 2  # synthetic.unit1@example.org, synthetic.unit2@example.org: every team's records, read-only
EMAIL_PREFIX, EMAIL_DOMAIN = "synthetic.", "@example.org"


@dataclass
class Staff:
    team: Team
    practitioners: list[User]
    managers: list[User]


def ensure_staff(*, teams: int) -> list[Staff]:
    """`teams` locality teams, each with practitioners and managers in the project's role groups, and the
    unit's staff, created if missing (found again by name and email, so runs with other seeds share them).
    Staff cannot sign in until a password is set (`staff_password_set`, or `manage.py changepassword`)."""
    groups = {
        name: Group.objects.get(name=name)
        for name in (roles.PRACTITIONER, roles.MANAGER, roles.SAFEGUARDING_UNIT)
    }
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
                    email=f"{EMAIL_PREFIX}{slug}.{role.lower()}{n + 1}{EMAIL_DOMAIN}",
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
    for n in range(UNIT_STAFF):
        user, created = User.objects.get_or_create(
            email=f"{EMAIL_PREFIX}unit{n + 1}{EMAIL_DOMAIN}",
            defaults={"full_name": f"Unit Officer {n + 1}", "job_title": "Safeguarding adults unit"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(groups[roles.SAFEGUARDING_UNIT])
    return staff


def synthetic_staff():
    """Every synthetic member of staff, from this run or an earlier one."""
    return User.objects.filter(email__startswith=EMAIL_PREFIX, email__endswith=EMAIL_DOMAIN)


def staff_password_set(password: str) -> None:
    """Let every synthetic member of staff sign in with `password` (for benchmarks and load tests). Hashed
    once and the hash shared: hashing it for each of a thousand accounts would take minutes, and these
    accounts protect nothing real."""
    synthetic_staff().update(password=make_password(password))


def staff_who_can_sign_in() -> list[str]:
    """The emails of the synthetic staff who can sign in: active, with a usable password (Django marks an
    unusable one with a leading "!")."""
    staff = synthetic_staff().filter(is_active=True).exclude(password__startswith="!")  # noqa: S106
    return list(staff.order_by("email").values_list("email", flat=True))
