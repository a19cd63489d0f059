"""What a concluded section 42 enquiry must record for the Safeguarding Adults Collection (SG2–SG4), defined
once, and the other checks the closure gate makes.

Each `SacRule` is one answer the SAC counts at conclusion ("Did the individual lack capacity to make decisions
related to the safeguarding enquiry?" and so on) and says, in two forms of the same condition, when it is
missing:

- `fails(enquiry)`, in Python on one enquiry: the closure gate (`lifecycle.enquiry_close_problems`) refuses to
  propose closure, and again to approve it on the locked row, while any rule fails;
- `missing_q()`, a condition on `Enquiry` rows: the SAC return's data-quality list
  (`msp_cases.reports.sac.data_quality.sac_data_quality`) flags the concluded enquiries that match, all rules
  in one query.

So an enquiry closed through the gate can never be on that list; only a record closed some other way (an
import, or before a rule existed) can. tests/reports/test_sac_data_quality.py checks, rule by rule, that the
two forms agree and that each blocks the gate and lists the enquiry.

The enquiries app defines the rules on the enquiry's own fields. Apps above it add theirs from
`AppConfig.ready()`: `register_sac_rule` (the outcomes app: SG4a achievement) and `register_closure_check`
(checks the gate makes that the SAC does not count, such as My Safeguarding Experience Part 2, or the
organisation's perspective the manager records before approving). Each thing missing is a `ClosureProblem`:
the message and the page (and question) that records it. The person's
demographics (SG1) are not here: SG1 counts people when a concern is received or an enquiry starts, whether or
not an enquiry ever closes, and the person's record stays open to change after closure."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from ..models import Enquiry
from ..models.choices import ActionResult, LacksCapacity, OutcomesAsked

DETAILS = "enquiries:enquiry_edit_details"
CLOSURE_DETAILS = "enquiries:enquiry_closure_details"


@dataclass(frozen=True)
class ClosureProblem:
    """One thing still missing before an enquiry can close: what to do, in the GOV.UK voice, and where to
    do it. The closure gate lists these as links; a refusal joins their messages."""

    message: str
    # The page that records the answer; with `field`, the question on that page to land on.
    url: str
    field: str = ""
    # The SacRule it comes from, if any (the SAC data-quality list names the same rule).
    rule_id: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class SacRule:
    """One answer the SAC needs of a concluded section 42 enquiry."""

    id: str
    # How the data-quality list names the gap: the SAC table, then what is missing.
    label: str
    # What the closure gate asks for, in the GOV.UK voice.
    message: str
    # True when the answer is missing, on one enquiry (the gate).
    fails: Callable[[Enquiry], bool]
    # The same condition on Enquiry rows (the data-quality list); a function so it is built when asked.
    missing_q: Callable[[], Q]
    # The page (and field) that records the answer.
    fix_url_name: str = DETAILS
    field: str = ""
    # Optional: more precise problems for the gate. When the rule fails and these say nothing, the gate
    # shows `message`, so a failing rule always blocks closure.
    details: Callable[[Enquiry], Iterable[ClosureProblem]] | None = None

    def fix_url(self, enquiry: Enquiry) -> str:
        return reverse(self.fix_url_name, args=[enquiry.pk])

    def problems(self, enquiry: Enquiry) -> list[ClosureProblem]:
        if self.details is not None:
            found = [replace(problem, rule_id=self.id) for problem in self.details(enquiry)]
            if found:
                return found
        if not self.fails(enquiry):
            return []
        return [ClosureProblem(self.message, url=self.fix_url(enquiry), field=self.field, rule_id=self.id)]


def _no_risk_types_q() -> Q:
    Through = Enquiry.risk_types.through
    return ~Q(Exists(Through.objects.filter(enquiry_id=OuterRef("pk"))))


_RULES: list[SacRule] = [
    SacRule(
        id="sg2a_risk_type",
        label="SG2a: type of risk not recorded",
        message="Select the type of risk",
        fails=lambda e: not e.risk_types.all(),
        missing_q=_no_risk_types_q,
        field="risk_types",
    ),
    SacRule(
        id="sg2b_risk_location",
        label="SG2b: location of risk not recorded",
        message="Select the location of risk",
        fails=lambda e: not e.risk_location,
        missing_q=lambda: Q(risk_location=""),
        field="risk_location",
    ),
    SacRule(
        id="sg2_risk_source",
        label="SG2a/SG2b: source of risk not recorded",
        message="Select the source of risk",
        fails=lambda e: not e.risk_source,
        missing_q=lambda: Q(risk_source=""),
        field="risk_source",
    ),
    SacRule(
        id="sg2c_action_result",
        label="SG2c: action and result not recorded",
        message="Select the action taken and its result",
        fails=lambda e: not e.action_result,
        missing_q=lambda: Q(action_result=""),
        fix_url_name=CLOSURE_DETAILS,
        field="action_result",
    ),
    SacRule(
        id="sg2e_risk_outcome",
        label="SG2e: risk outcome not recorded",
        message=(
            "Select whether the risk remained, was reduced or was removed, as risk was identified and "
            "action taken"
        ),
        fails=lambda e: e.action_result == ActionResult.RISK_ACTION and not e.risk_outcome,
        missing_q=lambda: Q(action_result=ActionResult.RISK_ACTION, risk_outcome=""),
        fix_url_name=CLOSURE_DETAILS,
        field="risk_outcome",
    ),
    SacRule(
        id="sg3a_capacity",
        label="SG3a: mental capacity not recorded",
        message="Select whether the person lacked capacity to make decisions about the enquiry",
        fails=lambda e: e.lacks_capacity == LacksCapacity.NOT_RECORDED,
        missing_q=lambda: Q(lacks_capacity=LacksCapacity.NOT_RECORDED),
        field="lacks_capacity",
    ),
    SacRule(
        id="sg3a_capacity_support",
        label="SG3a: support not recorded where capacity lacking",
        message=(
            "Select the support provided to the person, as they lacked capacity: an advocate, a "
            "representative, family or a friend, or no support"
        ),
        fails=lambda e: e.lacks_capacity == LacksCapacity.YES and not e.capacity_support,
        missing_q=lambda: Q(lacks_capacity=LacksCapacity.YES, capacity_support=""),
        field="capacity_support",
    ),
    SacRule(
        id="sg4a_outcomes_asked",
        label="SG4a: asked about outcomes not recorded",
        message="Record whether the person or their representative was asked about their desired outcomes",
        fails=lambda e: e.outcomes_asked == OutcomesAsked.NOT_RECORDED,
        missing_q=lambda: Q(outcomes_asked=OutcomesAsked.NOT_RECORDED),
        field="outcomes_asked",
    ),
]

# When a closure check is asked.
BEFORE_PROPOSAL = "before_proposal"
BEFORE_APPROVAL = "before_approval"


@dataclass(frozen=True)
class ClosureCheck:
    """A check the closure gate makes that the SAC does not count, registered by an app above this one from
    its `AppConfig.ready()` with `register_closure_check`. `problems(enquiry)` gives what is still missing."""

    id: str  # "<app>.<what>", unique
    problems: Callable[[Enquiry], Iterable[ClosureProblem]]
    # BEFORE_PROPOSAL: asked when closure is proposed and again on approval; BEFORE_APPROVAL: what the
    # manager who signs off records, asked on approval only.
    when: str = BEFORE_PROPOSAL


_CLOSURE_CHECKS: list[ClosureCheck] = []


def register_sac_rule(rule: SacRule) -> None:
    """Add a rule from an app above this one (from its `AppConfig.ready()`); it follows the built-in ones.
    Registering the same id again replaces the rule, so a second `ready()` changes nothing."""
    _register(_RULES, rule)


def register_closure_check(check: ClosureCheck) -> None:
    """Add a closure check (from an app's `AppConfig.ready()`). Checks run in the order registered, so in
    the order of INSTALLED_APPS; the same id again replaces the check, so a second `ready()` changes
    nothing."""
    if check.when not in (BEFORE_PROPOSAL, BEFORE_APPROVAL):
        raise ValueError(f"Unknown closure check stage {check.when!r}")
    _register(_CLOSURE_CHECKS, check)


def _register(registry: list, item) -> None:
    for i, existing in enumerate(registry):
        if existing.id == item.id:
            registry[i] = item
            return
    registry.append(item)


def sac_rules() -> tuple[SacRule, ...]:
    """Every SAC rule, built-in first, then in the order the apps registered them."""
    return tuple(_RULES)


def closure_checks(when: str = BEFORE_PROPOSAL) -> tuple[ClosureCheck, ...]:
    """The registered closure checks asked at that stage, in the order registered."""
    return tuple(check for check in _CLOSURE_CHECKS if check.when == when)


def sac_problems(enquiry: Enquiry) -> list[ClosureProblem]:
    """What the SAC still needs of `enquiry`, as the closure gate shows it."""
    return [problem for rule in _RULES for problem in rule.problems(enquiry)]


def sac_missing_q() -> Q:
    """Enquiries where any SAC rule fails."""
    missing = Q()
    for rule in _RULES:
        missing |= rule.missing_q()
    return missing
