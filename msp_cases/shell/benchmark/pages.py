"""Who signs in and which pages they open, chosen from the data in the database (the synthetic data of
`generate_synthetic`, or any other): the busiest practitioner, the manager of their team, unit staff, the
enquiry with the longest timeline and a real surname misspelt."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from enquiries.models import ConversationLog, Enquiry, EnquiryEvent, Meeting, PlanAction
from msp_cases.accounts import roles
from msp_cases.accounts.models import User

from .floor import FLOOR_PATH

# The unit staff account generate_synthetic creates; any Safeguarding Unit member when it is missing.
SYNTHETIC_UNIT_EMAIL = "synthetic.unit1@example.org"

# p95 at the measured concurrency, in milliseconds, and at most this many times the floor's p95.
BUDGET_MS = 150.0
# Person search and the enquiry timeline (of up to 200 entries) have a little more.
SLOW_BUDGET_MS = {"person_search": 200.0, "timeline": 200.0}
FLOOR_RATIO_BUDGET = 40.0

# Every page name `--pages` accepts, in the order they are measured.
PAGE_NAMES = (
    "caseload",
    "timeline",
    "person_search",
    "team_dashboard",
    "sign_off_queue",
    "notifications",
    "sac_return",
    "msp_measures",
)


class NoData(Exception):
    """The database lacks what a page needs (no practitioner leading an enquiry, no unit staff...)."""


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # practitioner | manager | unit
    user: User
    path: str

    @property
    def budget_ms(self) -> float:
        return SLOW_BUDGET_MS.get(self.name, BUDGET_MS)


FLOOR = "floor"


def choose_pages(names: tuple[str, ...] = PAGE_NAMES) -> tuple[Page, list[Page]]:
    """The floor (as the practitioner) and the pages asked for, each as the user who would open it."""
    practitioner, team_id = _busiest_practitioner()
    manager = _manager_of(team_id)
    unit = _unit_staff()
    floor = Page(FLOOR, "practitioner", practitioner, FLOOR_PATH)
    both = (("manager", manager), ("unit", unit))
    pages: list[Page] = []
    for name in names:
        if name == "caseload":
            pages.append(Page(name, "practitioner", practitioner, reverse("enquiries:caseload")))
        elif name == "timeline":
            enquiry = _busiest_enquiry()
            reader = enquiry.lead_practitioner or _manager_of(enquiry.team_id)
            role = "practitioner" if enquiry.lead_practitioner_id else "manager"
            path = reverse("enquiries:enquiry_detail", args=[enquiry.pk])
            pages.append(Page(name, role, reader, path))
        elif name == "person_search":
            query = urlencode({"q": misspelt(_a_surname(practitioner))})
            path = f"{reverse('enquiries:person_search')}?{query}"
            pages += [Page(name, "practitioner", practitioner, path), Page(name, "unit", unit, path)]
        elif name == "notifications":
            pages.append(Page(name, "practitioner", practitioner, reverse("notifications:list")))
        else:
            url_name = {
                "team_dashboard": "enquiries:team_dashboard",
                "sign_off_queue": "enquiries:sign_off_queue",
                "sac_return": "reports:sac",
                "msp_measures": "reports:msp",
            }[name]
            pages += [Page(name, role, user, reverse(url_name)) for role, user in both]
    return floor, pages


def misspelt(surname: str) -> str:
    """One letter changed, as a hurried typist would: the last one, which keeps most of the name's trigrams
    (a fuzzy search should still find it)."""
    last = surname[-1]
    replacement = "e" if last.lower() != "e" else "a"
    return surname[:-1] + (replacement.upper() if last.isupper() else replacement)


def _open_enquiries():
    return Enquiry.objects.exclude(status=Enquiry.Status.CLOSED)


def _busiest_practitioner() -> tuple[User, int]:
    """The practitioner leading the most open enquiries, and the team most of them belong to."""
    led = (
        _open_enquiries()
        .filter(lead_practitioner__groups__name=roles.PRACTITIONER, lead_practitioner__is_active=True)
        .values("lead_practitioner")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_practitioner")
        .first()
    )
    if led is None:
        raise NoData("No practitioner leads an open enquiry: run generate_synthetic first.")
    practitioner = User.objects.get(pk=led["lead_practitioner"])
    team = (
        _open_enquiries()
        .filter(lead_practitioner=practitioner)
        .values("team")
        .annotate(n=Count("pk"))
        .order_by("-n", "team")
        .first()
    )
    return practitioner, team["team"]


def _manager_of(team_id: int) -> User:
    manager = (
        User.objects.filter(groups__name=roles.MANAGER, teams=team_id, is_active=True)
        .order_by("email")
        .first()
    )
    if manager is None:
        raise NoData("The busiest practitioner's team has no manager.")
    return manager


def _unit_staff() -> User:
    unit = User.objects.filter(email=SYNTHETIC_UNIT_EMAIL, is_active=True).first()
    unit = unit or (
        User.objects.filter(groups__name=roles.SAFEGUARDING_UNIT, is_active=True).order_by("email").first()
    )
    if unit is None:
        raise NoData(f"No Safeguarding Unit staff: generate_synthetic creates {SYNTHETIC_UNIT_EMAIL}.")
    return unit


def _busiest_enquiry(candidates: int = 20) -> Enquiry:
    """The enquiry with the most timeline entries: the enquiries with the most conversations, ranked again
    by their conversations, stage events, plan actions and meetings together (the desired outcomes' history,
    drawn by the outcomes app, is left out of the count)."""
    top = list(
        ConversationLog.objects.filter(enquiry__isnull=False)
        .values_list("enquiry")
        .annotate(n=Count("pk"))
        .order_by("-n", "enquiry")[:candidates]
    )
    if not top:
        enquiry = Enquiry.objects.select_related("lead_practitioner").order_by("pk").first()
        if enquiry is None:
            raise NoData("No enquiry: run generate_synthetic first.")
        return enquiry
    entries = Counter(dict(top))
    ids = list(entries)
    for model in (EnquiryEvent, PlanAction, Meeting):
        counts = model.objects.filter(enquiry__in=ids).values_list("enquiry").annotate(n=Count("pk"))
        entries.update(dict(counts))
    busiest = max(ids, key=lambda pk: (entries[pk], -pk))
    return Enquiry.objects.select_related("lead_practitioner").get(pk=busiest)


def _a_surname(practitioner: User) -> str:
    """A real surname the practitioner may see: the person of an enquiry they lead, at least 5 letters."""
    names = (
        _open_enquiries()
        .filter(lead_practitioner=practitioner)
        .order_by("pk")
        .values_list("person__family_name", flat=True)[:50]
    )
    for name in names:
        if len(name) >= 5 and name.isalpha():
            return name
    raise NoData("No surname of five letters or more among the practitioner's people.")


def loadtest_staff(*, practitioners: int = 30) -> dict[str, list[str]]:
    """The accounts loadtest/locustfile.py signs in as: the practitioners leading the most open enquiries, the
    managers of their teams and the unit staff (the synthetic unit account first)."""
    led = (
        _open_enquiries()
        .filter(lead_practitioner__groups__name=roles.PRACTITIONER, lead_practitioner__is_active=True)
        .values("lead_practitioner")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_practitioner")[:practitioners]
    )
    ids = [row["lead_practitioner"] for row in led]
    if not ids:
        raise NoData("No practitioner leads an open enquiry: run generate_synthetic first.")
    by_pk = {u.pk: u.email for u in User.objects.filter(pk__in=ids)}
    teams = User.objects.filter(pk__in=ids).values_list("teams", flat=True)
    managers = User.objects.filter(groups__name=roles.MANAGER, teams__in=teams, is_active=True)
    first_unit = _unit_staff().email
    unit = User.objects.filter(groups__name=roles.SAFEGUARDING_UNIT, is_active=True).exclude(email=first_unit)
    return {
        "practitioners": [by_pk[pk] for pk in ids],
        "managers": sorted(set(managers.values_list("email", flat=True))),
        "unit": [first_unit, *sorted(set(unit.values_list("email", flat=True)))],
    }
