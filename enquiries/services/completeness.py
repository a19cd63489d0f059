"""What a concluded section 42 enquiry must record for the Safeguarding Adults Collection (SG2–SG4), defined
once, and the other checks the closure gate makes.

Each `SacRule` is one answer the SAC counts at conclusion ("Did the individual lack capacity to make decisions
related to the safeguarding enquiry?" and so on) and says, in two forms of the same condition, when it is
missing:

- `fails(enquiry)`, in Python on one enquiry: the closure gate (`lifecycle.closure_gate_problems`) refuses to
  propose closure, and again to approve it on the locked row, while any rule fails;
- `missing_q()`, a condition on `Enquiry` rows: the SAC return's data-quality list
  (`msp_cases.reports.sac.sac_data_quality`) flags the concluded enquiries that match, all rules in one query.

So an enquiry closed through the gate can never be on that list; only a record closed some other way (an
import, or before a rule existed) can. tests/reports/test_sac_data_quality.py checks, rule by rule, that the
two forms agree and that each blocks the gate and lists the enquiry.

The enquiries app defines the rules on the enquiry's own fields. Apps above it add theirs from
`AppConfig.ready()`: `register_sac_rule` (the outcomes app: SG4a achievement) and `register_closure_check`
(checks the gate makes that the SAC does not count, such as My Safeguarding Experience Part 2). The person's
demographics (SG1) are not here: SG1 counts people when a concern is received or an enquiry starts, whether or
not an enquiry ever closes, and the person's record stays open to change after closure."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from ..models import Enquiry
from ..models.choices import ActionResult, LacksCapacity, OutcomesAsked

DETAILS = "enquiries:enquiry_edit_details"
CLOSURE_DETAILS = "enquiries:enquiry_closure_details"


class GateProblem(str):
    """One thing missing before an enquiry can be proposed for closure. A str (so callers can treat the
    list as plain messages), carrying which page fixes it and which field to jump to."""

    fix_url_name: str
    field: str
    url: str  # set instead of fix_url_name by checks from other apps, which know their own pages
    rule_id: str  # the SacRule it comes from, if any

    def __new__(
        cls,
        text: str,
        *,
        fix_url_name: str = CLOSURE_DETAILS,
        field: str = "",
        url: str = "",
        rule_id: str = "",
    ):
        obj = super().__new__(cls, text)
        obj.fix_url_name = fix_url_name
        obj.field = field
        obj.url = url
        obj.rule_id = rule_id
        return obj


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
    # Optional: more precise messages for the gate, each (message, url). When the rule fails and these say
    # nothing, the gate shows `message`, so a failing rule always blocks closure.
    details: Callable[[Enquiry], Iterable[tuple[str, str]]] | None = None

    def fix_url(self, enquiry: Enquiry) -> str:
        return reverse(self.fix_url_name, args=[enquiry.pk])

    def gate_problems(self, enquiry: Enquiry) -> list[GateProblem]:
        if self.details is not None:
            found = [GateProblem(text, url=url, rule_id=self.id) for text, url in self.details(enquiry)]
            if found:
                return found
        if not self.fails(enquiry):
            return []
        return [GateProblem(self.message, fix_url_name=self.fix_url_name, field=self.field, rule_id=self.id)]


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
_CLOSURE_CHECKS: list[Callable[[Enquiry], Iterable[tuple[str, str]]]] = []


def register_sac_rule(rule: SacRule) -> None:
    """Add a rule from an app above this one (from its `AppConfig.ready()`); it follows the built-in ones.
    Registering the same id again replaces the rule, so a second `ready()` changes nothing."""
    for i, existing in enumerate(_RULES):
        if existing.id == rule.id:
            _RULES[i] = rule
            return
    _RULES.append(rule)


def register_closure_check(check: Callable[[Enquiry], Iterable[tuple[str, str]]]) -> None:
    """Add a check the closure gate makes that the SAC does not count (from an app's `AppConfig.ready()`):
    `check(enquiry)` gives (message, url of the page that fixes it) for each thing still missing."""
    if check not in _CLOSURE_CHECKS:
        _CLOSURE_CHECKS.append(check)


def sac_rules() -> tuple[SacRule, ...]:
    """Every SAC rule, built-in first, then in the order the apps registered them."""
    return tuple(_RULES)


def closure_checks() -> tuple[Callable[[Enquiry], Iterable[tuple[str, str]]], ...]:
    return tuple(_CLOSURE_CHECKS)


def sac_problems(enquiry: Enquiry) -> list[GateProblem]:
    """What the SAC still needs of `enquiry`, as the closure gate shows it."""
    return [problem for rule in _RULES for problem in rule.gate_problems(enquiry)]


def sac_missing_q() -> Q:
    """Enquiries where any SAC rule fails."""
    missing = Q()
    for rule in _RULES:
        missing |= rule.missing_q()
    return missing
