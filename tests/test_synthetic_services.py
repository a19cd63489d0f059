"""generate_synthetic beside the services: the fields it derives are what the services would set, its long
cases fill an enquiry page, and its staff can sign in when given a password."""

import datetime
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from enquiries.models import Enquiry
from enquiries.selectors.enquiry import enquiry_overview
from enquiries.services.conversations import enquiry_last_with_person_sync, latest_next_contact
from enquiries.services.derived import enquiry_type_for
from enquiries.services.lifecycle import enquiry_open
from msp_cases.accounts import roles
from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor
from msp_cases.shell.synthetic import generate_synthetic
from outcomes.derived import outcomes_asked_after_outcome

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def generate(concerns: int = 300, seed: int = 7, **kwargs) -> dict[str, int]:
    return generate_synthetic(concerns=concerns, seed=seed, teams=3, today=TODAY, **kwargs)


def test_derived_fields_are_what_the_services_set_from_the_same_records():
    generate(open_enquiries=60)

    enquiries = Enquiry.objects.select_related("concern").prefetch_related(
        "manager_reviews", "desired_outcomes", "risk_types", "concern__risk_types"
    )
    assert enquiries.exists()
    for enquiry in enquiries:
        # The next contact the conversation service reads from the latest conversation.
        assert (enquiry.next_contact_on, enquiry.next_contact_how) == latest_next_contact(enquiry=enquiry)
        # The last conversation with the person, as the conversation service keeps it.
        at = enquiry.last_with_person_at
        enquiry_last_with_person_sync(enquiry=enquiry)
        assert enquiry.last_with_person_at == at
        reviews = [review.reviewed_at for review in enquiry.manager_reviews.all()]
        assert enquiry.last_reviewed_at == max(reviews, default=enquiry.opened_at)
        assert (enquiry.conclusion_recorded_at is not None) == bool(enquiry.action_result)
        for outcome in enquiry.desired_outcomes.all():
            # Recording this outcome through the service would not change the "asked" answer.
            assert (
                outcomes_asked_after_outcome(
                    outcomes_asked=enquiry.outcomes_asked,
                    outcomes_asked_on=enquiry.outcomes_asked_on,
                    said_on=outcome.expressed_on,
                )
                == {}
            )

    # The service opens an enquiry from the same concern with the same type, team, lead and risk details.
    manager = User.objects.filter(groups__name=roles.MANAGER).first()
    compared = ("enquiry_type", "team_id", "lead_practitioner_id", "risk_location", "risk_source")
    with transaction.atomic():
        for generated in list(enquiries[:25]):
            opened = enquiry_open(
                actor=Actor.of(manager),
                concern=generated.concern,
                enquiry_type=enquiry_type_for(generated.concern.decision),
            )
            assert [getattr(opened, f) for f in compared] == [getattr(generated, f) for f in compared]
            assert set(opened.risk_types.all()) == set(generated.risk_types.all())
        transaction.set_rollback(True)


def test_a_few_enquiries_have_the_long_timeline_of_real_casework():
    generate(concerns=200)

    busiest = Enquiry.objects.annotate(n=Count("conversations")).order_by("-n").first()
    unit = User.objects.get(email="synthetic.unit1@example.org")
    overview = enquiry_overview(
        user=unit, enquiry=Enquiry.objects.select_related("concern").get(pk=busiest.pk)
    )
    assert 100 <= overview.counts["all"] <= 320
    kinds = {item.kind for item in overview.items}
    assert {"conversation", "plan", "meeting", "outcome", "outcome_revision"} <= kinds
    # Only the long tail: most enquiries stay short.
    assert Enquiry.objects.annotate(n=Count("conversations")).filter(n__gt=20).count() == 1


def test_staff_sign_in_with_the_staff_password_and_are_listed_by_email(settings, client):
    settings.DEMO_MODE = True
    out = StringIO()

    call_command(
        "generate_synthetic",
        *("--concerns", "20", "--teams", "2", "--today", "2026-11-23"),
        *("--staff-password", "correct horse battery staple"),
        stdout=out,
        stderr=StringIO(),
    )

    practitioner = "synthetic.northfield.practitioner1@example.org"
    assert "18 synthetic staff can sign in" in out.getvalue()  # 2 teams of 8, and 2 in the unit
    assert "unit: synthetic.unit1@example.org, synthetic.unit2@example.org" in out.getvalue()
    assert practitioner in out.getvalue()
    response = client.post(
        reverse("login"), {"username": practitioner, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get(reverse("enquiries:caseload")).status_code == 200
    unit = User.objects.get(email="synthetic.unit1@example.org")
    assert unit.has_perm(roles.VIEW_ALL_CASES)


def test_without_a_password_staff_cannot_sign_in(settings, monkeypatch):
    settings.DEMO_MODE = True
    monkeypatch.delenv("SYNTHETIC_STAFF_PASSWORD", raising=False)
    out = StringIO()

    call_command("generate_synthetic", "--concerns", "5", "--teams", "1", stdout=out, stderr=StringIO())

    assert "No synthetic staff can sign in" in out.getvalue()
    assert not any(user.has_usable_password() for user in User.objects.filter(email__startswith="synthetic."))


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_only(settings, monkeypatch):
    settings.DEMO_MODE = True
    quiet, terminal = StringIO(), Terminal()

    call_command("generate_synthetic", "--concerns", "10", "--seed", "1", stdout=StringIO(), stderr=quiet)
    monkeypatch.setattr(sys, "stderr", terminal)
    call_command("generate_synthetic", "--concerns", "10", "--seed", "2", stdout=StringIO())

    assert quiet.getvalue() == ""
    assert "10/10 concerns 100%" in terminal.getvalue()
