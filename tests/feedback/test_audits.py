"""Case-file audits: the seeded sample (reproducible, only closed enquiries of the period and team, only what
the drawer may see), the audit form (errors, hints never pre-filled, revisions kept, a stale save refused),
who sees the comments on the enquiry page, who may use the pages, the results report's figures, and the
list pages' query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from feedback.audits import selectors, services
from feedback.models import AUDIT_CHECKLIST, AuditSample, CaseFileAudit
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotPermitted
from msp_cases.reports.scope import scope_for
from tests.factories import EnquiryFactory, PersonFactory, UserFactory
from tests.feedback.factories_feedback import CaseFileAuditFactory, audit_answers
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2025, 4, 1), datetime.date(2025, 9, 30)
NOW = datetime.datetime(2025, 10, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def closed(team, lead=None, *, on=datetime.date(2025, 6, 1), **kwargs) -> Enquiry:
    return EnquiryFactory(
        team=team,
        lead_practitioner=lead,
        status=Enquiry.Status.CLOSED,
        opened_at=at(on) - datetime.timedelta(days=30),
        closed_at=at(on),
        **kwargs,
    )


def draw(user, *, team=None, size=5, seed=42, start=START, end=END) -> AuditSample:
    return services.audit_sample_draw(user=user, start=start, end=end, team=team, size=size, seed=seed)


def drawn_ids(sample: AuditSample) -> list[int]:
    return list(sample.items.order_by("position").values_list("enquiry_id", flat=True))


def audit(user, sample, enquiry, **overrides) -> CaseFileAudit:
    current = selectors.current_audits().filter(sample=sample, enquiry=enquiry).first()
    return services.case_file_audit_record(
        actor=Actor.of(user),
        sample=sample,
        enquiry=enquiry,
        replaces_id=current.pk if current else None,
        answers=audit_answers(**overrides),
    )


def form_data(replaces="", **overrides) -> dict:
    return {"replaces": replaces, **audit_answers(**overrides)}


# The sample ------------------------------------------------------------------------------------------------


def test_the_same_seed_draws_the_same_enquiries_and_another_seed_others(world):
    unit = world.users["unit"]
    for _ in range(20):
        closed(world.north)
    first, again, other = draw(unit, seed=42), draw(unit, seed=42), draw(unit, seed=7)
    assert len(drawn_ids(first)) == 5
    assert drawn_ids(first) == drawn_ids(again)  # same enquiries, in the same order
    assert set(drawn_ids(other)) != set(drawn_ids(first))
    assert first.seed == 42 and first.eligible_count == 20


def test_only_closed_enquiries_of_the_period_and_team_are_drawn(world):
    unit = world.users["unit"]
    wanted = {closed(world.north, on=START).pk, closed(world.north, on=END).pk}  # both days included
    closed(world.north, on=START - datetime.timedelta(days=1))
    closed(world.north, on=END + datetime.timedelta(days=1))
    closed(world.south)
    EnquiryFactory(team=world.north)  # open
    sample = draw(unit, team=world.north, size=50)
    assert set(drawn_ids(sample)) == wanted
    assert sample.eligible_count == 2
    assert set(drawn_ids(draw(unit, size=50))) == wanted | {
        e.pk for e in Enquiry.objects.filter(team=world.south, status="closed")
    }


def test_restricted_records_are_drawn_only_by_unit_leads(world):
    restricted = closed(world.north, person=PersonFactory(is_restricted=True))
    plain = closed(world.north)
    assert set(drawn_ids(draw(world.users["unit"], size=50))) == {plain.pk}
    assert set(drawn_ids(draw(world.users["unit_lead"], size=50))) == {plain.pk, restricted.pk}


def test_the_unit_draws_a_sample_from_the_page_with_a_random_seed_offered(world, unit_client):
    page = unit_client.get(reverse("feedback:audit_sample_draw"))
    assert page.status_code == 200
    offered = page.context["form"].initial["seed"]
    assert 1 <= offered <= services.SEED_MAX
    assert f'value="{offered}"' in page.content.decode()
    enquiries = [closed(world.north) for _ in range(3)]
    response = unit_client.post(
        reverse("feedback:audit_sample_draw"),
        {
            "start_0": "1", "start_1": "4", "start_2": "2025",
            "end_0": "30", "end_1": "9", "end_2": "2025",
            "team": str(world.north.pk), "size": "2", "seed": "1234",
        },
    )  # fmt: skip
    sample = AuditSample.objects.get()
    assert response.status_code == 302 and response.url == reverse("feedback:audit_sample", args=[sample.pk])
    assert (sample.seed, sample.team, sample.drawn_by) == (1234, world.north, world.users["unit"])
    assert drawn_ids(sample) == services.draw([e.pk for e in enquiries], size=2, seed=1234)
    page = unit_client.get(response.url).content.decode()
    assert "1234" in page and "0 of 2 audited" in page
    assert "Sample number" in page and "Seed" not in page


def test_draw_errors_are_summarised(unit_client):
    response = unit_client.post(reverse("feedback:audit_sample_draw"), {"size": "0", "seed": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the first day of the period" in page
    assert "Draw at least 1 enquiry" in page
    assert "Enter the sample number, a whole number" in page
    assert not AuditSample.objects.exists()


# Who may use the pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["practitioner_north", "manager_north", "admin"])
def test_only_the_unit_draws_samples_and_audits(world, client_for, role):
    enquiry = closed(world.north, world.users["practitioner_north"])
    sample = draw(world.users["unit"])
    client = client_for(world.users[role])
    for url in [
        reverse("feedback:audit_samples"),
        reverse("feedback:audit_sample_draw"),
        reverse("feedback:audit_sample", args=[sample.pk]),
        reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk]), form_data()).status_code
        == 403
    )
    assert not CaseFileAudit.objects.exists()
    with pytest.raises(NotPermitted):
        draw(world.users[role])


def test_an_enquiry_outside_the_sample_or_the_auditors_scope_is_not_found(world, unit_client, client_for):
    in_sample = closed(world.north)
    sample = draw(world.users["unit_lead"])
    not_drawn = closed(world.north, on=datetime.date(2026, 1, 1))
    assert (
        unit_client.get(reverse("feedback:audit_enquiry", args=[sample.pk, not_drawn.pk])).status_code == 404
    )
    # Restricted since it was drawn: the unit lead still audits it; other unit staff neither see nor open it.
    in_sample.person.is_restricted = True
    in_sample.person.save()
    url = reverse("feedback:audit_enquiry", args=[sample.pk, in_sample.pk])
    assert unit_client.get(url).status_code == 404
    assert unit_client.post(url, form_data()).status_code == 404
    page = unit_client.get(reverse("feedback:audit_sample", args=[sample.pk])).content.decode()
    assert "1 enquiry is in this sample that you may not see" in page
    assert in_sample.person.family_name not in page
    assert client_for(world.users["unit_lead"]).get(url).status_code == 200


# The audit -------------------------------------------------------------------------------------------------


def test_an_audit_is_saved_with_its_grade_and_comments(world, unit_client):
    enquiry = closed(world.north, world.users["practitioner_north"])
    sample = draw(world.users["unit"])
    url = reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk])
    response = unit_client.post(
        url, form_data(part2_sought="no", part2_sought_note="Not offered", grade="requires_improvement")
    )
    assert response.status_code == 302
    saved = CaseFileAudit.objects.get()
    assert (saved.grade, saved.part2_sought, saved.auditor) == (
        "requires_improvement",
        "no",
        world.users["unit"],
    )
    assert saved.comments.startswith("Clear record")
    page = unit_client.get(reverse("feedback:audit_sample", args=[sample.pk])).content.decode()
    assert "1 of 1 audited" in page and "Requires improvement" in page


def test_audit_form_errors_are_summarised_and_a_partly_needs_a_note(world, unit_client):
    enquiry = closed(world.north)
    sample = draw(world.users["unit"])
    url = reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk])
    page = unit_client.post(url, {"replaces": ""}).content.decode()
    assert "There is a problem" in page
    assert "Select a grade" in page
    assert "Enter comments for the practitioner and their manager" in page
    assert "Select an answer to ‘Was the person involved from the start?’" in page
    page = unit_client.post(url, form_data(involved_from_start="partly")).content.decode()
    assert "Enter a note on involvement from the start: what was missing" in page
    assert not CaseFileAudit.objects.exists()


def test_hints_from_the_record_are_shown_but_no_answer_is_chosen(world, unit_client):
    enquiry = closed(world.north, outcomes_asked="asked_expressed")
    DesiredOutcomeFactory(
        enquiry=enquiry,
        words="To stay at home",
        expressed_on=START,
        created_by=world.users["practitioner_north"],
    )
    sample = draw(world.users["unit"])
    page = unit_client.get(reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk])).content.decode()
    assert "1 desired outcome recorded, 1 said by the person" in page
    assert "Part 2 not recorded" in page
    assert "no conversation with the person is recorded" in page
    assert "checked" not in page


def test_a_revision_keeps_the_earlier_audit_and_a_stale_save_is_refused(world, unit_client):
    enquiry = closed(world.north)
    sample = draw(world.users["unit"])
    first = audit(world.users["unit"], sample, enquiry, grade="good")
    url = reverse("feedback:audit_enquiry", args=[sample.pk, enquiry.pk])
    page = unit_client.get(url)
    assert page.context["form"].initial["grade"] == "good"  # a revision starts from the current audit
    assert unit_client.post(url, form_data(replaces=first.pk, grade="outstanding")).status_code == 302
    # A second page loaded before that revision, saved after it: refused, with the user's answers kept.
    response = unit_client.post(url, form_data(replaces=first.pk, grade="inadequate", comments="Mine"))
    assert response.status_code == 409
    assert "saved an audit of this case file while you were writing yours" in response.content.decode()
    assert "Mine" in response.content.decode()
    # A first-audit page opened before anyone audited it is refused too.
    assert unit_client.post(url, form_data(replaces="", grade="inadequate")).status_code == 409
    versions = list(CaseFileAudit.objects.filter(enquiry=enquiry).order_by("pk"))
    assert [v.grade for v in versions] == ["good", "outstanding"]
    assert versions[1].replaces == versions[0]
    assert [a.grade for a in selectors.current_audits()] == ["outstanding"]
    page = unit_client.get(url).content.decode()
    assert "Earlier versions" in page


# The comments on the enquiry page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, sees",
    [
        ("practitioner_north", True),  # the lead practitioner
        ("manager_north", True),  # the team's manager
        ("unit", True),
        ("other_practitioner_north", False),  # same team, not their case
    ],
)
def test_audit_comments_reach_the_practitioner_and_their_manager(world, client_for, role, sees):
    world.users["other_practitioner_north"] = UserFactory(role="Practitioner", teams=[world.north])
    enquiry = closed(world.north, world.users["practitioner_north"])
    sample = draw(world.users["unit"])
    audit(world.users["unit"], sample, enquiry, comments="Record the person's words verbatim next time.")
    response = client_for(world.users[role]).get(enquiry.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert ("Record the person&#x27;s words verbatim next time." in page) is sees
    assert ("Case-file audit" in page) is sees


@pytest.mark.parametrize("role", ["practitioner_south", "manager_south"])
def test_another_team_does_not_see_the_enquiry_or_its_audit(world, client_for, role):
    enquiry = closed(world.north, world.users["practitioner_north"])
    sample = draw(world.users["unit"])
    audit(world.users["unit"], sample, enquiry)
    assert client_for(world.users[role]).get(enquiry.get_absolute_url()).status_code == 404
    assert selectors.enquiry_audits(user=world.users[role], enquiry=enquiry) is None


# Results ---------------------------------------------------------------------------------------------------


def _results_data(world):
    unit = world.users["unit"]
    north = [closed(world.north) for _ in range(3)]
    south = closed(world.south)
    sample = draw(unit, size=10)
    with time_machine.travel(datetime.datetime(2025, 5, 10, 12, tzinfo=datetime.UTC), tick=False):  # Apr–Jun
        audit(unit, sample, north[0], grade="good")
        audit(
            unit, sample, north[1], grade="inadequate", part2_sought="no", part2_sought_note="x",
            advocate_considered="not_applicable",
        )  # fmt: skip
        audit(unit, sample, south, grade="outstanding")
    with time_machine.travel(datetime.datetime(2025, 8, 10, 12, tzinfo=datetime.UTC), tick=False):  # Jul–Sep
        audit(unit, sample, north[2], grade="good", advocate_considered="not_applicable")
        # A revision replaces the first audit: it counts once, as revised, in the quarter it was completed.
        audit(unit, sample, north[0], grade="requires_improvement", timescales_agreed="partly",
              timescales_agreed_note="y")  # fmt: skip


def test_results_by_team_and_quarter(world):
    _results_data(world)
    rows = selectors.audit_results(scope=scope_for(user=world.users["unit"], start=START, end=END))
    got = [(r.team, r.quarter_label, r.audited, dict(r.grades)) for r in rows]
    assert got == [
        ("North Locality", "Q1 2025–26 (Apr–Jun 2025)", 1,
         {"Outstanding": 0, "Good": 0, "Requires improvement": 0, "Inadequate": 1}),
        ("North Locality", "Q2 2025–26 (Jul–Sep 2025)", 2,
         {"Outstanding": 0, "Good": 1, "Requires improvement": 1, "Inadequate": 0}),
        ("South Locality", "Q1 2025–26 (Apr–Jun 2025)", 1,
         {"Outstanding": 1, "Good": 0, "Requires improvement": 0, "Inadequate": 0}),
        ("All teams shown", "Whole period", 4,
         {"Outstanding": 1, "Good": 1, "Requires improvement": 1, "Inadequate": 1}),
    ]  # fmt: skip
    total = dict(rows[-1].items)
    q = dict(AUDIT_CHECKLIST)
    assert total[q["part2_sought"]] == 75  # 3 of 4
    assert total[q["advocate_considered"]] == 100  # 2 of 2 where it applied
    assert total[q["timescales_agreed"]] == 75
    north_q1 = dict(rows[0].items)
    assert north_q1[q["advocate_considered"]] is None  # applied to none


def test_results_page_shows_managers_their_teams_only(world, client_for):
    _results_data(world)
    url = reverse("reports:audits") + "?start_0=1&start_1=4&start_2=2025&end_0=30&end_1=9&end_2=2025&team="
    page = client_for(world.users["manager_north"]).get(url).content.decode()
    assert "North Locality" in page and "South Locality" not in page
    assert "Q1 2025–26 (Apr–Jun 2025)" in page and "Q2 2025–26 (Jul–Sep 2025)" in page
    unit_page = client_for(world.users["unit"]).get(url).content.decode()
    assert "South Locality" in unit_page and "75%" in unit_page
    assert client_for(world.users["practitioner_north"]).get(url).status_code == 403
    assert (
        "Case-file audits" in client_for(world.users["unit"]).get(reverse("reports:index")).content.decode()
    )


# Query counts ----------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_cost_a_fixed_number_of_queries(world, unit_client):
    unit = world.users["unit"]
    for _ in range(2):
        closed(world.north)
    small = draw(unit, size=2)
    audit(unit, small, Enquiry.objects.filter(status="closed").first())
    few = _queries(unit_client, reverse("feedback:audit_samples"))
    few_items = _queries(unit_client, reverse("feedback:audit_sample", args=[small.pk]))
    report = reverse("reports:audits")
    few_report = _queries(unit_client, report)
    for _ in range(10):
        closed(world.south, world.users["practitioner_south"])
    for seed in range(5):
        draw(unit, size=12, seed=seed)
    big = draw(unit, size=12, seed=99)
    for enquiry in Enquiry.objects.filter(status="closed")[:6]:
        audit(unit, big, enquiry)
    assert _queries(unit_client, reverse("feedback:audit_samples")) == few
    assert _queries(unit_client, reverse("feedback:audit_sample", args=[big.pk])) == few_items
    assert _queries(unit_client, report) == few_report


def test_the_database_refuses_a_second_first_audit_and_a_second_revision_of_one_audit(world):
    # What decides a race between two auditors saving from the same page, whatever the service checked.
    from django.db import IntegrityError, transaction

    enquiry = closed(world.north)
    sample = draw(world.users["unit"])
    first = audit(world.users["unit"], sample, enquiry)
    fields = {"sample": sample, "enquiry": enquiry, "auditor": world.users["unit"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileAuditFactory(**fields)
    CaseFileAuditFactory(**fields, replaces=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFileAuditFactory(**fields, replaces=first)
