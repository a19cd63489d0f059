"""Synthetic casework: conversations with the person, capacity and desired outcomes, the plan."""

from __future__ import annotations

from datetime import timedelta

from enquiries.models import AgreedDateChange, ConversationLog, PlanAction
from enquiries.models.choices import LacksCapacity, OutcomesAsked, PlanActionStatus
from enquiries.services.derived import last_with_person_after, next_contact_after
from feedback.models import ExperienceFeedbackPart1
from outcomes.derived import outcomes_asked_after_outcome
from outcomes.models import DesiredOutcome, DesiredOutcomeRevision

from . import national as N
from .draws import Draws


class CaseworkRows(Draws):
    def conversations(
        self, batch, enquiry, person_id: int, lead, start: int, last: int, closing: bool, *, count: int = 0
    ) -> list[dict]:
        """A conversation every couple of weeks (or `count` of them, on different days: a long case); the
        first and the last are with the person. The enquiry's next contact is what the latest agreed (a
        closing conversation often agrees none), and its last conversation with the person the latest with
        them. The gap since the last one is sometimes longer than what was agreed: the drift the next-contact
        rule catches."""
        rng = self.rng
        latest = last if closing else max(start, last - int(rng.expovariate(1 / 8)))
        if count:
            count = min(count, latest - start + 1)
            days = [*sorted(rng.sample(range(start, latest), count - 1)), latest]
        else:
            count = min(8, 1 + (last - start) // 14)
            days = [*sorted(rng.randint(start, latest) for _ in range(count - 1)), latest]
        logs = []
        for number, day in enumerate(days):
            with_person = number in (0, count - 1) or self.chance(0.7)
            final = number == count - 1
            agrees_next = with_person and not (final and closing and self.chance(0.7))
            # Hours rise with the number, so conversations on the same day keep their order.
            occurred_at = self.at(day, hour=9 + number % 8)
            next_on = self.day(day + rng.randint(7, 21)) if agrees_next else None
            made_by = rng.choices(("person", "jointly", "no_decision"), weights=(40, 40, 20))[0]
            logs.append(
                batch.add(
                    ConversationLog,
                    {
                        "person_id": person_id,
                        "enquiry_id": enquiry["id"],
                        "occurred_at": occurred_at,
                        "recorded_by_id": lead.pk,
                        "with_person": with_person,
                        "with_advocate": self.chance(0.2),
                        "with_family": not with_person or self.chance(0.3),
                        "with_professional": self.chance(0.2),
                        "method": self.pick(N.METHOD),
                        "what_matters": rng.choice(N.WHAT_MATTERS) if with_person else "",
                        "wants_to_happen": rng.choice(N.WANTS) if with_person else "",
                        "risks_discussed": "What could happen if nothing changes, and what would help.",
                        "options_discussed": "Support from the bank; talking to the police; a family meeting",
                        "decisions": ""
                        if made_by == "no_decision"
                        else "To go at the pace the person chooses.",
                        "decision_made_by": made_by,
                        "next_contact_on": next_on,
                        "next_contact_how": rng.choice(N.NEXT_CONTACT_HOW) if next_on else "",
                        "check_involve": with_person,
                        "check_choice": with_person and self.chance(0.8),
                        "check_control": with_person and self.chance(0.7),
                        "check_safety": self.chance(0.6),
                        "check_wellbeing": self.chance(0.5),
                    },
                )
            )
        enquiry["next_contact_on"], enquiry["next_contact_how"] = next_contact_after(
            (log["occurred_at"], log["id"], log["next_contact_on"], log["next_contact_how"]) for log in logs
        )
        enquiry["last_with_person_at"] = last_with_person_after(
            (log["occurred_at"], log["with_person"]) for log in logs
        )
        return logs

    def capacity_and_outcomes(
        self, batch, enquiry, conversation, lead, closing, proposed, *, revisions: int = 0
    ) -> None:
        """Capacity, whether the person was asked about their desired outcomes, the outcomes in their words
        (`revisions` later rewordings spread over them: a long case) and Part 1."""
        rng = self.rng
        said_on = conversation["occurred_at"].date()
        capacity = self.pick(N.LACKS_CAPACITY)
        if closing and capacity == LacksCapacity.NOT_RECORDED:
            capacity = LacksCapacity.NO
        enquiry["lacks_capacity"] = capacity
        if capacity != LacksCapacity.NOT_RECORDED:
            enquiry["capacity_decision"] = "Whether to take part in the enquiry"
            enquiry["capacity_assessed_on"] = said_on
            enquiry["capacity_assessed_by"] = lead.full_name
        if capacity == LacksCapacity.YES:
            enquiry["substantial_difficulty"] = "yes"
            enquiry["capacity_support"] = self.pick(N.CAPACITY_SUPPORT)
            if enquiry["capacity_support"] == "advocate":
                enquiry["advocacy_referral_on"] = said_on
        asked = self.pick(N.OUTCOMES_ASKED)
        if closing and asked == OutcomesAsked.NOT_RECORDED:
            asked = OutcomesAsked.ASKED_EXPRESSED
        if revisions:  # a long case always has outcomes to revise
            asked = OutcomesAsked.ASKED_EXPRESSED
        enquiry["outcomes_asked"] = asked
        enquiry["outcomes_asked_on"] = said_on if asked != OutcomesAsked.NOT_RECORDED else None
        if asked == OutcomesAsked.ASKED_EXPRESSED:
            expressed_by = (
                "person" if capacity != LacksCapacity.YES else rng.choice(("representative", "advocate"))
            )
            chosen = rng.sample(N.DESIRED_OUTCOMES, 3 if revisions else rng.choice((1, 1, 2, 2, 3)))
            for priority, words in enumerate(chosen, 1):
                withdrawn = priority > 1 and self.chance(0.05)
                achieved = self.pick(N.ACHIEVEMENT) if closing and not withdrawn else ""
                differs = achieved and self.chance(0.1)
                view = rng.choice([a for a in N.ACHIEVEMENT[0] if a != achieved]) if differs else achieved
                outcome = batch.add(
                    DesiredOutcome,
                    {
                        "enquiry_id": enquiry["id"],
                        "words": words,
                        "expressed_by": expressed_by,
                        "expressed_on": said_on,
                        "conversation_id": conversation["id"],
                        "priority": priority,
                        "status": "withdrawn" if withdrawn else "active",
                        "withdrawn_reason": "The person no longer wants this." if withdrawn else "",
                        "withdrawn_on": said_on + timedelta(days=7) if withdrawn else None,
                        "achievement": achieved,
                        "person_comment": "Said in our last conversation." if achieved else "",
                        "practitioner_view": view,
                        "practitioner_comment": "The provider's changes are not yet proven."
                        if differs
                        else "",
                        "achievement_recorded_by_id": lead.pk if achieved else None,
                        "achievement_recorded_at": self.at(proposed - 1) if achieved else None,
                        "created_by_id": lead.pk,
                    },
                )
                # Recording an outcome implies the person was asked (the outcomes service's rule).
                enquiry.update(
                    outcomes_asked_after_outcome(
                        outcomes_asked=enquiry["outcomes_asked"],
                        outcomes_asked_on=enquiry["outcomes_asked_on"],
                        said_on=said_on,
                    )
                )
                for _ in range(revisions // len(chosen) if not withdrawn else 0):
                    batch.add(
                        DesiredOutcomeRevision,
                        {
                            "outcome_id": outcome["id"],
                            "previous_words": words,
                            "previous_expressed_by": expressed_by,
                            "previous_expressed_on": said_on,
                            "reason": "The person put it in other words when we talked again.",
                            "revised_by_id": lead.pk,
                        },
                    )
        if self.chance(0.85):
            involved = ["not_involved"] if self.chance(0.08) else rng.sample(
                ["attend_meetings", "part_of_meeting", "meet_chair_first", "statement", "advocate"],
                rng.randint(1, 2),
            )  # fmt: skip
            batch.add(
                ExperienceFeedbackPart1,
                {
                    "enquiry_id": enquiry["id"],
                    "involvement": involved,
                    "informed_by": rng.sample(["face_to_face", "phone", "letter", "easy_read", "email"], 2),
                    "who_involved": "My daughter and my advocate.",
                    "who_not_told": "Not my neighbours.",
                    "completed_by": rng.choices(
                        ("person", "with_support", "representative"), weights=(50, 35, 15)
                    )[0],
                    "completed_on": said_on,
                    "created_by_id": lead.pk,
                },
            )

    def plan(self, batch, enquiry, lead, start: int, last: int, closing: bool, *, count: int = 0) -> None:
        rng = self.rng
        actions = [rng.choice(N.PLAN_ACTIONS) for _ in range(count)] if count else None
        for what, who in actions or rng.sample(N.PLAN_ACTIONS, rng.randint(1, 3)):
            created = rng.randint(start, last)
            due = created + rng.randint(7, 42)
            if closing:
                status = rng.choices(("done", "cancelled"), weights=(90, 10))[0]
            elif due < 0:  # past its due date: mostly done, some not (the plan-action rule's drift)
                status = rng.choices(("done", "in_progress", "not_started"), weights=(85, 10, 5))[0]
            else:
                status = rng.choice((PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS))
            action = batch.add(
                PlanAction,
                {
                    "enquiry_id": enquiry["id"],
                    "what": what,
                    "who": lead.full_name if who == "Lead practitioner" else who,
                    "due_on": self.day(due),
                    "agreed_with_person": self.chance(0.85),
                    "status": status,
                    "created_by_id": lead.pk,
                },
            )
            if self.chance(0.05):  # moved with the person's agreement: the history keeps the move
                action["due_on"] = self.day(due + rng.randint(7, 21))
                batch.add(
                    AgreedDateChange,
                    {
                        "enquiry_id": enquiry["id"],
                        "what": AgreedDateChange.What.PLAN_ACTION,
                        "plan_action_id": action["id"],
                        "from_date": self.day(due),
                        "to_date": action["due_on"],
                        "reason": "The person asked to wait until after their hospital appointment.",
                        "person_agreed": True,
                        "by_id": lead.pk,
                    },
                )
