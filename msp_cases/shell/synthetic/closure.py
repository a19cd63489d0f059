"""Synthetic conclusions: the enquiry's outcome, My Safeguarding Experience Part 2 and the perspective."""

from __future__ import annotations

from enquiries.models import Enquiry
from enquiries.models.choices import ActionResult
from enquiries.services.derived import conclusion_recorded_after
from feedback.models import ExperienceFeedbackPart2, OrganisationPerspective

from . import national as N
from .draws import Draws

S = Enquiry.Status


class ClosureRows(Draws):
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
        enquiry["action_result"] = self.pick(N.ACTION_RESULT)
        if enquiry["action_result"] == ActionResult.RISK_ACTION:
            enquiry["risk_outcome"] = self.pick(N.RISK_OUTCOME)
        enquiry["closure_summary"] = "This letter sums up what we did together and what you told us mattered."
        enquiry["conclusion_recorded_at"] = conclusion_recorded_after(
            action_result=enquiry["action_result"],
            conclusion_recorded_at=enquiry.get("conclusion_recorded_at"),
            now=self.at(concluded),
        )
        if closing or self.chance(0.5):
            self.part2(batch, enquiry, lead, manager, concluded, agreed=closing or self.chance(0.5))
        if status == S.CLOSED and self.chance(0.9):
            batch.add(
                OrganisationPerspective,
                {
                    "enquiry_id": enquiry["id"],
                    "could_be_better": rng.choice(("We could have met sooner.", "", "Fewer handovers.")),
                    "agencies_worked_together": "Well: the GP and the provider shared what they knew fast.",
                    "systems_supported_msp": rng.choices(("yes", "partly", "no"), weights=(60, 30, 10))[0],
                    "recorded_by_id": manager.pk,
                },
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
            ExperienceFeedbackPart2,
            {
                "enquiry_id": enquiry["id"],
                "approached": approached,
                "not_approached_reason": reason,
                "not_approached_note": "They asked not to be contacted again." if reason == "other" else "",
                "decided_by_id": None if approached else lead.pk,
                "manager_agreed_by_id": manager.pk if not approached and agreed else None,
                "manager_agreed_at": self.at(day) if not approached and agreed else None,
                "best_interests_answered": None if approached else best_interests,
                "best_interests_who": "Their daughter, who holds lasting power of attorney"
                if best_interests
                else "",
                "listened": answer() if answered else "",
                "informed": answer() if answered else "",
                "safer": answer() if answered else "",
                "concerns_dealt_with": answer() if answered else "",
                "further_work_needed": further if answered else None,
                "further_work": "Support to rebuild confidence going out." if further else "",
                "answered_by": rng.choices(
                    ("person", "relative", "carer", "advocate"), weights=(75, 10, 5, 10)
                )[0]
                if approached
                else "",
                "completed_on": self.day(day) if answered else None,
                "created_by_id": lead.pk,
            },
        )
