"""Who may ask for a transfer, who may accept or decline one, and the words for "no". Below both the services,
which refuse with them, and the selectors and pages, which use them to decide which buttons to show: one
answer for both, as `enquiries.refusals.four_eyes_refusal` is for sign-off.

The receiving team's manager accepts (and allocates) or declines. A second pair of eyes, as for sign-off: the
person who asked for the transfer never accepts it, even when they also manage the receiving team, and a
manager of the sending team alone cannot accept it for the other team."""

from msp_cases import access
from msp_cases.accounts.roles import ALLOCATE, EDIT_CASE
from msp_cases.core.exceptions import NotPermitted, ServiceRefused

from .models import Enquiry, SafeguardingConcern, TeamTransfer


class TransferRefused(ServiceRefused):
    """This transfer step cannot happen now: `message` says why, in words a user can act on."""


class TransferNotPermitted(TransferRefused, NotPermitted):
    """The user's role or team does not allow this step at all."""


class TransferByAnotherManager(TransferRefused):
    """Four eyes: whoever asked for the transfer does not accept it."""


MSG_RESTRICTED = (
    "This is a restricted record, so it cannot be transferred here. Ask a safeguarding unit lead to move it."
)


def transfer_request_refusal(*, user, record: SafeguardingConcern | Enquiry) -> TransferRefused | None:
    """Why `user` may not ask for `record` to move to another team now (None: they may). The closed-enquiry
    rule is enquiries.services.records' (the page asks `record_write_refusal`, the service
    `ensure_record_writable`)."""
    if not user.has_perm(EDIT_CASE, record):
        return TransferNotPermitted("You cannot transfer this record.")
    if record.person.is_restricted:
        return TransferRefused(MSG_RESTRICTED)
    if isinstance(record, SafeguardingConcern):
        if record.decision != SafeguardingConcern.Decision.PENDING:
            return TransferRefused(
                "A decision has been recorded on this concern. Transfer the enquiry it led to instead."
            )
    elif record.status == Enquiry.Status.CLOSED:
        return TransferRefused(
            "This enquiry is closed. A manager must reopen it before it can be transferred."
        )
    return None


def may_decide_transfers(user) -> bool:
    """A manager who allocates work (the receiving side's role), not a read-only one."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(ALLOCATE) and not access.is_read_only(user)
    )


def transfer_withdraw_refusal(*, user, transfer: TeamTransfer, team_ids: list[int]) -> TransferRefused | None:
    """Why `user` may not withdraw `transfer` (sent to the wrong team, or no longer needed), or None: whoever
    asked for it, or a manager of the sending team, while it waits."""
    asked = transfer.requested_by_id == user.pk
    sending_manager = may_decide_transfers(user) and transfer.from_team_id in team_ids
    if not (asked or sending_manager) or access.is_read_only(user):
        return TransferNotPermitted(
            "Only whoever asked for this transfer, or a manager of their team, can withdraw it."
        )
    if transfer.status != TeamTransfer.Status.PENDING:
        return TransferRefused(f"This transfer has already been {transfer.get_status_display().lower()}.")
    return None


def transfer_decide_refusal(*, user, transfer: TeamTransfer, team_ids: list[int]) -> TransferRefused | None:
    """Why `user` (a member of `team_ids`) may not accept or decline `transfer` now, or None when they may.
    Role and team first, then the four eyes, then the state: the button and the service ask the same."""
    if not may_decide_transfers(user) or transfer.to_team_id not in team_ids:
        return TransferNotPermitted(
            f"Only a manager in {transfer.to_team} can accept or decline this transfer."
        )
    if transfer.requested_by_id == user.pk:
        return TransferByAnotherManager(
            f"You asked for this transfer, so another manager in {transfer.to_team} must accept or "
            "decline it."
        )
    if transfer.status != TeamTransfer.Status.PENDING:
        return TransferRefused(f"This transfer has already been {transfer.get_status_display().lower()}.")
    return None
