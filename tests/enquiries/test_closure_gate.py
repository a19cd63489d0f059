"""The closure gate as people meet it: the propose page says what is missing and links to where it is
recorded (mental capacity included, on the enquiry's details page), and the sign-off page will not approve a
closure while the SAC still lacks an answer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.models.choices import LacksCapacity, OutcomesAsked
from enquiries.services import completeness
from enquiries.services.completeness import closure_checks, register_closure_check, sac_rules
from enquiries.services.lifecycle import enquiry_close_problems

from .factories_enquiry import make_ready_for_closure, set_status

pytestmark = pytest.mark.django_db

S = Enquiry.Status
CAPACITY = "Select whether the person lacked capacity to make decisions about the enquiry"


@pytest.fixture
def enquiry(world):
    enquiry = world.cases["north"][2]
    set_status(enquiry, S.IN_PROGRESS)
    make_ready_for_closure(enquiry)
    Enquiry.objects.filter(pk=enquiry.pk).update(lacks_capacity=LacksCapacity.NOT_RECORDED)
    enquiry.refresh_from_db()
    return enquiry


def test_the_propose_page_asks_for_mental_capacity_and_links_to_where_it_is_recorded(
    enquiry, practitioner_client
):
    propose = reverse("enquiries:enquiry_propose_closure", args=[enquiry.pk])
    details = reverse("enquiries:enquiry_edit_details", args=[enquiry.pk])

    html = practitioner_client.get(propose).content.decode()
    assert "Before you can propose closure" in html
    assert f'<a href="{details}#id_lacks_capacity_1">{CAPACITY}</a>' in html

    # The link lands on the question, on a page open before closure.
    page = practitioner_client.get(details).content.decode()
    assert 'id="id_lacks_capacity_1"' in page
    assert "Did the person lack capacity to make decisions about the enquiry?" in page

    # A proposal posted anyway is refused with the same words, and nothing changes.
    response = practitioner_client.post(propose, {"version": enquiry.version, "comment": ""})
    assert response.status_code == 409
    assert CAPACITY in response.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).status == S.IN_PROGRESS

    # Recorded on the details page, the gate lets the proposal through.
    answers = {
        "risk_types": [str(pk) for pk in enquiry.risk_types.values_list("pk", flat=True)],
        "risk_location": enquiry.risk_location,
        "risk_source": enquiry.risk_source,
        "lacks_capacity": LacksCapacity.NO,
        "capacity_decision": "Whether to take part in the enquiry",
        "capacity_assessed_on_0": "1",
        "capacity_assessed_on_1": "2",
        "capacity_assessed_on_2": str(timezone.localdate().year - 1),
        "capacity_assessed_by": "A. Practitioner, social worker",
        "outcomes_asked": OutcomesAsked.ASKED_NONE,
        "outcomes_asked_on_0": "1",
        "outcomes_asked_on_1": "2",
        "outcomes_asked_on_2": str(timezone.localdate().year - 1),
        "version": enquiry.version,
    }
    assert practitioner_client.post(details, answers).status_code == 302
    html = practitioner_client.get(propose).content.decode()
    assert "Before you can propose closure" not in html
    version = Enquiry.objects.get(pk=enquiry.pk).version
    assert practitioner_client.post(propose, {"version": version, "comment": ""}).status_code == 302
    assert Enquiry.objects.get(pk=enquiry.pk).status == S.PROPOSED_FOR_CLOSURE


def test_the_sign_off_page_will_not_approve_while_capacity_is_not_recorded(enquiry, manager_client):
    # Proposed before the gate asked for capacity (or the answer was taken back after the proposal).
    set_status(enquiry, S.PROPOSED_FOR_CLOSURE, proposed_for_closure_at=timezone.now())
    url = reverse("enquiries:enquiry_sign_off", args=[enquiry.pk])

    assert CAPACITY in manager_client.get(url).content.decode()  # said before the manager decides

    response = manager_client.post(url, {"version": enquiry.version, "decision": "approve", "comments": ""})
    assert response.status_code == 409
    assert CAPACITY in response.content.decode()
    assert Enquiry.objects.get(pk=enquiry.pk).status == S.PROPOSED_FOR_CLOSURE


def test_the_outcomes_and_feedback_apps_register_their_checks_when_they_load():
    from feedback.services import closure_problems as part2_check
    from feedback.services import perspective_problems
    from outcomes.services import ACHIEVEMENT_RULE, asked_consistency_problems

    assert ACHIEVEMENT_RULE in sac_rules()
    # In the order of INSTALLED_APPS; the perspective only when the manager approves.
    assert [(c.id, c.problems) for c in closure_checks()] == [
        ("outcomes.asked_consistency", asked_consistency_problems),
        ("feedback.part2", part2_check),
    ]
    assert [(c.id, c.problems) for c in closure_checks(completeness.BEFORE_APPROVAL)] == [
        ("feedback.perspective", perspective_problems)
    ]


def test_a_closure_problem_says_what_to_do_and_where(enquiry):
    [problem] = enquiry_close_problems(enquiry)
    assert problem == completeness.ClosureProblem(
        CAPACITY,
        url=reverse("enquiries:enquiry_edit_details", args=[enquiry.pk]),
        field="lacks_capacity",
        rule_id="sg3a_capacity",
    )
    assert str(problem) == CAPACITY


def test_registering_again_changes_nothing(monkeypatch):
    monkeypatch.setattr(completeness, "_RULES", list(completeness._RULES))
    monkeypatch.setattr(completeness, "_CLOSURE_CHECKS", list(completeness._CLOSURE_CHECKS))
    rules, checks = sac_rules(), completeness._CLOSURE_CHECKS[:]
    for rule in rules:
        completeness.register_sac_rule(rule)
    for check in checks:
        register_closure_check(check)
    assert (sac_rules(), completeness._CLOSURE_CHECKS) == (rules, checks)
