"""generate_synthetic and benchmark_drift: deterministic, realistic, valid and consistent fictional data."""

import datetime
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Max

from enquiries.models import (
    AgreedDateChange,
    ConversationLog,
    Enquiry,
    EnquiryEvent,
    ManagerReview,
    Meeting,
    NetworkMember,
    Person,
    PlanAction,
    Reminder,
    SafeguardingConcern,
)
from enquiries.services.conversations import conversation_rule_errors
from enquiries.services.lifecycle import enquiry_close_problems
from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
from msp_cases.accounts import roles
from msp_cases.accounts.models import User
from msp_cases.shell.synthetic import generate_synthetic
from outcomes.models import DesiredOutcome

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
D = SafeguardingConcern.Decision


def generate(concerns: int = 300, seed: int = 7, **kwargs) -> dict[str, int]:
    return generate_synthetic(concerns=concerns, seed=seed, teams=3, today=TODAY, **kwargs)


def snapshot() -> dict:
    """What a user would compare between two runs: counts, and the first people and concerns as shown."""
    people = Person.objects.order_by("pk")[:20].values_list(
        "given_name", "family_name", "date_of_birth", "gender", "ethnicity", "primary_support_reason"
    )
    concerns = [
        (
            c.person.local_identifier,
            c.received_at,
            c.decision,
            c.team.name,
            *sorted(c.risk_types.values_list("code", flat=True)),
        )
        for c in SafeguardingConcern.objects.order_by("pk").select_related("person", "team")[:20]
    ]
    enquiries = list(
        Enquiry.objects.order_by("pk")[:20].values_list(
            "status", "opened_at", "closed_at", "next_contact_on", "action_result", "lacks_capacity"
        )
    )
    counts = {
        model.__name__: model.objects.count()
        for model in (Person, SafeguardingConcern, Enquiry, ConversationLog, PlanAction, DesiredOutcome)
    }
    return {"people": list(people), "concerns": concerns, "enquiries": enquiries, "counts": counts}


def generate_and_forget(**kwargs) -> dict:
    """Generate in a transaction that is rolled back: the next run starts from the same empty database."""
    with transaction.atomic():
        generate(**kwargs)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_the_same_seed_gives_the_same_people_concerns_and_cases():
    first = generate_and_forget(seed=7)
    again = generate_and_forget(seed=7)
    other = generate_and_forget(seed=8)

    assert first == again
    assert first["counts"]["SafeguardingConcern"] == 300
    assert first["people"] != other["people"]
    assert first["concerns"] != other["concerns"]


def test_about_30_percent_of_decided_concerns_become_section_42_enquiries_in_national_proportions():
    generate(concerns=600)

    decided = SafeguardingConcern.objects.exclude(decision=D.PENDING)
    decisions = Counter(decided.values_list("decision", flat=True))
    share_s42 = decisions[D.SECTION_42] / decided.count()
    assert 0.20 <= share_s42 <= 0.40
    assert 0 < decisions[D.OTHER_ENQUIRY] < decisions[D.SECTION_42]
    assert decisions[D.NO_FURTHER_ACTION] > decisions[D.SECTION_42]
    # Every decision opens the enquiry it calls for, of the right type.
    assert Enquiry.objects.filter(enquiry_type="section_42").count() == decisions[D.SECTION_42]
    assert Enquiry.objects.filter(enquiry_type="other").count() == decisions[D.OTHER_ENQUIRY]
    # Neglect the most common type of risk (≈ 32%), own home the most common place (≈ 46%).
    risks = Counter(
        SafeguardingConcern.risk_types.through.objects.values_list("risktypeoption_id", flat=True)
    )
    assert risks.most_common(1)[0][0] == "neglect"
    locations = Counter(SafeguardingConcern.objects.values_list("risk_location", flat=True))
    assert locations.most_common(1)[0][0] == "own_home"
    assert 0.35 <= locations["own_home"] / 600 <= 0.57
    # More women than men; most people white; some people with more than one concern (counted once in SG1).
    genders = Counter(Person.objects.values_list("gender", flat=True))
    assert genders["female"] > genders["male"] > 0
    assert Person.objects.count() < 600
    # Cases at every stage, most of the year's enquiries closed.
    stages = Counter(Enquiry.objects.values_list("status", flat=True))
    assert set(stages) == {"open", "in_progress", "proposed_for_closure", "closed"}
    assert stages["closed"] > sum(stages.values()) / 2


def _conversation_values(log: ConversationLog) -> dict:
    return {field.name: getattr(log, field.attname) for field in ConversationLog._meta.concrete_fields}


def test_every_row_passes_the_models_validation_and_closing_cases_pass_the_closure_gate():
    generate()

    for model in (
        Person,
        NetworkMember,
        SafeguardingConcern,
        Enquiry,
        EnquiryEvent,
        ConversationLog,
        PlanAction,
        AgreedDateChange,
        Meeting,
        ManagerReview,
        DesiredOutcome,
        ExperienceFeedbackPart1,
        ExperienceFeedbackPart2,
        OrganisationPerspective,
    ):
        rows = list(model.objects.all())
        assert rows, f"no {model.__name__} generated"
        for row in rows:
            row.full_clean()  # fields, choices, the model's own clean() and its constraints
    for log in ConversationLog.objects.select_related("enquiry__concern"):
        # The services' rules for a conversation, as on the day it was recorded.
        errors = conversation_rule_errors(
            values=_conversation_values(log), earliest=log.enquiry.concern.received_at, now=log.occurred_at
        )
        assert errors == {}
    closing = Enquiry.objects.filter(status__in=["proposed_for_closure", "closed"])
    assert closing.exists()
    for enquiry in closing:
        assert enquiry_close_problems(enquiry) == []
    # A person's record is restricted to named staff only when a name is given.
    for person in Person.objects.filter(is_restricted=True):
        assert person.restricted_to.exists()


def test_drift_fields_agree_with_the_records_they_summarise():
    generate(open_enquiries=60)  # more cases still open, some drifting
    midnight = datetime.datetime.combine(TODAY, datetime.time.min).astimezone()

    latest_review = dict(
        ManagerReview.objects.values_list("enquiry")
        .annotate(at=Max("reviewed_at"))
        .values_list("enquiry", "at")
    )
    with_person = {}
    for log in ConversationLog.objects.filter(with_person=True).order_by("occurred_at", "pk"):
        with_person[log.enquiry_id] = log  # the last one wins
    for enquiry in Enquiry.objects.select_related("concern"):
        latest = with_person.get(enquiry.pk)
        assert enquiry.next_contact_on == (latest.next_contact_on if latest else None)
        assert enquiry.next_contact_how == (latest.next_contact_how if latest else "")
        assert enquiry.last_with_person_at == (latest.occurred_at if latest else None)
        assert enquiry.last_reviewed_at == latest_review.get(enquiry.pk, enquiry.opened_at)
        assert (enquiry.conclusion_recorded_at is not None) == bool(enquiry.action_result)
        # The story reads in order, and nothing has happened yet today.
        assert enquiry.concern.received_at <= enquiry.concern.decided_at < enquiry.opened_at < midnight
        if enquiry.proposed_for_closure_at:
            assert enquiry.opened_at < enquiry.proposed_for_closure_at < midnight
        if enquiry.closed_at:
            assert enquiry.proposed_for_closure_at < enquiry.closed_at < midnight
    for change in AgreedDateChange.objects.select_related("plan_action"):
        assert change.plan_action.due_on == change.to_date > change.from_date
    # Some cases drift, so the scan has something to find.
    assert Enquiry.objects.exclude(status="closed").filter(next_contact_on__lt=TODAY).exists()
    assert (
        PlanAction.objects.exclude(enquiry__status="closed")
        .filter(due_on__lt=TODAY, status__in=["not_started", "in_progress"])
        .exists()
    )


def test_staff_are_created_once_in_their_role_groups_and_teams():
    generate(concerns=20, seed=1)
    generate(concerns=20, seed=2)

    practitioners = User.objects.filter(email__startswith="synthetic.", groups__name=roles.PRACTITIONER)
    managers = User.objects.filter(email__startswith="synthetic.", groups__name=roles.MANAGER)
    assert practitioners.count() == 3 * 6
    assert managers.count() == 3 * 2
    assert all(user.teams.count() == 1 and not user.has_usable_password() for user in practitioners)
    leads = set(Enquiry.objects.values_list("lead_practitioner", flat=True))
    assert leads <= set(practitioners.values_list("pk", flat=True))


def test_open_enquiries_makes_that_many_open_cases_for_the_drift_benchmark():
    generate(concerns=80, open_enquiries=60)

    assert Enquiry.objects.exclude(status="closed").count() >= 60
    assert SafeguardingConcern.objects.count() == 80


def test_the_command_reports_what_it_made_and_refuses_a_seed_already_there(settings):
    settings.DEMO_MODE = True
    out, err = StringIO(), StringIO()

    call_command(
        "generate_synthetic",
        "--concerns",
        "50",
        "--seed",
        "3",
        "--today",
        "2026-11-23",
        stdout=out,
        stderr=err,
    )

    assert "Synthetic data for seed 3 (counted back from 2026-11-23)" in out.getvalue()
    assert "50 concerns" in out.getvalue()
    assert err.getvalue() == ""  # no progress bar when stderr is not a terminal
    assert SafeguardingConcern.objects.count() == 50
    with pytest.raises(CommandError, match="seed 3 is already in this database"):
        call_command(
            "generate_synthetic", "--concerns", "5", "--seed", "3", stdout=StringIO(), stderr=StringIO()
        )


def test_the_command_only_runs_in_demo_mode(settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs in demo mode"):
        call_command("generate_synthetic", "--concerns", "5", stdout=StringIO())
    assert not SafeguardingConcern.objects.exists()


def test_benchmark_drift_reports_both_scans_and_leaves_the_database_as_it_was():
    generate()
    out = StringIO()

    call_command("benchmark_drift", "--repeat", "2", "--at", "2026-11-23T09:00", stdout=out)

    lines = out.getvalue().splitlines()
    figures = json.loads(lines[-1])
    assert figures["open_enquiries"] == Enquiry.objects.exclude(status="closed").count()
    assert figures["items_due"] > 0
    assert figures["first_scan_result"]["created"] == figures["items_due"]
    assert figures["second_scan_result"] == {"created": 0, "escalated": 0, "resolved": 0}
    assert figures["first_scan_queries"] > 0 and figures["second_scan_queries"] > 0
    assert "Run 2:" in out.getvalue()
    assert not Reminder.objects.exists()
