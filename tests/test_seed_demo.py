import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from enquiries.models import Enquiry, Person, SafeguardingConcern
from msp_cases.accounts.demo import DEMO_USERS
from msp_cases.accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (Person.objects.count(), SafeguardingConcern.objects.count(), Enquiry.objects.count())
    call_command("seed_demo")
    assert counts == (Person.objects.count(), SafeguardingConcern.objects.count(), Enquiry.objects.count())
    assert User.objects.count() == len(DEMO_USERS)
    output = capsys.readouterr().out
    assert "practitioner.north@example.org" in output


def test_demo_cases_cover_every_stage_in_both_teams():
    call_command("seed_demo")
    assert Person.objects.count() >= 12
    assert set(Enquiry.objects.values_list("status", flat=True)) == set(Enquiry.Status.values)
    assert set(SafeguardingConcern.objects.values_list("decision", flat=True)) == set(
        SafeguardingConcern.Decision.values
    )
    assert set(Enquiry.objects.values_list("team__name", flat=True)) == {"North Locality", "South Locality"}
    assert Person.objects.filter(is_restricted=True).exists()


@pytest.mark.parametrize("demo", DEMO_USERS, ids=lambda d: d.email)
def test_every_demo_user_can_sign_in_and_lands_somewhere_useful(client, settings, demo):
    call_command("seed_demo")
    response = client.post(
        reverse("login"), {"username": demo.email, "password": settings.DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].email == demo.email
    page = response.content.decode()
    if demo.role == "Administrator":
        assert "Site administration" in page
    elif demo.role == "Front door":
        assert "Referrals waiting to be screened" in page and "Margaret Hughes" in page
    else:
        assert '<h1 class="govuk-heading-l">' in page
        assert ("All cases" if demo.role == "Safeguarding Unit" else "Caseload") in page


def test_the_demo_practitioner_sees_a_caseload(client, settings):
    call_command("seed_demo")
    client.post(
        reverse("login"), {"username": "practitioner.north@example.org", "password": settings.DEMO_PASSWORD}
    )
    response = client.get(reverse("enquiries:caseload"))
    assert response.context["page"].paginator.count > 0
    assert "Joseph Wright" in response.content.decode()


def test_sign_in_page_lists_demo_accounts_only_in_demo_mode(client, settings):
    settings.DEMO_MODE = True
    assert "Demo accounts" in client.get(reverse("login")).content.decode()
    settings.DEMO_MODE = False
    assert "Demo accounts" not in client.get(reverse("login")).content.decode()


def test_seed_demo_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo")


def test_demo_cases_carry_conversations_plans_and_meetings_in_both_teams():
    from enquiries.models import ConversationLog, Meeting, NetworkMember, PlanAction

    call_command("seed_demo")
    for team in ["North Locality", "South Locality"]:
        worked = Enquiry.objects.filter(team__name=team).exclude(status=Enquiry.Status.OPEN)
        assert worked.exists()
        for enquiry in worked:
            conversations = ConversationLog.objects.filter(enquiry=enquiry)
            assert conversations.filter(with_person=True).count() == 2
            assert all(c.what_matters for c in conversations)
            assert PlanAction.objects.filter(enquiry=enquiry).exists()
            assert Meeting.objects.filter(enquiry=enquiry).exists()
            assert enquiry.risk_types.exists()
    assert NetworkMember.objects.filter(persons_view="not_told").exists()
    closed = Enquiry.objects.filter(status=Enquiry.Status.CLOSED)
    assert all(e.action_result and e.closure_summary for e in closed)


def test_demo_closing_cases_pass_the_closure_gate_with_outcomes_and_experience():
    from enquiries.services.lifecycle import enquiry_close_problems
    from feedback.models import ExperienceFeedbackPart2, OrganisationPerspective
    from outcomes.models import DesiredOutcome

    call_command("seed_demo")
    closing = Enquiry.objects.filter(status__in=[Enquiry.Status.PROPOSED_FOR_CLOSURE, Enquiry.Status.CLOSED])
    assert closing.count() >= 4
    for enquiry in closing:
        assert enquiry_close_problems(enquiry) == [], enquiry.person.local_identifier
    achieved = set(DesiredOutcome.objects.filter(enquiry__in=closing).values_list("achievement", flat=True))
    assert achieved == {"fully", "partially", "not"}  # outcomes achieved to different degrees
    assert ExperienceFeedbackPart2.objects.filter(approached=False, manager_agreed_by__isnull=False).exists()
    assert ExperienceFeedbackPart2.objects.filter(approached=True).exists()
    assert OrganisationPerspective.objects.filter(enquiry__status=Enquiry.Status.CLOSED).exists()
