"""Screening a referral at the front door: who the adult is, and what happens next.

A screener matches the adult to someone already recorded (any team's: `access.person_match_scope`) or
records them, then either

- **routes** it: a safeguarding concern is recorded from the referral, in the referrer's words, for the team
  that should decide it, and that team's managers are notified (no case content in the notification); or
- **closes** it at the door, with a reason:
  - *information and advice given*: it was a safeguarding concern, answered at the door. The SAC return
    counts every safeguarding concern received (docs/sac.md, SG1 and SG1f), so a concern is recorded for
    the screener's own team and decided "no further safeguarding action" with the advice given and the
    reason, through the same decision service as any other concern;
  - *not a safeguarding concern*: nothing is recorded on anyone's record; the referral keeps the reason.

Each is one transaction: the referral is locked and its version checked first, so two screeners cannot both
decide it (the second is told someone else saved first), and a referral already screened is refused. The
concern, the person and the referral's change are each in the record of access; the referral's own record
(`ReferralEvent`) says who screened it, when and from where."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enquiries.models import Person, SafeguardingConcern
from enquiries.models.choices import Ethnicity, Gender, PrimarySupportReason, YesNoUnknown
from enquiries.selectors.concerns import teams_for_new_concern
from enquiries.services.concerns import concern_decide, concern_record
from enquiries.services.people import person_create
from msp_cases import access
from msp_cases.accounts.models import Team
from msp_cases.accounts.roles import SIGN_OFF
from msp_cases.core.actor import Actor
from msp_cases.core.concurrency import ConcurrentEditError, versioned_update
from msp_cases.core.events import REFERRAL_RECEIVED, RecordEvent, record_event
from msp_cases.core.exceptions import NotPermitted, ServiceRefused
from msp_cases.notifications.models import Notification
from msp_cases.notifications.services import NotificationSpec, notify

from ..models import Referral, ReferralEvent
from ..selectors.queue import may_screen
from . import report_files

State = Referral.State

MSG_ADULT = "Select who the referral is about, or choose to record a new person"
MSG_GIVEN_NAME = "Enter the adult’s first name"
MSG_FAMILY_NAME = "Enter the adult’s last name"
MSG_TEAM = "Select the team to send the concern to"
MSG_REASON = "Enter the reason for closing the referral"
MSG_ADVICE = "Enter the information and advice given"
MSG_OWN_TEAM = (
    "You are not a member of an active team, so the concern cannot be recorded. Ask an administrator to "
    "add you to the front-door team"
)
CRITERIA_MESSAGES = {
    "criteria_care_needs": "Select yes if the adult has needs for care and support",
    "criteria_abuse_or_neglect": "Select yes if the adult is experiencing, or at risk of, abuse or neglect",
    "criteria_unable_to_protect": "Select yes if, as a result of those needs, the adult is unable to protect "
    "themselves",
}
MSG_ALREADY_SCREENED = "This referral has already been screened"

# What the referral says about the adult, as the answers to "does the person know about the concern?"
PERSON_AWARE = {"yes": YesNoUnknown.YES, "no": YesNoUnknown.NO, "unknown": YesNoUnknown.NOT_KNOWN}


class ReferralAlreadyScreened(ServiceRefused):
    """Someone routed or closed the referral since this page was loaded."""

    def __init__(self, referral: Referral):
        super().__init__(MSG_ALREADY_SCREENED)
        self.referral = referral


@dataclass(frozen=True)
class NewPerson:
    """The adult, recorded from the referral when nobody matches: what the front door knows of them."""

    given_name: str
    family_name: str
    date_of_birth: Any = None
    address: str = ""
    postcode: str = ""
    nhs_number: str = ""


def split_name(name: str) -> tuple[str, str]:
    """ "Margaret Ann Hughes" -> ("Margaret Ann", "Hughes"): a starting point the screener can correct."""
    words = (name or "").split()
    if len(words) < 2:
        return (words[0] if words else "", "")
    return " ".join(words[:-1]), words[-1]


def concern_summary(referral: Referral) -> str:
    """The referrer's words, as they wrote them, under the questions they answered: what happened first,
    then when, where, and who they say caused it, when they said."""
    parts = [referral.what_happened]
    for label, words in (
        ("When it happened", referral.when_happened),
        ("Where it happened", referral.where_happened),
        ("Who they say caused it", referral.alleged_cause),
        ("Their relationship to the adult", referral.alleged_cause_relationship),
    ):
        if words:
            parts.append(f"{label}: {words}")
    return "\n\n".join(parts)


def _referrer_fields(referral: Referral) -> dict[str, Any]:
    if referral.referrer_anonymous:
        return {"referrer_anonymous": True, "referrer_relationship": referral.referrer_relationship[:150]}
    contact = ", ".join(part for part in (referral.referrer_phone, referral.referrer_email) if part)
    return {
        "referrer_anonymous": False,
        "referrer_name": referral.referrer_name[:150],
        "referrer_role": referral.referrer_role[:150],
        "referrer_organisation": referral.referrer_organisation[:150],
        "referrer_relationship": referral.referrer_relationship[:150],
        "referrer_contact": contact[:200],
    }


def _lock(referral: Referral, expected_version: int) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.state != State.WAITING:
        raise ReferralAlreadyScreened(locked)
    if locked.version != expected_version:
        raise ConcurrentEditError(current=locked)
    return locked


def _check_may_screen(actor: Actor) -> None:
    if not may_screen(actor.user):
        raise NotPermitted("You cannot screen referrals.")


def adult_problems(*, person: Person | None, new_person: NewPerson | None) -> dict[str, list[str]]:
    if person is None and new_person is None:
        return {"adult": [MSG_ADULT]}
    problems: dict[str, list[str]] = {}
    if person is None and new_person is not None:
        if not new_person.given_name.strip():
            problems["given_name"] = [MSG_GIVEN_NAME]
        if not new_person.family_name.strip():
            problems["family_name"] = [MSG_FAMILY_NAME]
    return problems


def _adult(
    *, actor: Actor, referral: Referral, person: Person | None, new_person: NewPerson | None
) -> Person:
    """The matched person, checked against the match scope again (a crafted id is "not one of the
    choices"), or a new person recorded from what the referral says of them."""
    if person is not None:
        if not Person.objects.filter(access.person_match_scope(actor.user), pk=person.pk).exists():
            raise ValidationError({"adult": [MSG_ADULT]})
        return person
    if new_person is None:
        raise ValidationError({"adult": [MSG_ADULT]})
    return person_create(
        actor=actor,
        fields={
            "given_name": new_person.given_name.strip(),
            "family_name": new_person.family_name.strip(),
            "date_of_birth": new_person.date_of_birth,
            "address": new_person.address,
            "postcode": new_person.postcode,
            "nhs_number": new_person.nhs_number,
            # The SAC return's "not known" until the team that decides the concern finds out.
            "gender": Gender.NOT_KNOWN,
            "ethnicity": Ethnicity.NOT_KNOWN,
            "primary_support_reason": PrimarySupportReason.NOT_KNOWN,
            "other_communication_needs": referral.adult_communication_needs,
            "contact_preferences": " ".join(p for p in (referral.contact_how, referral.contact_when) if p),
            "safe_contact": (f"Must not know: {referral.must_not_know}" if referral.must_not_know else ""),
        },
    )


def _record_concern(*, actor: Actor, referral: Referral, person: Person, team: Team) -> SafeguardingConcern:
    """The concern recorded from the referrer's words, with the files they sent as its documents."""
    concern = concern_record(
        actor=actor,
        person=person,
        team=team,
        received_at=referral.submitted_at,
        summary=concern_summary(referral),
        person_aware=PERSON_AWARE.get(referral.adult_knows, ""),
        person_initial_views=referral.adult_wishes,
        **_referrer_fields(referral),
    )
    report_files.referral_files_file(actor=actor, referral=referral, concern=concern)
    return concern


def _screened(
    *, actor: Actor, referral: Referral, expected_version: int, changes: dict[str, Any], detail: str
) -> Referral:
    now = timezone.now()
    done = versioned_update(
        actor=actor,
        instance=referral,
        expected_version=expected_version,
        changes={**changes, "screened_by": actor.user, "screened_at": now},
        detail=detail,
    )
    ReferralEvent.objects.create(
        referral=done,
        action=ReferralEvent.Action.CHANGED,
        user=actor.user,
        ip_address=actor.ip_address,
        detail=detail,
    )
    record_event(
        RecordEvent(
            REFERRAL_RECEIVED,
            occurred_at=now,
            referral_id=done.pk,
            concern_id=done.concern_id,
            code=done.state,
        )
    )
    return done


def team_managers(team: Team) -> list[int]:
    """The team's managers: its active members who sign off its work."""
    managers = ModelBackend().with_perm(SIGN_OFF, is_active=True).filter(teams=team)
    return sorted(managers.values_list("pk", flat=True).distinct())


@transaction.atomic
def referral_route(
    *,
    actor: Actor,
    referral: Referral,
    expected_version: int,
    team: Team | None,
    person: Person | None = None,
    new_person: NewPerson | None = None,
) -> Referral:
    """Send the referral to `team`: the adult matched or recorded, a concern recorded from the referrer's
    words awaiting the team's decision, and the team's managers notified."""
    _check_may_screen(actor)
    locked = _lock(referral, expected_version)
    problems = adult_problems(person=person, new_person=new_person)
    if team is None or not teams_for_new_concern(user=actor.user).filter(pk=team.pk).exists():
        problems["team"] = [MSG_TEAM]
    if problems:
        raise ValidationError(problems)
    adult = _adult(actor=actor, referral=locked, person=person, new_person=new_person)
    concern = _record_concern(actor=actor, referral=locked, person=adult, team=team)
    done = _screened(
        actor=actor,
        referral=locked,
        expected_version=expected_version,
        changes={"state": State.PASSED_ON, "person": adult, "concern": concern, "routed_to": team},
        detail=f"Referral routed to {team.name}"[:200],
    )
    notify(
        specs=[
            NotificationSpec(
                user_id=manager,
                kind=Notification.Kind.REFERRAL_ROUTED,
                message="The front door sent your team a new safeguarding concern to decide",
                url=concern.get_absolute_url(),
            )
            for manager in team_managers(team)
        ]
    )
    return done


def _own_team(actor: Actor) -> Team | None:
    return Team.objects.filter(members=actor.user, is_active=True).order_by("name").first()


@transaction.atomic
def referral_close_advice_given(
    *,
    actor: Actor,
    referral: Referral,
    expected_version: int,
    advice: str,
    reason: str,
    criteria_care_needs: bool | None,
    criteria_abuse_or_neglect: bool | None,
    criteria_unable_to_protect: bool | None,
    person: Person | None = None,
    new_person: NewPerson | None = None,
) -> Referral:
    """Close a safeguarding concern at the door with information and advice. It still counts as a concern
    received (SAC), so one is recorded for the screener's team and decided "no further safeguarding action"
    with the advice and the reason; the three section 42 criteria are answered as for any decision."""
    _check_may_screen(actor)
    locked = _lock(referral, expected_version)
    problems = adult_problems(person=person, new_person=new_person)
    if not (advice or "").strip():
        problems["advice"] = [MSG_ADVICE]
    if not (reason or "").strip():
        problems["reason"] = [MSG_REASON]
    criteria = {
        "criteria_care_needs": criteria_care_needs,
        "criteria_abuse_or_neglect": criteria_abuse_or_neglect,
        "criteria_unable_to_protect": criteria_unable_to_protect,
    }
    for name, answer in criteria.items():
        if answer is None:
            problems[name] = [CRITERIA_MESSAGES[name]]
    team = _own_team(actor)
    if team is None:
        problems.setdefault("__all__", []).append(MSG_OWN_TEAM)
    if problems:
        raise ValidationError(problems)
    adult = _adult(actor=actor, referral=locked, person=person, new_person=new_person)
    concern = _record_concern(actor=actor, referral=locked, person=adult, team=team)
    concern_decide(
        actor=actor,
        concern=concern,
        expected_version=concern.version,
        decision=SafeguardingConcern.Decision.NO_FURTHER_ACTION,
        decision_rationale=f"Closed at the front door: information and advice given. {reason.strip()}",
        no_further_action_response=advice.strip(),
        **criteria,
    )
    return _screened(
        actor=actor,
        referral=locked,
        expected_version=expected_version,
        changes={
            "state": State.SIGNPOSTED,
            "person": adult,
            "concern": concern,
            "closure_reason": reason.strip(),
        },
        detail="Referral closed: information and advice given",
    )


@transaction.atomic
def referral_close_not_safeguarding(
    *, actor: Actor, referral: Referral, expected_version: int, reason: str
) -> Referral:
    """Close a referral that is not a safeguarding concern. Nothing is recorded on anyone's record (it is not
    a concern, so the SAC return does not count it); the referral keeps the reason. Files sent with it are
    deleted."""
    _check_may_screen(actor)
    locked = _lock(referral, expected_version)
    if not (reason or "").strip():
        raise ValidationError({"reason": [MSG_REASON]})
    report_files.referral_files_discard(referral=locked)
    return _screened(
        actor=actor,
        referral=locked,
        expected_version=expected_version,
        changes={"state": State.NO_FURTHER_ACTION, "closure_reason": reason.strip()},
        detail="Referral closed: not a safeguarding concern",
    )


def referral_viewed(*, actor: Actor, referral: Referral, detail: str = "Screening page") -> ReferralEvent:
    """Record that a front-door screener read the referral."""
    return ReferralEvent.objects.create(
        referral=referral,
        action=ReferralEvent.Action.VIEWED,
        user=actor.user,
        ip_address=actor.ip_address,
        detail=detail,
    )


def referrals_listed(
    *, actor: Actor, referral_ids: list[int], detail: str = "Listed in the front-door queue"
) -> int:
    """Record that a screener saw these referrals listed (the adult's name, as the referrer gave it): one
    insert, whatever the number, so the queue keeps a fixed number of queries."""
    ReferralEvent.objects.bulk_create(
        ReferralEvent(
            referral_id=pk,
            action=ReferralEvent.Action.VIEWED,
            user=actor.user,
            ip_address=actor.ip_address,
            detail=detail,
        )
        for pk in referral_ids
    )
    return len(referral_ids)
