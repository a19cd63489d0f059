"""The enquiry workflow's words for "no", and the four-eyes rule of sign-off. Below both the services, which
refuse with them, and the selectors, which show them beside a list row (the sign-off queue), so that reads
never import the writes."""

from msp_cases.core.exceptions import NotPermitted, ServiceRefused


class TransitionRefused(ServiceRefused):
    """The enquiry is not in a stage (or a state) where this step can happen. `message` says why, in
    words a practitioner can act on."""


class TransitionNotPermitted(TransitionRefused, NotPermitted):
    """The user's role does not allow this step on this enquiry at all (e.g. a practitioner signing off)."""


class SignOffByAnotherManager(TransitionRefused):
    """Four eyes: the manager who approves a closure is neither the lead practitioner nor the person who
    proposed it. `short` is the same answer in the few words a list has room for."""

    def __init__(self, message: str, *, short: str):
        super().__init__(message)
        self.short = short


def four_eyes_refusal(*, is_lead: bool, proposed_closure: bool) -> SignOffByAnotherManager | None:
    """The sign-off rule's second pair of eyes, for the sign-off page, the enquiry page's buttons, the
    service and the sign-off queue alike."""
    if is_lead:
        return SignOffByAnotherManager(
            "You are the lead practitioner for this enquiry, so another manager must sign off its closure.",
            short="You lead this enquiry: another manager signs it off",
        )
    if proposed_closure:
        return SignOffByAnotherManager(
            "Another manager must approve this closure: you proposed it.",
            short="You proposed this closure: another manager must approve it",
        )
    return None
