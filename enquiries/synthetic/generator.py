"""Realistic, deterministic fictional data at scale: `generate_synthetic(concerns=, seed=, ...)`.

Deterministic: every draw comes from one `random.Random(seed)` and every date is counted back from `today`
(midnight, local time), never from the clock; the same seed and `today` give the same people, concerns and
cases. Only the housekeeping timestamps Django sets itself (`created_at`, `updated_at`, `recorded_at`,
`changed_at`: auto_now / auto_now_add) carry the real time of the run.

Fast: rows are built in Python for a batch of concerns and inserted with `bulk_create` (parents first, so
children pick up their ids), many-to-many through rows included, one transaction per batch. `bulk_create`
sends no signals, so no simple-history rows are written: synthetic cases have no field history, which is
fine for volume and benchmarks.

Consistent with what the services keep up to date: the enquiry's next contact is the latest conversation
with the person's agreed next contact, `last_reviewed_at` the latest manager review (or when it opened),
`conclusion_recorded_at` set when the action and result are, and enquiries proposed for closure or closed pass
the closure gate (`enquiries.services.lifecycle.enquiry_close_problems`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import log

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from enquiries.models import (
    AgreedDateChange,
    ConversationLog,
    Enquiry,
    EnquiryEvent,
    ManagerReview,
    Meeting,
    NetworkMember,
    Person,
    PlanAction,
    SafeguardingConcern,
)
from enquiries.models.choices import ActionResult, LacksCapacity, OutcomesAsked, PlanActionStatus
from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
from msp_cases.accounts import roles
from msp_cases.accounts.models import Team, User
from outcomes.models import DesiredOutcome

from . import national as N

D = SafeguardingConcern.Decision
S = Enquiry.Status
K = EnquiryEvent.Kind

IDENTIFIER_PREFIX = "SYN"  # people's local identifier: SYN-<seed>-<n>
PERIOD_DAYS = 365  # concerns are received over the year before `today`
PRACTITIONERS_PER_TEAM = 6
MANAGERS_PER_TEAM = 2
REPEAT_PERSON_SHARE = 0.2  # a concern about someone already known (SG1 counts individuals once)
Progress = Callable[[int, int], None]


@dataclass
class Staff:
    team: Team
    practitioners: list[User]
    managers: list[User]


def identifier_prefix(seed: int) -> str:
    return f"{IDENTIFIER_PREFIX}-{seed}-"


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


class _Batch:
    """The rows of one batch of concerns, by model, in insertion order (parents before children)."""

    ORDER = [
        Person,
        Person.restricted_to.through,
        NetworkMember,
        SafeguardingConcern,
        SafeguardingConcern.risk_types.through,
        Enquiry,
        Enquiry.risk_types.through,
        EnquiryEvent,
        ConversationLog,
        DesiredOutcome,
        PlanAction,
        AgreedDateChange,
        Meeting,
        ManagerReview,
        ExperienceFeedbackPart1,
        ExperienceFeedbackPart2,
        OrganisationPerspective,
    ]

    def __init__(self):
        self.rows: dict[type, list] = {model: [] for model in self.ORDER}
        # Through rows need their parents' ids: kept as (parent, other id) until the parent is saved.
        self.restricted: list[tuple[Person, int]] = []
        self.concern_risks: list[tuple[SafeguardingConcern, list[str]]] = []
        self.enquiry_risks: list[tuple[Enquiry, list[str]]] = []

    def add(self, obj):
        self.rows[type(obj)].append(obj)
        return obj

    def save(self, *, batch_size: int) -> Counter:
        counts: Counter = Counter()
        through_rows = {
            Person.restricted_to.through: lambda: [
                Person.restricted_to.through(person_id=p.pk, user_id=u) for p, u in self.restricted
            ],
            SafeguardingConcern.risk_types.through: lambda: [
                SafeguardingConcern.risk_types.through(safeguardingconcern_id=c.pk, risktypeoption_id=code)
                for c, codes in self.concern_risks
                for code in codes
            ],
            Enquiry.risk_types.through: lambda: [
                Enquiry.risk_types.through(enquiry_id=e.pk, risktypeoption_id=code)
                for e, codes in self.enquiry_risks
                for code in codes
            ],
        }
        for model in self.ORDER:
            rows = through_rows[model]() if model in through_rows else self.rows[model]
            if rows:
                model.objects.bulk_create(rows, batch_size=batch_size)
            counts[model._meta.label] += len(rows)
        return counts


def _spread(index: int, wanted: int, total: int) -> bool:
    """Whether item `index` of `total` is one of `wanted` spread evenly (exactly `wanted` in all)."""
    return (index + 1) * wanted // total > index * wanted // total


class SyntheticGenerator:
    def __init__(
        self,
        *,
        seed: int,
        today: date,
        staff: list[Staff],
        open_enquiries: int = 0,
        batch_size: int = 2000,
    ):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not secrets
        self.seed = seed
        self.today = today
        self.tz = timezone.get_current_timezone()
        self.staff = staff
        self.open_enquiries = open_enquiries
        self.batch_size = batch_size
        # Everyone created so far: (Person, or its id once saved; team index) for repeat concerns.
        self.people: list[tuple[Person | int, int]] = []
        self.counts: Counter = Counter()

    # -- time: whole days back from today, at a time of day in working hours --------------------------------
    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, offset: int, hour: int | None = None, minute: int | None = None) -> datetime:
        hour = self.rng.randint(9, 16) if hour is None else hour
        minute = self.rng.choice((0, 15, 30, 45)) if minute is None else minute
        return datetime.combine(self.day(offset), time(hour, minute), tzinfo=self.tz)

    def pick(self, table: N.Weights) -> str:
        return self.rng.choices(table[0], weights=table[1])[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # -- the run --------------------------------------------------------------------------------------------
    def run(self, *, concerns: int, progress: Progress | None = None) -> Counter:
        for start in range(0, concerns, self.batch_size):
            end = min(start + self.batch_size, concerns)
            batch = _Batch()
            for index in range(start, end):
                self.case(batch, index, forced_open=_spread(index, self.open_enquiries, concerns))
            with transaction.atomic():
                self.counts.update(batch.save(batch_size=self.batch_size))
            self.people = [(p.pk if isinstance(p, Person) else p, team) for p, team in self.people]
            if progress:
                progress(end, concerns)
        return self.counts

    def case(self, batch: _Batch, index: int, *, forced_open: bool) -> None:
        rng = self.rng
        if self.people and self.chance(REPEAT_PERSON_SHARE):
            person, team_index = self.people[rng.randrange(len(self.people))]
            if self.chance(0.1):
                team_index = rng.randrange(len(self.staff))
        else:
            team_index = rng.randrange(len(self.staff))
            person = self.person(batch, len(self.people), team_index)
            self.people.append((person, team_index))
        staff = self.staff[team_index]
        # Received over the last year; enquiries forced open (drift benchmark) within the last 6 months.
        received_day = -rng.randint(2, 180) if forced_open else -rng.randint(1, PERIOD_DAYS)
        concern = self.concern(batch, person, staff, received_day, forced_open=forced_open)
        if concern.decision in (D.SECTION_42, D.OTHER_ENQUIRY):
            self.enquiry(batch, concern, person, staff, forced_open=forced_open)

    @staticmethod
    def ref(name: str, obj) -> dict:
        """A foreign key to an object saved in an earlier batch (an id) or in this one (the object)."""
        return {f"{name}_id": obj} if isinstance(obj, int) else {name: obj}

    # -- people ---------------------------------------------------------------------------------------------
    def person(self, batch: _Batch, number: int, team_index: int) -> Person:
        rng = self.rng
        gender = self.pick(N.GENDER)
        names = N.GIVEN_MALE if gender == "male" else N.GIVEN_FEMALE
        if gender == "not_known":
            names = rng.choice((N.GIVEN_MALE, N.GIVEN_FEMALE))
        band = rng.choices([b for b, _ in N.AGE_BANDS], weights=[w for _, w in N.AGE_BANDS])[0]
        born = None
        if band is not None:
            age = rng.randint(*band)
            born = self.today - timedelta(days=int(age * 365.25) + rng.randrange(1, 364))
        support = self.pick(N.SUPPORT_REASON)
        language = rng.choice(N.LANGUAGES) if self.chance(0.08) else "English"
        restricted = self.chance(0.003)
        person = batch.add(
            Person(
                given_name=rng.choice(names),
                family_name=rng.choice(N.FAMILY_NAMES),
                preferred_name=rng.choice(names) if self.chance(0.08) else "",
                date_of_birth=born,
                gender=gender,
                ethnicity=self.pick(N.ETHNICITY),
                primary_support_reason=support,
                has_autism=self.chance(0.03 if support != "learning_disability" else 0.2),
                has_aspergers=self.chance(0.01),
                postcode=f"XX{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                nhs_number=f"999{rng.randrange(10**7):07d}" if self.chance(0.7) else "",  # test range
                local_identifier=f"{identifier_prefix(self.seed)}{number + 1:07d}",
                preferred_language=language,
                needs_interpreter=language != "English" and self.chance(0.5),
                uses_bsl=self.chance(0.003),
                wants_easy_read=support == "learning_disability" and self.chance(0.5),
                contact_preferences=rng.choice(
                    ["Phone in the morning.", "A letter first, then a visit.", "Through their daughter.", ""]
                ),
                is_restricted=restricted,
            )
        )
        if restricted:
            batch.restricted.append((person, self.staff[team_index].managers[0].pk))
        for _ in range(rng.choices((0, 1, 2), weights=(30, 50, 20))[0]):
            batch.add(
                NetworkMember(
                    person=person,
                    name=f"{rng.choice(N.GIVEN_FEMALE + N.GIVEN_MALE)} {rng.choice(N.FAMILY_NAMES)}",
                    relationship=self.pick(N.NETWORK_RELATIONSHIP),
                    persons_view=self.pick(N.PERSONS_VIEW),
                )
            )
        return person

    # -- concerns and decisions -----------------------------------------------------------------------------
    def concern(self, batch, person, staff: Staff, received_day: int, *, forced_open: bool):
        rng = self.rng
        first = self.pick(N.RISK_TYPE)
        risks = [first]
        if self.chance(N.SECOND_RISK_TYPE_SHARE):
            second = self.pick(N.RISK_TYPE)
            if second != first:
                risks.append(second)
        location = self.pick(N.RISK_LOCATION)
        source = self.pick(N.SOURCE_AT_PROVIDER if location in N.PROVIDER_LOCATIONS else N.SOURCE_ELSEWHERE)
        role, organisation = rng.choice(N.REFERRERS)
        anonymous = self.chance(0.03)
        received_at = self.at(received_day, hour=rng.randint(8, 12))
        # The decision: most within a few days; the last few days' concerns mostly still waiting, and a few
        # older ones too (the drift the concern-decision rule catches).
        pending = self.chance(0.7) if received_day >= -3 else self.chance(0.005)
        if forced_open:
            decision = D.SECTION_42 if self.chance(0.92) else D.OTHER_ENQUIRY
        elif pending:
            decision = D.PENDING
        else:
            draw = rng.random()
            decision = (
                D.SECTION_42
                if draw < N.SECTION_42_SHARE
                else D.OTHER_ENQUIRY
                if draw < N.SECTION_42_SHARE + N.OTHER_ENQUIRY_SHARE
                else D.NO_FURTHER_ACTION
            )
        decided = decision != D.PENDING
        decided_day = min(received_day + rng.choice((0, 0, 1, 1, 2, 3)), -1)
        worker = rng.choice(staff.practitioners)
        concern = batch.add(
            SafeguardingConcern(
                **self.ref("person", person),
                team=staff.team,
                allocated_to=worker if decided or self.chance(0.6) else None,
                received_at=received_at,
                recorded_by=rng.choice(staff.practitioners),
                referrer_anonymous=anonymous,
                referrer_name=""
                if anonymous
                else f"{rng.choice(N.GIVEN_FEMALE)} {rng.choice(N.FAMILY_NAMES)}",
                referrer_role="" if anonymous else role,
                referrer_organisation="" if anonymous else organisation,
                summary=N.SUMMARY[first],
                risk_location=location,
                risk_source=source,
                immediate_actions="Checked the person was safe today and agreed when we would talk next.",
                person_aware=rng.choices(("yes", "no", "not_known"), weights=(75, 10, 15))[0],
                person_initial_views=rng.choice(N.WHAT_MATTERS),
                decision=decision,
                criteria_care_needs=True if decided else None,
                criteria_abuse_or_neglect=(decision != D.NO_FURTHER_ACTION or self.chance(0.6))
                if decided
                else None,
                criteria_unable_to_protect=(decision == D.SECTION_42) if decided else None,
                decision_rationale="Talked it through with the person; the criteria are recorded above."
                if decided
                else "",
                decision_person_involvement="Spoke to them by phone before deciding." if decided else "",
                no_further_action_response=rng.choice(N.NFA_RESPONSES)
                if decision == D.NO_FURTHER_ACTION
                else "",
                decided_by=rng.choice(staff.managers) if decided else None,
                decided_at=self.at(decided_day, hour=rng.randint(13, 17)) if decided else None,
            )
        )
        batch.concern_risks.append((concern, risks))
        return concern

    # -- enquiries ------------------------------------------------------------------------------------------
    def enquiry(self, batch, concern, person, staff: Staff, *, forced_open: bool) -> None:
        rng = self.rng
        lead = concern.allocated_to
        manager = rng.choice(staff.managers)
        opened_at = concern.decided_at + timedelta(minutes=1)  # the decision comes first on the timeline
        opened = (opened_at.date() - self.today).days  # a day offset, <= -1
        duration = max(10, int(rng.lognormvariate(log(60), 0.55)))  # median two months
        if forced_open:
            duration = max(duration, -opened + rng.randint(5, 90))
        end = opened + duration
        start = opened + rng.randint(1, 3)
        lag = rng.randint(2, 21)  # from the proposal to the sign-off (a manager's backlog)
        if end <= -1:
            status, proposed, closed = S.CLOSED, max(end - lag, start + 1), end
        elif start > -1 or (-1 - opened) / duration < 0.1:
            status, proposed, closed = S.OPEN, None, None
        elif end - lag <= -1 and end - lag > start:
            status, proposed, closed = S.PROPOSED_FOR_CLOSURE, end - lag, None
        else:
            status, proposed, closed = S.IN_PROGRESS, None, None
        closing = proposed is not None
        last = proposed if closing else -1  # the last day work with the person can have happened
        enquiry = batch.add(
            Enquiry(
                **self.ref("person", person),
                concern=concern,
                enquiry_type=Enquiry.Type.SECTION_42
                if concern.decision == D.SECTION_42
                else Enquiry.Type.OTHER,
                team=staff.team,
                lead_practitioner=lead,
                status=status,
                opened_at=opened_at,
                proposed_for_closure_at=self.at(proposed, hour=17) if closing else None,
                closed_at=self.at(closed, hour=17, minute=30) if closed is not None else None,
                risk_location=concern.risk_location,
                risk_source=concern.risk_source,
            )
        )
        batch.enquiry_risks.append((enquiry, batch.concern_risks[-1][1]))
        self.events(batch, enquiry, lead, manager, start, status)
        self.reviews(batch, enquiry, staff, opened, closed if closed is not None else -1)
        if status == S.OPEN:
            return
        conversations = self.conversations(batch, enquiry, person, lead, start, last, closing)
        first_with_person = conversations[0]
        self.capacity_and_outcomes(batch, enquiry, first_with_person, lead, closing, proposed)
        self.plan(batch, enquiry, lead, start, last, closing)
        if self.chance(0.3):
            batch.add(
                Meeting(
                    enquiry=enquiry,
                    kind=rng.choices(("planning", "strategy", "case_conference"), weights=(60, 30, 10))[0],
                    held_on=self.day(rng.randint(start, last)),
                    attendees=f"{lead.full_name}; the person's advocate; the provider's manager",
                    participation=rng.choice(("attended", "part", "met_chair", "statement", "declined")),
                    persons_views=rng.choice(N.WANTS),
                    created_by=lead,
                )
            )
        self.conclusion(batch, enquiry, lead, manager, start, status, proposed)

    def events(self, batch, enquiry, lead, manager, start: int, status: str) -> None:
        steps = [(K.OPENED, enquiry.opened_at, manager, "", S.OPEN)]
        if status != S.OPEN:
            steps.append((K.STARTED, self.at(start, hour=9), lead, S.OPEN, S.IN_PROGRESS))
        if enquiry.proposed_for_closure_at:
            steps.append(
                (K.PROPOSED, enquiry.proposed_for_closure_at, lead, S.IN_PROGRESS, S.PROPOSED_FOR_CLOSURE)
            )
        if enquiry.closed_at:
            steps.append((K.CLOSED, enquiry.closed_at, manager, S.PROPOSED_FOR_CLOSURE, S.CLOSED))
        for kind, when, by, from_status, to_status in steps:
            batch.add(
                EnquiryEvent(
                    enquiry=enquiry,
                    kind=kind,
                    occurred_at=when,
                    by=by,
                    from_status=from_status,
                    to_status=to_status,
                    allocated_to=enquiry.lead_practitioner if kind == K.OPENED else None,
                )
            )

    def reviews(self, batch, enquiry, staff: Staff, opened: int, until: int) -> None:
        """Supervision every few weeks; sometimes a gap longer than the 28-day rule."""
        rng = self.rng
        enquiry.last_reviewed_at = enquiry.opened_at
        day = opened + rng.randint(10, 35)
        while day <= until:
            review = batch.add(
                ManagerReview(
                    enquiry=enquiry,
                    reviewed_at=self.at(day, hour=15),
                    by=rng.choice(staff.managers),
                    note="Discussed progress and what the person wants next; plan still fits.",
                )
            )
            enquiry.last_reviewed_at = review.reviewed_at
            day += rng.randint(14, 45)

    def conversations(self, batch, enquiry, person, lead, start: int, last: int, closing: bool) -> list:
        """A conversation every couple of weeks; the first and the last are with the person. The enquiry's
        next contact is the last one's (a closing conversation often agrees none). The gap since the last
        one is sometimes longer than what was agreed: the drift the next-contact rule catches."""
        rng = self.rng
        count = min(8, 1 + (last - start) // 14)
        latest = last if closing else max(start, last - int(rng.expovariate(1 / 8)))
        days = [*sorted(rng.randint(start, latest) for _ in range(count - 1)), latest]
        logs = []
        for number, day in enumerate(days):
            with_person = number in (0, count - 1) or self.chance(0.7)
            final = number == count - 1
            agrees_next = with_person and not (final and closing and self.chance(0.7))
            # Hours rise with the number, so conversations on the same day keep their order.
            occurred_at = self.at(day, hour=9 + number)
            next_on = self.day(day + rng.randint(7, 21)) if agrees_next else None
            made_by = rng.choices(("person", "jointly", "no_decision"), weights=(40, 40, 20))[0]
            logs.append(
                batch.add(
                    ConversationLog(
                        **self.ref("person", person),
                        enquiry=enquiry,
                        occurred_at=occurred_at,
                        recorded_by=lead,
                        with_person=with_person,
                        with_advocate=self.chance(0.2),
                        with_family=not with_person or self.chance(0.3),
                        with_professional=self.chance(0.2),
                        method=self.pick(N.METHOD),
                        what_matters=rng.choice(N.WHAT_MATTERS) if with_person else "",
                        wants_to_happen=rng.choice(N.WANTS) if with_person else "",
                        risks_discussed="What could happen if nothing changes, and what would help.",
                        options_discussed="Support from the bank; talking to the police; a family meeting.",
                        decisions="" if made_by == "no_decision" else "To go at the pace the person chooses.",
                        decision_made_by=made_by,
                        next_contact_on=next_on,
                        next_contact_how=rng.choice(N.NEXT_CONTACT_HOW) if next_on else "",
                        check_involve=with_person,
                        check_choice=with_person and self.chance(0.8),
                        check_control=with_person and self.chance(0.7),
                        check_safety=self.chance(0.6),
                        check_wellbeing=self.chance(0.5),
                    )
                )
            )
        # The latest conversation with the person (the last one is) sets the agreed next contact.
        enquiry.next_contact_on = logs[-1].next_contact_on
        enquiry.next_contact_how = logs[-1].next_contact_how
        return logs

    def capacity_and_outcomes(self, batch, enquiry, conversation, lead, closing, proposed) -> None:
        rng = self.rng
        said_on = conversation.occurred_at.date()
        capacity = self.pick(N.LACKS_CAPACITY)
        if closing and capacity == LacksCapacity.NOT_RECORDED:
            capacity = LacksCapacity.NO
        enquiry.lacks_capacity = capacity
        if capacity != LacksCapacity.NOT_RECORDED:
            enquiry.capacity_decision = "Whether to take part in the enquiry"
            enquiry.capacity_assessed_on = said_on
            enquiry.capacity_assessed_by = lead.full_name
        if capacity == LacksCapacity.YES:
            enquiry.substantial_difficulty = "yes"
            enquiry.capacity_support = self.pick(N.CAPACITY_SUPPORT)
            if enquiry.capacity_support == "advocate":
                enquiry.advocacy_referral_on = said_on
        asked = self.pick(N.OUTCOMES_ASKED)
        if closing and asked == OutcomesAsked.NOT_RECORDED:
            asked = OutcomesAsked.ASKED_EXPRESSED
        enquiry.outcomes_asked = asked
        enquiry.outcomes_asked_on = said_on if asked != OutcomesAsked.NOT_RECORDED else None
        if asked == OutcomesAsked.ASKED_EXPRESSED:
            expressed_by = (
                "person" if capacity != LacksCapacity.YES else rng.choice(("representative", "advocate"))
            )
            for priority, words in enumerate(rng.sample(N.DESIRED_OUTCOMES, rng.choice((1, 1, 2, 2, 3))), 1):
                withdrawn = priority > 1 and self.chance(0.05)
                achieved = self.pick(N.ACHIEVEMENT) if closing and not withdrawn else ""
                differs = achieved and self.chance(0.1)
                view = rng.choice([a for a in N.ACHIEVEMENT[0] if a != achieved]) if differs else achieved
                batch.add(
                    DesiredOutcome(
                        enquiry=enquiry,
                        words=words,
                        expressed_by=expressed_by,
                        expressed_on=said_on,
                        conversation=conversation,
                        priority=priority,
                        status="withdrawn" if withdrawn else "active",
                        withdrawn_reason="The person no longer wants this." if withdrawn else "",
                        withdrawn_on=said_on + timedelta(days=7) if withdrawn else None,
                        achievement=achieved,
                        person_comment="Said in our last conversation." if achieved else "",
                        practitioner_view=view,
                        practitioner_comment="The provider's changes are not yet proven." if differs else "",
                        achievement_recorded_by=lead if achieved else None,
                        achievement_recorded_at=self.at(proposed - 1) if achieved else None,
                        created_by=lead,
                    )
                )
        if self.chance(0.85):
            involved = ["not_involved"] if self.chance(0.08) else rng.sample(
                ["attend_meetings", "part_of_meeting", "meet_chair_first", "statement", "advocate"],
                rng.randint(1, 2),
            )  # fmt: skip
            batch.add(
                ExperienceFeedbackPart1(
                    enquiry=enquiry,
                    involvement=involved,
                    informed_by=rng.sample(["face_to_face", "phone", "letter", "easy_read", "email"], 2),
                    who_involved="My daughter and my advocate.",
                    who_not_told="Not my neighbours.",
                    completed_by=rng.choices(
                        ("person", "with_support", "representative"), weights=(50, 35, 15)
                    )[0],
                    completed_on=said_on,
                    created_by=lead,
                )
            )

    def plan(self, batch, enquiry, lead, start: int, last: int, closing: bool) -> None:
        rng = self.rng
        for what, who in rng.sample(N.PLAN_ACTIONS, rng.randint(1, 3)):
            created = rng.randint(start, last)
            due = created + rng.randint(7, 42)
            if closing:
                status = rng.choices(("done", "cancelled"), weights=(90, 10))[0]
            elif due < 0:  # past its due date: mostly done, some not (the plan-action rule's drift)
                status = rng.choices(("done", "in_progress", "not_started"), weights=(85, 10, 5))[0]
            else:
                status = rng.choice((PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS))
            action = batch.add(
                PlanAction(
                    enquiry=enquiry,
                    what=what,
                    who=lead.full_name if who == "Lead practitioner" else who,
                    due_on=self.day(due),
                    agreed_with_person=self.chance(0.85),
                    status=status,
                    created_by=lead,
                )
            )
            if self.chance(0.05):  # moved with the person's agreement: the history keeps the move
                action.due_on = self.day(due + rng.randint(7, 21))
                batch.add(
                    AgreedDateChange(
                        enquiry=enquiry,
                        what=AgreedDateChange.What.PLAN_ACTION,
                        plan_action=action,
                        from_date=self.day(due),
                        to_date=action.due_on,
                        reason="The person asked to wait until after their hospital appointment.",
                        person_agreed=True,
                        by=lead,
                    )
                )

    def conclusion(
        self, batch, enquiry, lead, manager, start: int, status: str, proposed: int | None
    ) -> None:
        """Action and result (SG2c, SG2e), Part 2 and the organisation's perspective. Enquiries proposed for
        closure or closed pass the closure gate; a few in progress have their conclusion recorded already,
        some of those without Part 2 yet (the Part 2 rule's drift)."""
        rng = self.rng
        closing = proposed is not None
        if not closing and not self.chance(0.15):
            return
        concluded = proposed - rng.randint(0, 3) if closing else -rng.randint(1, 30)
        concluded = max(concluded, start)
        enquiry.action_result = self.pick(N.ACTION_RESULT)
        if enquiry.action_result == ActionResult.RISK_ACTION:
            enquiry.risk_outcome = self.pick(N.RISK_OUTCOME)
        enquiry.closure_summary = "This letter sums up what we did together and what you told us mattered."
        enquiry.conclusion_recorded_at = self.at(concluded)
        if closing or self.chance(0.5):
            self.part2(batch, enquiry, lead, manager, concluded, agreed=closing or self.chance(0.5))
        if status == S.CLOSED and self.chance(0.9):
            batch.add(
                OrganisationPerspective(
                    enquiry=enquiry,
                    could_be_better=rng.choice(("We could have met sooner.", "", "Fewer handovers.")),
                    agencies_worked_together="Well: the GP and the provider shared what they knew quickly.",
                    systems_supported_msp=rng.choices(("yes", "partly", "no"), weights=(60, 30, 10))[0],
                    recorded_by=manager,
                )
            )

    def part2(self, batch, enquiry, lead, manager, day: int, *, agreed: bool) -> None:
        rng = self.rng
        answers = ("yes_completely", "yes_partly", "no", "dont_know", "prefer_not")

        def answer() -> str:
            return rng.choices(answers, weights=(60, 25, 7, 5, 3))[0]

        approached = self.chance(0.85)
        best_interests = not approached and self.chance(0.4)
        answered = approached or best_interests
        reason = "" if approached else rng.choice(("danger", "further_risk", "not_ethical", "other"))
        further = answered and self.chance(0.12)
        batch.add(
            ExperienceFeedbackPart2(
                enquiry=enquiry,
                approached=approached,
                not_approached_reason=reason,
                not_approached_note="They asked not to be contacted again." if reason == "other" else "",
                decided_by=None if approached else lead,
                manager_agreed_by=manager if not approached and agreed else None,
                manager_agreed_at=self.at(day) if not approached and agreed else None,
                best_interests_answered=None if approached else best_interests,
                best_interests_who="Their daughter, who holds lasting power of attorney"
                if best_interests
                else "",
                listened=answer() if answered else "",
                informed=answer() if answered else "",
                safer=answer() if answered else "",
                concerns_dealt_with=answer() if answered else "",
                further_work_needed=further if answered else None,
                further_work="Support to rebuild confidence going out." if further else "",
                answered_by=rng.choices(("person", "relative", "carer", "advocate"), weights=(75, 10, 5, 10))[
                    0
                ]
                if approached
                else "",
                completed_on=self.day(day) if answered else None,
                created_by=lead,
            )
        )


def generate_synthetic(
    *,
    concerns: int,
    seed: int,
    teams: int = 4,
    today: date | None = None,
    open_enquiries: int = 0,
    batch_size: int = 2000,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Add `concerns` fictional concerns (and their people, decisions and enquiries) for `seed`, counted back
    from `today` (default: today). `open_enquiries` of them are made section 42 (a few "other") enquiries
    still open, for the drift benchmark; the rest follow the national mix. Returns rows inserted by model.

    Refuses a seed already generated in this database: run with another seed to add more."""
    if concerns < 1 or not 0 <= open_enquiries <= concerns:
        raise ValueError("concerns must be at least 1, and open_enquiries between 0 and concerns")
    if teams < 1:
        raise ValueError("teams must be at least 1")
    if Person.objects.filter(local_identifier__startswith=identifier_prefix(seed)).exists():
        raise ValueError(f"Synthetic data for seed {seed} is already in this database; use another seed")
    with transaction.atomic():
        staff = ensure_staff(teams=teams)
    generator = SyntheticGenerator(
        seed=seed,
        today=today or timezone.localdate(),
        staff=staff,
        open_enquiries=open_enquiries,
        batch_size=batch_size,
    )
    counts = dict(generator.run(concerns=concerns, progress=progress))
    analyze()
    return counts


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics for the tables just filled, as autovacuum would in time: a
    benchmark run straight after a bulk load should see the plans a live database gets."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in _Batch.ORDER:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
