"""The closure gate: what must be recorded before closure can be proposed and again before it is approved,
and what the manager who signs off records before approving. The single place the gate lives."""

from django.urls import reverse

from ...models import Enquiry
from ...models.choices import ActionResult
from ..completeness import (
    BEFORE_APPROVAL,
    BEFORE_PROPOSAL,
    CLOSURE_DETAILS,
    ClosureProblem,
    closure_checks,
    sac_problems,
)


def _registered_problems(enquiry: Enquiry, when: str) -> list[ClosureProblem]:
    """What the closure checks other apps registered from their `AppConfig.ready()` still need (the outcomes
    app: the answer to "asked about their desired outcomes" agrees with the outcomes recorded; the feedback
    app: Part 2 done or why not, and at sign-off the organisation's perspective)."""
    return [problem for check in closure_checks(when) for problem in check.problems(enquiry)]


def enquiry_close_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """What must be recorded before closure can be proposed, and again before it is signed off (on the locked
    row). The single place the closure gate lives.

    First every answer the SAC counts at conclusion (`completeness.sac_rules()`, the same rules that put a
    concluded enquiry on the SAC data-quality list, so a signed-off enquiry is never on it), then what the
    gate asks beyond the SAC: a risk outcome only where it applies, the closure summary to the person, and
    the checks other apps registered."""
    problems = sac_problems(enquiry)
    closure_details = reverse(CLOSURE_DETAILS, args=[enquiry.pk])
    if enquiry.action_result != ActionResult.RISK_ACTION and enquiry.risk_outcome:
        problems.append(
            ClosureProblem(
                "Remove the risk outcome: it is only recorded when risk was identified and action taken",
                url=closure_details,
                field="risk_outcome",
            )
        )
    if not enquiry.closure_summary.strip():
        problems.append(
            ClosureProblem(
                "Write the closure summary to the person", url=closure_details, field="closure_summary"
            )
        )
    problems.extend(_registered_problems(enquiry, BEFORE_PROPOSAL))
    return problems


def enquiry_sign_off_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """What the signing-off manager must still record before the closure can be approved, beyond the closure
    gate the proposal passed (returning it needs none of it): the organisation's perspective, which the
    feedback app registers. The sign-off page lists these; `enquiry_sign_off` refuses an approval while any
    remain, on the locked row."""
    return _registered_problems(enquiry, BEFORE_APPROVAL)
