"""Synthetic people, and the concerns about them with their decisions."""

from __future__ import annotations

from datetime import timedelta

from enquiries.models import NetworkMember, Person, SafeguardingConcern

from . import national as N
from .batch import Batch
from .draws import Draws
from .staff import Staff

D = SafeguardingConcern.Decision


IDENTIFIER_PREFIX = "SYN"  # people's local identifier: SYN-<seed>-<n>


def identifier_prefix(seed: int) -> str:
    return f"{IDENTIFIER_PREFIX}-{seed}-"


class PeopleRows(Draws):
    # -- people ---------------------------------------------------------------------------------------------
    def person(self, batch: Batch, number: int, team_index: int) -> dict:
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
            Person,
            {
                "given_name": rng.choice(names),
                "family_name": rng.choice(N.FAMILY_NAMES),
                "preferred_name": rng.choice(names) if self.chance(0.08) else "",
                "date_of_birth": born,
                "gender": gender,
                "ethnicity": self.pick(N.ETHNICITY),
                "primary_support_reason": support,
                "has_autism": self.chance(0.03 if support != "learning_disability" else 0.2),
                "has_aspergers": self.chance(0.01),
                "postcode": f"XX{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                "nhs_number": f"999{rng.randrange(10**7):07d}" if self.chance(0.7) else "",  # test range
                "local_identifier": f"{identifier_prefix(self.seed)}{number + 1:07d}",
                "preferred_language": language,
                "needs_interpreter": language != "English" and self.chance(0.5),
                "uses_bsl": self.chance(0.003),
                "wants_easy_read": support == "learning_disability" and self.chance(0.5),
                "contact_preferences": rng.choice(
                    ["Phone in the morning.", "A letter first, then a visit.", "Through their daughter.", ""]
                ),
                "is_restricted": restricted,
            },
        )
        if restricted:  # named to the team's manager, who restricted it
            batch.add(
                Person.restricted_to.through,
                {"person_id": person["id"], "user_id": self.staff[team_index].managers[0].pk},
            )
        for _ in range(rng.choices((0, 1, 2), weights=(30, 50, 20))[0]):
            batch.add(
                NetworkMember,
                {
                    "person_id": person["id"],
                    "name": f"{rng.choice(N.GIVEN_FEMALE + N.GIVEN_MALE)} {rng.choice(N.FAMILY_NAMES)}",
                    "relationship": self.pick(N.NETWORK_RELATIONSHIP),
                    "persons_view": self.pick(N.PERSONS_VIEW),
                },
            )
        return person

    # -- concerns and decisions -----------------------------------------------------------------------------
    def concern(self, batch, person_id: int, staff: Staff, received_day: int, *, forced_open: bool) -> dict:
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
            SafeguardingConcern,
            {
                "person_id": person_id,
                "team_id": staff.team.pk,
                "allocated_to_id": worker.pk if decided or self.chance(0.6) else None,
                "received_at": received_at,
                "recorded_by_id": rng.choice(staff.practitioners).pk,
                "referrer_anonymous": anonymous,
                "referrer_name": ""
                if anonymous
                else f"{rng.choice(N.GIVEN_FEMALE)} {rng.choice(N.FAMILY_NAMES)}",
                "referrer_role": "" if anonymous else role,
                "referrer_organisation": "" if anonymous else organisation,
                "summary": N.SUMMARY[first],
                "risk_location": location,
                "risk_source": source,
                "immediate_actions": "Checked the person was safe today and agreed when we would talk next.",
                "person_aware": rng.choices(("yes", "no", "not_known"), weights=(75, 10, 15))[0],
                "person_initial_views": rng.choice(N.WHAT_MATTERS),
                "decision": decision,
                "criteria_care_needs": True if decided else None,
                "criteria_abuse_or_neglect": (decision != D.NO_FURTHER_ACTION or self.chance(0.6))
                if decided
                else None,
                "criteria_unable_to_protect": (decision == D.SECTION_42) if decided else None,
                "decision_rationale": "Talked it through with the person; the criteria are recorded above."
                if decided
                else "",
                "decision_person_involvement": "Spoke to them by phone before deciding." if decided else "",
                "no_further_action_response": rng.choice(N.NFA_RESPONSES)
                if decision == D.NO_FURTHER_ACTION
                else "",
                "decided_by_id": rng.choice(staff.managers).pk if decided else None,
                "decided_at": self.at(decided_day, hour=rng.randint(13, 17)) if decided else None,
            },
        )
        self.concern_risks = risks  # the enquiry it opens carries them over
        through = SafeguardingConcern.risk_types.through
        for code in risks:
            batch.add(through, {"safeguardingconcern_id": concern["id"], "risktypeoption_id": code})
        return concern
