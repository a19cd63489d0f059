"""Reads about transfers between teams and concerns joined to an enquiry, scoped to the user.

Who sees a transfer:
- the receiving team's managers (they decide it): only what a referral would show — the person's name and
  date of birth, the team it comes from and the reason (for a concern sent from the duplicate check, what the
  sender typed) — until they accept it and the record becomes theirs;
- whoever may see the record itself (the sending team, unit staff), through the access rule;
- whoever asked for it, to its end (once accepted, the record itself is out of their sight); for a concern
  sent to the team that holds the person, only what they typed: never the record it was matched with.
Everyone else gets "Page not found"."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from msp_cases import access
from msp_cases.accounts.models import Team, User
from msp_cases.accounts.roles import EDIT_CASE, VIEW_ALL_CASES

from ..models import ConcernJoin, Enquiry, Person, SafeguardingConcern, TeamTransfer
from ..transfer_rules import (
    may_decide_transfers,
    transfer_decide_refusal,
    transfer_request_refusal,
    transfer_withdraw_refusal,
)
from .enquiry import TimelineItem

SENT_LIMIT = 50


def user_team_ids(user) -> list[int]:
    return sorted(Team.objects.filter(members=user).values_list("pk", flat=True))


def _record_visible_q(user) -> Q:
    """Transfers whose record the user may see through the access rule."""
    concerns = SafeguardingConcern.objects.filter(access.concern_scope(user)).values("pk")
    enquiries = Enquiry.objects.filter(access.enquiry_scope(user)).values("pk")
    return Q(what=TeamTransfer.What.CONCERN, concern__in=concerns) | Q(
        what=TeamTransfer.What.ENQUIRY, enquiry__in=enquiries
    )


def _receiving_q(user, team_ids: list[int]) -> Q:
    """Transfers to a team the user manages, restricted people excepted (they are never transferred, but a
    record restricted after the request stays hidden)."""
    if not may_decide_transfers(user):
        return access.NOTHING
    return Q(to_team_id__in=team_ids) & ~access.restricted_hidden_q(user, "person_id")


def _base() -> QuerySet[TeamTransfer]:
    return TeamTransfer.objects.select_related(
        "person", "from_team", "to_team", "requested_by", "decided_by", "allocated_to"
    )


@dataclass
class TransferView:
    """A transfer as this user may see it: `receiving` (a manager of the receiving team), `sender_only` (the
    sender of a referral, who sees what they typed and never the matched person), `refusal` (why they may
    not accept it now; None when they may)."""

    transfer: TeamTransfer
    receiving: bool
    sender_only: bool
    refusal: object
    withdraw_refusal: object = None

    @property
    def may_decide(self) -> bool:
        return self.refusal is None

    @property
    def may_withdraw(self) -> bool:
        return self.withdraw_refusal is None


def transfer_get_for_user(*, user, pk) -> TransferView:
    """One transfer the user may see, or 404 (the same answer whether it is out of scope or absent)."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    team_ids = user_team_ids(user)
    try:
        transfer = _base().get(pk=pk)
    except (TeamTransfer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    receiving = TeamTransfer.objects.filter(_receiving_q(user, team_ids), pk=transfer.pk).exists()
    record_visible = TeamTransfer.objects.filter(_record_visible_q(user), pk=transfer.pk).exists()
    is_referral = transfer.what == TeamTransfer.What.REFERRAL
    sender_only = is_referral and not receiving and transfer.requested_by_id == user.pk
    unit_sees = is_referral and user.has_perm(VIEW_ALL_CASES) and access.is_in_scope(user, transfer.person)
    # Whoever asked follows their request to its end (the notification of the answer links here), even once
    # the record has moved out of their sight.
    asked = transfer.requested_by_id == user.pk
    if not (receiving or record_visible or asked or unit_sees):
        raise Http404
    return TransferView(
        transfer=transfer,
        receiving=receiving,
        sender_only=sender_only,
        refusal=transfer_decide_refusal(user=user, transfer=transfer, team_ids=team_ids),
        withdraw_refusal=transfer_withdraw_refusal(user=user, transfer=transfer, team_ids=team_ids),
    )


def transfers_waiting(*, user) -> list[TeamTransfer]:
    """Transfers waiting for a team the user manages, oldest first: one query, whatever their number. Each
    row has `refusal` set (the four eyes: a transfer the user asked for is shown, not offered)."""
    team_ids = user_team_ids(user)
    rows = list(
        _base()
        .filter(_receiving_q(user, team_ids), status=TeamTransfer.Status.PENDING)
        .order_by("requested_at", "pk")
    )
    for row in rows:
        row.refusal = transfer_decide_refusal(user=user, transfer=row, team_ids=team_ids)
    return rows


def transfers_waiting_count(*, user) -> int:
    team_ids = user_team_ids(user)
    return TeamTransfer.objects.filter(
        _receiving_q(user, team_ids), status=TeamTransfer.Status.PENDING
    ).count()


def transfers_sent(*, user) -> list[TeamTransfer]:
    """Transfers out of the user's teams whose record they may see, and every transfer the user asked for
    (a concern sent to the team that holds the person, a record since accepted elsewhere): the latest first,
    one query."""
    mine = Q(requested_by=user)
    team_ids = user_team_ids(user)
    return list(
        _base()
        .filter((Q(from_team_id__in=team_ids) & _record_visible_q(user)) | mine)
        .order_by("-requested_at", "-pk")[:SENT_LIMIT]
    )


def record_transfers(
    *, user, concern: SafeguardingConcern | None = None, enquiry: Enquiry | None = None
) -> list:
    """A record's transfers, oldest first, for its page and timeline; the record is already in scope."""
    if enquiry is not None:
        qs = _base().filter(what=TeamTransfer.What.ENQUIRY, enquiry=enquiry)
    else:
        qs = _base().filter(
            Q(what=TeamTransfer.What.CONCERN) | Q(what=TeamTransfer.What.REFERRAL), concern=concern
        )
    return list(qs.order_by("requested_at", "pk"))


def pending_transfer(transfers: list[TeamTransfer]) -> TeamTransfer | None:
    return next((t for t in transfers if t.is_pending), None)


def transfer_team_choices(*, record) -> QuerySet[Team]:
    """The teams a record may be transferred to: every other active team."""
    return Team.objects.filter(is_active=True).exclude(pk=record.team_id).order_by("name")


def receiving_workers(*, transfer: TeamTransfer) -> QuerySet[User]:
    """Who may lead the work in the receiving team: its active members."""
    return User.objects.staff().filter(teams=transfer.to_team_id).order_by("full_name", "pk")


# --- The team that holds a person, for the duplicate check's dead end


def _same_person_q(*, given_name: str, family_name: str, date_of_birth, nhs_number: str) -> Q:
    """The duplicate check's match (enquiries.selectors.people.person_possible_duplicates): the same NHS
    number, or the same name and date of birth."""
    same = Q(pk__in=[])
    if nhs_number:
        same |= Q(nhs_number=nhs_number)
    if given_name and family_name and date_of_birth:
        same |= Q(
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
            date_of_birth=date_of_birth,
        )
    return same


@dataclass(frozen=True)
class Holder:
    person: Person
    team: Team


def holding_team(
    *, user, given_name: str, family_name: str, date_of_birth: datetime.date | None, nhs_number: str = ""
) -> Holder | None:
    """The team that holds a person the duplicate check found where `user` cannot see them (None: no such
    person, or they are visible to the user, or restricted from them). The person matched by NHS number
    first; the team of their latest open enquiry, else of their latest concern. Never shown to `user`."""
    matches = (
        Person.objects.filter(
            _same_person_q(
                given_name=given_name,
                family_name=family_name,
                date_of_birth=date_of_birth,
                nhs_number=nhs_number,
            )
        )
        .exclude(access.restricted_hidden_q(user, "pk"))
        .exclude(is_restricted=True)
        .exclude(access.person_scope(user))
    )
    # The NHS number is the surer match: those first, then the latest recorded.
    candidates = sorted(matches[:20], key=lambda p: (not (nhs_number and p.nhs_number == nhs_number), -p.pk))
    own_teams = user_team_ids(user)
    for person in candidates[:5]:
        enquiry = person.enquiries.exclude(status=Enquiry.Status.CLOSED).order_by("-opened_at").first()
        concern = person.concerns.order_by("-received_at").first()
        team = (enquiry.team if enquiry else None) or (concern.team if concern else None)
        if team is not None and team.is_active and team.pk not in own_teams:
            return Holder(person=person, team=team)
    return None


# --- Concerns joined to an enquiry


def concern_joined_enquiry(*, user, concern: SafeguardingConcern) -> ConcernJoin | None:
    """The join of this concern to an enquiry; `visible` says whether the user may open the enquiry."""
    join = ConcernJoin.objects.select_related("enquiry", "by").filter(concern=concern).first()
    if join is not None:
        join.visible = access.is_in_scope(user, join.enquiry)
    return join


def enquiry_joined_concerns(*, enquiry: Enquiry) -> list[ConcernJoin]:
    """The concerns added to this enquiry (which is in scope: its timeline shows them)."""
    return list(
        ConcernJoin.objects.filter(enquiry=enquiry)
        .select_related("concern", "by")
        .order_by("joined_at", "pk")
    )


def join_candidates(*, user, concern: SafeguardingConcern) -> QuerySet[Enquiry]:
    """The open enquiries about the concern's person that the user may see, other than its own."""
    qs = Enquiry.objects.filter(person_id=concern.person_id).exclude(status=Enquiry.Status.CLOSED)
    qs = qs.exclude(concern=concern).select_related("team", "lead_practitioner")
    return access.scoped(qs, user).order_by("-opened_at", "pk")


# --- The enquiry's timeline (registered as a TimelineSource from EnquiriesConfig.ready())

TRANSFER_ITEM = "enquiries/transfers/_timeline_item.html"


def transfer_timeline_items(enquiry: Enquiry) -> list[TimelineItem]:
    """Each transfer asked for, accepted or declined, and each concern added to the enquiry: two queries."""
    items = []
    for transfer in record_transfers(user=None, enquiry=enquiry):
        extra = {"template": TRANSFER_ITEM, "step": "requested"}
        items.append(
            TimelineItem("transfer", transfer.requested_at, transfer, frozenset({"decisions"}), extra)
        )
        if transfer.decided_at:
            extra = {"template": TRANSFER_ITEM, "step": transfer.status}
            items.append(
                TimelineItem("transfer", transfer.decided_at, transfer, frozenset({"decisions"}), extra)
            )
    for join in enquiry_joined_concerns(enquiry=enquiry):
        extra = {"template": TRANSFER_ITEM, "step": "joined"}
        items.append(TimelineItem("joined_concern", join.joined_at, join, frozenset({"decisions"}), extra))
    return items


# --- What the enquiry and concern pages show (the panel enquiries.transfers; the concern_transfers tag)


def enquiry_panel_context(*, user, enquiry: Enquiry) -> dict:
    """A transfer waiting for this enquiry, or whether the user may ask for one. Two queries."""
    pending = pending_transfer(record_transfers(user=user, enquiry=enquiry))
    may_request = pending is None and transfer_request_refusal(user=user, record=enquiry) is None
    return {"transfers_pending": pending, "transfers_may_request": may_request}


def concern_panel_context(*, user, concern: SafeguardingConcern) -> dict:
    """The enquiry the concern joined, where it came from, a transfer waiting, and which links to offer."""
    transfers = record_transfers(user=user, concern=concern)
    pending = pending_transfer(transfers)
    joined = concern_joined_enquiry(user=user, concern=concern)
    is_pending = concern.decision == SafeguardingConcern.Decision.PENDING
    may_request = (
        pending is None and is_pending and transfer_request_refusal(user=user, record=concern) is None
    )
    may_join = (
        pending is None
        and is_pending
        and user.has_perm(EDIT_CASE, concern)
        and join_candidates(user=user, concern=concern).exists()
    )
    received_from = next((t for t in reversed(transfers) if t.status == TeamTransfer.Status.ACCEPTED), None)
    return {
        "concern": concern,
        "joined": joined,
        "pending": pending,
        "received_from": received_from,
        "declined": [t for t in transfers if t.status == TeamTransfer.Status.DECLINED],
        "may_request": may_request,
        "may_join": may_join,
    }


def transfer_chronology_items(*, user, person: Person, enquiries: list[Enquiry]) -> list[TimelineItem]:
    """Transfers between teams on the person's chronology: each one asked for and how it was decided, of the
    enquiries and concerns of the person the user may see. Two queries."""
    concern_ids = access.scoped(SafeguardingConcern.objects.filter(person=person), user).values("pk")
    transfers = _base().filter(
        Q(what=TeamTransfer.What.ENQUIRY, enquiry__in=[e.pk for e in enquiries])
        | Q(what__in=[TeamTransfer.What.CONCERN, TeamTransfer.What.REFERRAL], concern__in=concern_ids)
    )
    items = []
    for transfer in transfers.order_by("requested_at", "pk"):
        record = {"enquiry_id": transfer.enquiry_id} if transfer.what == TeamTransfer.What.ENQUIRY else {}
        teams = f"From {transfer.from_team} to {transfer.to_team}"
        extra = {"title": "Transfer asked for", "line": teams, "by": transfer.requested_by, **record}
        items.append(
            TimelineItem("transfer", transfer.requested_at, transfer, frozenset({"decisions"}), extra)
        )
        if transfer.decided_at:
            title = f"Transfer {transfer.get_status_display().lower()}"
            line = f"{teams}. {transfer.decline_reason}" if transfer.decline_reason else teams
            extra = {"title": title, "line": line, "by": transfer.decided_by or "", **record}
            items.append(
                TimelineItem("transfer", transfer.decided_at, transfer, frozenset({"decisions"}), extra)
            )
    return items
