"""The closure gate and the SAC data-quality list apply one rule set (enquiries.services.completeness): an
enquiry signed off through the gate is never on the list; each rule both blocks the gate and, on an enquiry
closed some other way (an import, or before the rule existed), puts it on the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.models.choices import ActionResult, CapacitySupport, LacksCapacity, OutcomesAsked, RiskOutcome
from enquiries.services import lifecycle
from enquiries.services.completeness import sac_rules
from enquiries.services.lifecycle import TransitionRefused, enquiry_close_problems
from msp_cases.core.actor import Actor
from msp_cases.reports.sac.data_quality import sac_data_quality
from msp_cases.reports.sac.returns import sac_return
from msp_cases.reports.scope import ReportScope
from outcomes.models import Achievement, DesiredOutcome

from ..enquiries.factories_enquiry import make_ready_for_closure, set_status
from ..outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

S = Enquiry.Status


def _today_scope(world) -> ReportScope:
    today = timezone.localdate()
    return ReportScope(start=today, end=today, team_ids=(world.north.pk, world.south.pk))


def _listed(world) -> dict[int, tuple[str, ...]]:
    quality = sac_data_quality(scope=_today_scope(world), user=world.users["unit"])
    return {item.obj.pk: item.problems for item in quality.enquiries}


def _outcome(enquiry, achievement="", status=DesiredOutcome.Status.ACTIVE):
    return DesiredOutcomeFactory(enquiry=enquiry, achievement=achievement, status=status)


def _update(enquiry, **fields):
    Enquiry.objects.filter(pk=enquiry.pk).update(**fields)
    enquiry.refresh_from_db()


# For each rule, how to leave an otherwise complete enquiry missing exactly that answer.
BREAKERS = {
    "sg2a_risk_type": lambda e: e.risk_types.clear(),
    "sg2b_risk_location": lambda e: _update(e, risk_location=""),
    "sg2_risk_source": lambda e: _update(e, risk_source=""),
    "sg2c_action_result": lambda e: _update(e, action_result=""),
    "sg2e_risk_outcome": lambda e: _update(e, action_result=ActionResult.RISK_ACTION, risk_outcome=""),
    "sg3a_capacity": lambda e: _update(e, lacks_capacity=LacksCapacity.NOT_RECORDED),
    "sg3a_capacity_support": lambda e: _update(e, lacks_capacity=LacksCapacity.YES, capacity_support=""),
    "sg4a_outcomes_asked": lambda e: _update(e, outcomes_asked=OutcomesAsked.NOT_RECORDED),
    "sg4a_achievement": lambda e: (
        _update(e, outcomes_asked=OutcomesAsked.ASKED_EXPRESSED),
        _outcome(e),  # expressed, and the person's view of it not recorded
    ),
}
RULES = {rule.id: rule for rule in sac_rules()}


def test_every_rule_has_a_case_here():
    """A rule added later (in enquiries or by another app) must be added to BREAKERS, so the tests below
    prove it too."""
    assert set(BREAKERS) == set(RULES)
    assert len(RULES) == len(sac_rules())  # ids are unique


@pytest.fixture
def ready(world):
    """North's section 42 enquiry in progress with everything the closure gate asks for."""
    enquiry = world.cases["north"][2]
    set_status(enquiry, S.IN_PROGRESS)
    make_ready_for_closure(enquiry)
    assert enquiry_close_problems(enquiry) == []
    return enquiry


def test_an_enquiry_signed_off_through_the_gate_is_not_on_the_data_quality_list(world, ready):
    """Mental capacity (SG3a) was not asked at closure, so signed-off enquiries appeared on the list as
    "mental capacity not recorded", fixable only by reopening (which took them out of the return)."""
    practitioner, manager = world.users["practitioner_north"], world.users["manager_north"]
    _update(ready, lacks_capacity=LacksCapacity.NOT_RECORDED)  # the answer the gate did not ask for

    with pytest.raises(TransitionRefused, match="lacked capacity to make decisions about the enquiry"):
        lifecycle.enquiry_propose_closure(actor=Actor.of(practitioner), enquiry=ready)

    # The practitioner records it where the gate links to, then closure goes through.
    _update(ready, lacks_capacity=LacksCapacity.YES, capacity_support=CapacitySupport.ADVOCATE)
    lifecycle.enquiry_propose_closure(actor=Actor.of(practitioner), enquiry=ready)
    lifecycle.enquiry_sign_off(actor=Actor.of(manager), enquiry=ready, approve=True)
    ready.refresh_from_db()
    assert ready.status == S.CLOSED

    assert ready.pk not in _listed(world)
    quality = sac_data_quality(scope=_today_scope(world), user=world.users["unit"])
    assert quality.enquiries == [] and not quality.enquiries_more
    # And it counts where the SAC puts it.
    sg3a = sac_return(scope=_today_scope(world)).table("SG3a")
    assert sg3a.cell("Yes, they lacked capacity", "Concluded Section 42 Enquiries") == 1
    assert sg3a.cell("Not recorded", "Concluded Section 42 Enquiries") == 0


@pytest.mark.parametrize("rule_id", list(BREAKERS))
def test_each_rule_blocks_the_gate_and_lists_an_enquiry_closed_without_it(world, ready, rule_id):
    rule = RULES[rule_id]
    BREAKERS[rule_id](ready)

    # The gate: named problem(s) from this rule, linking to a page that records the answer.
    problems = enquiry_close_problems(ready)
    assert problems and {p.rule_id for p in problems} == {rule_id}
    assert all(p.url for p in problems)
    assert rule.fails(ready)
    # Proposal is refused...
    with pytest.raises(TransitionRefused, match="Before proposing closure"):
        lifecycle.enquiry_propose_closure(actor=Actor.of(world.users["practitioner_north"]), enquiry=ready)
    # ...and so is approval of an enquiry already proposed (re-checked on the locked row).
    set_status(ready, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now())
    with pytest.raises(TransitionRefused, match="The closure cannot be approved"):
        lifecycle.enquiry_sign_off(actor=Actor.of(world.users["manager_north"]), enquiry=ready, approve=True)
    assert Enquiry.objects.get(pk=ready.pk).status == S.PROPOSED_FOR_CLOSURE

    # The list: the same enquiry closed without the gate (an import) is listed for this rule only.
    assert _listed(world) == {}
    set_status(ready, S.CLOSED, closed_at=timezone.now())
    assert _listed(world) == {ready.pk: (rule.label,)}


def _variants(world, ready) -> list[Enquiry]:
    """Enquiries that pass or fail each rule in different ways (the edges of each condition)."""
    made = []

    def variant(**fields):
        enquiry = Enquiry.objects.get(pk=ready.pk)
        enquiry.pk = None
        enquiry._state.adding = True
        for name, value in fields.items():
            setattr(enquiry, name, value)
        enquiry.save()
        enquiry.risk_types.set(ready.risk_types.all())
        made.append(enquiry)
        return enquiry

    made.append(ready)
    variant(risk_location="", risk_source="")
    variant(action_result="")
    variant(action_result=ActionResult.RISK_ACTION, risk_outcome=RiskOutcome.REDUCED)
    variant(action_result=ActionResult.RISK_ACTION, risk_outcome="")
    variant(action_result=ActionResult.NO_RISK_ACTION, risk_outcome="")
    for capacity in LacksCapacity.values:
        variant(lacks_capacity=capacity, capacity_support="")
        variant(lacks_capacity=capacity, capacity_support=CapacitySupport.NONE)
    for asked in OutcomesAsked.values:
        variant(outcomes_asked=asked)
    no_types = variant()
    no_types.risk_types.clear()
    expressed = OutcomesAsked.ASKED_EXPRESSED
    variant(outcomes_asked=expressed)  # expressed, none recorded
    _outcome(variant(outcomes_asked=expressed), Achievement.PARTIALLY)
    _outcome(variant(outcomes_asked=expressed), "")
    one_of_two = variant(outcomes_asked=expressed)
    _outcome(one_of_two, Achievement.NOT)
    _outcome(one_of_two, "")
    only_withdrawn_answered = variant(outcomes_asked=expressed)
    _outcome(only_withdrawn_answered, Achievement.FULLY, status=DesiredOutcome.Status.WITHDRAWN)
    _outcome(only_withdrawn_answered, "")
    return made


def test_each_rules_python_check_and_database_condition_agree(world, ready):
    """The gate asks each rule in Python of one enquiry, the list asks it in SQL of many: the same answer
    for every enquiry, rule by rule."""
    enquiries = _variants(world, ready)
    pks = [e.pk for e in enquiries]
    failing_in_sql: dict[int, set[str]] = {pk: set() for pk in pks}
    for rule in sac_rules():
        in_sql = set(Enquiry.objects.filter(pk__in=pks).filter(rule.missing_q()).values_list("pk", flat=True))
        in_python = {e.pk for e in Enquiry.objects.filter(pk__in=pks) if rule.fails(e)}
        assert in_python == in_sql, rule.id
        assert in_sql and in_sql != set(pks), f"{rule.id}: the variants should fall on both sides"
        for pk in in_sql:
            failing_in_sql[pk].add(rule.id)
    # And the gate names every rule the list would flag the enquiry for.
    for enquiry in Enquiry.objects.filter(pk__in=pks):
        gate = {p.rule_id for p in enquiry_close_problems(enquiry)}
        assert failing_in_sql[enquiry.pk] <= gate, enquiry.pk


def test_the_list_costs_the_same_queries_whatever_the_number_of_enquiries(world, ready):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            quality = sac_data_quality(scope=_today_scope(world), user=world.users["unit"])
        return len(ctx.captured_queries), len(quality.enquiries)

    BREAKERS["sg3a_capacity"](ready)
    set_status(ready, S.CLOSED, closed_at=timezone.now())
    count_queries()  # the user's permissions are read once, then cached
    one = count_queries()
    assert one[1] == 1
    enquiries = _variants(world, ready)
    Enquiry.objects.filter(pk__in=[e.pk for e in enquiries]).update(status=S.CLOSED, closed_at=timezone.now())
    flagged = [
        e
        for e in Enquiry.objects.filter(pk__in=[e.pk for e in enquiries])
        if any(r.fails(e) for r in RULES.values())
    ]
    many = count_queries()
    assert many == (one[0], len(flagged)) and len(flagged) > 10


def test_the_sac_page_does_not_list_an_enquiry_closed_through_the_gate(world, ready, unit_client):
    lifecycle.enquiry_propose_closure(actor=Actor.of(world.users["practitioner_north"]), enquiry=ready)
    lifecycle.enquiry_sign_off(actor=Actor.of(world.users["manager_north"]), enquiry=ready, approve=True)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=1)
    response = unit_client.get(
        reverse("reports:sac"),
        {
            "start_0": start.day,
            "start_1": start.month,
            "start_2": start.year,
            "end_0": today.day,
            "end_1": today.month,
            "end_2": today.year,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "No enquiries with missing answers." in html
    assert reverse("enquiries:enquiry_detail", args=[ready.pk]) not in html
