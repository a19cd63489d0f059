"""My Safeguarding Experience: the pages over every role × case, the not-approached rules, the follow-up
plan action, the closure problems, concurrency, escaping, the panel's query count and the PDFs."""

import datetime
import subprocess

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry, PlanAction
from enquiries.services.completeness import ClosureProblem
from feedback import selectors, services
from feedback.models import ExperienceFeedbackPart1, ExperienceFeedbackPart2, OrganisationPerspective
from msp_cases.audit.models import AccessEvent
from msp_cases.exports.models import Export
from tests.access_table import CASES, VISIBLE
from tests.feedback.factories_feedback import Part2Factory

pytestmark = pytest.mark.django_db

EDITORS = {"practitioner_north", "practitioner_south", "manager_north", "manager_south"}
MANAGERS = {"manager_north", "manager_south"}
QUESTIONS = [
    "Did you feel listened to?",
    "Did you feel informed?",
    "Do you feel safer?",
    "Are you happy with how your concerns were dealt with?",
]
TODAY = timezone.localdate()


def _date(prefix: str, day: datetime.date = TODAY) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def part1_data(**overrides) -> dict:
    data = {
        "version": "",
        "involvement": ["attend_meetings", "meet_chair_first"],
        "informed_by": ["letter", "easy_read"],
        "who_involved": "My daughter Sam",
        "who_not_told": "My neighbour",
        "communication_support": "Large print",
        "completed_by": "with_support",
        **_date("completed_on"),
    }
    data.update(overrides)
    return data


def answered(**overrides) -> dict:
    data = {
        "version": "",
        "approached": "True",
        "listened": "yes_completely",
        "listened_comment": "They came back when they said",
        "informed": "yes_partly",
        "safer": "yes_completely",
        "concerns_dealt_with": "dont_know",
        "further_work_needed": "False",
        "answered_by": "person",
        "reflections": "It helped to talk",
        **_date("completed_on"),
    }
    data.update(overrides)
    return data


def not_approached(**overrides) -> dict:
    data = {
        "version": "",
        "approached": "False",
        "not_approached_reason": "danger",
        "best_interests_answered": "False",
    }
    data.update(overrides)
    return data


def _url(name, enquiry):
    return reverse(f"feedback:{name}", args=[enquiry.pk])


# Access ----------------------------------------------------------------------------------------------------

EDIT_URLS = {
    "part1_edit": lambda w, role, case: True,
    "part2_edit": lambda w, role, case: True,
    "organisation_perspective": lambda w, role, case: role in MANAGERS,
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_edit_pages_answer_each_role_and_case(world, client_for, role, case):
    client = client_for(world.users[role])
    enquiry = world.cases[case][2]
    wrong = []
    for name, may_open in EDIT_URLS.items():
        url = _url(name, enquiry)
        if case not in VISIBLE[role] or role not in EDITORS:
            expected = 404
        elif not may_open(world, role, case):
            expected = 403
        else:
            expected = 200
        get, post = client.get(url), client.post(url, {})
        if (get.status_code, post.status_code) != (expected, expected):
            wrong.append((name, get.status_code, post.status_code, expected))
        if expected == 404:
            assert world.cases[case][0].family_name.encode() not in get.content + post.content
    assert not wrong, wrong
    # An empty POST is refused with messages, never saved, whoever sends it.
    assert not ExperienceFeedbackPart1.objects.exists()
    assert not ExperienceFeedbackPart2.objects.exists()
    assert not OrganisationPerspective.objects.exists()


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_pdfs_follow_read_access(world, client_for, role, case, django_capture_on_commit_callbacks):
    """Asking for a PDF (a POST: the export task renders it) follows read access; out of scope is 404."""
    client = client_for(world.users[role])
    enquiry = world.cases[case][2]
    for name in ("part1_pdf", "part2_pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_url(name, enquiry))
        if case in VISIBLE[role]:
            assert response.status_code == 302
            export = Export.objects.latest("created_at")
            assert response.url == reverse("exports:detail", args=[export.pk])
            assert export.status == Export.Status.READY
        else:
            assert response.status_code == 404
    if case not in VISIBLE[role]:
        assert not Export.objects.exists()


@pytest.mark.parametrize("name", [*EDIT_URLS, "part1_pdf", "part2_pdf"])
def test_anonymous_users_are_sent_to_sign_in(world, client, name):
    url = _url(name, world.cases["north"][2])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unit_staff_see_the_panel_without_change_links(world, client_for):
    enquiry = world.cases["north"][2]
    Part2Factory(enquiry=enquiry, listened="no", created_by=world.users["manager_north"])
    request = RequestFactory().get("/")
    request.user = world.users["unit"]
    context = selectors.enquiry_panel_context(user=world.users["unit"], enquiry=enquiry)
    html = render_to_string("feedback/_enquiry_panel.html", {"enquiry": enquiry, **context}, request=request)
    assert "Did you feel listened to?" in html
    assert _url("part2_edit", enquiry) not in html
    assert _url("part1_edit", enquiry) not in html
    assert 'value="experience_part2"' in html  # the button that asks for the Part 2 PDF
    context = selectors.enquiry_panel_context(user=world.users["practitioner_north"], enquiry=enquiry)
    html = render_to_string("feedback/_enquiry_panel.html", {"enquiry": enquiry, **context}, request=request)
    assert _url("part2_edit", enquiry) in html
    assert _url("organisation_perspective", enquiry) not in html  # practitioners do not record it
    context = selectors.enquiry_panel_context(user=world.users["manager_north"], enquiry=enquiry)
    html = render_to_string("feedback/_enquiry_panel.html", {"enquiry": enquiry, **context}, request=request)
    assert _url("organisation_perspective", enquiry) in html


def test_panel_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    enquiry = world.cases["north"][2]
    user = world.users["manager_north"]
    with django_assert_max_num_queries(10):
        selectors.enquiry_panel_context(user=user, enquiry=enquiry)


# Part 1 ----------------------------------------------------------------------------------------------------


def test_part1_is_created_then_updated_and_views_are_recorded(world, client_for):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    assert client.get(_url("part1_edit", enquiry)).status_code == 200
    assert AccessEvent.objects.filter(user=world.users["practitioner_north"], action="view").exists()
    response = client.post(_url("part1_edit", enquiry), part1_data())
    assert response.status_code == 302
    part1 = ExperienceFeedbackPart1.objects.get(enquiry=enquiry)
    assert part1.involvement == ["attend_meetings", "meet_chair_first"]
    assert part1.version == 1
    response = client.post(_url("part1_edit", enquiry), part1_data(version="1", who_not_told="My brother"))
    assert response.status_code == 302
    part1.refresh_from_db()
    assert (part1.who_not_told, part1.version) == ("My brother", 2)
    assert part1.history.count() == 2


def test_part1_not_involved_stands_alone_and_bad_dates_are_explained(world, client_for):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    data = part1_data(involvement=["not_involved", "attend_meetings"], completed_on_1="13")
    response = client.post(_url("part1_edit", enquiry), data)
    html = response.content.decode()
    assert "Select ‘Not involved’ on its own" in html
    assert "must be a real date" in html
    assert "My daughter Sam" in html  # nothing typed is lost
    assert not ExperienceFeedbackPart1.objects.exists()


def test_html_is_stored_as_typed_and_shown_escaped(world, client_for):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    text = "<script>alert(1)</script>"
    client.post(_url("part1_edit", enquiry), part1_data(who_not_told=text))
    assert ExperienceFeedbackPart1.objects.get().who_not_told == text
    html = client.get(_url("part1_edit", enquiry)).content.decode()
    assert text not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_over_long_text_is_refused_with_a_clear_message(world, client_for):
    enquiry = world.cases["north"][2]
    response = client_for(world.users["practitioner_north"]).post(
        _url("part1_edit", enquiry), part1_data(who_involved="x" * 2001)
    )
    assert "must be 2,000 characters or fewer" in response.content.decode()


def test_second_edit_from_the_same_version_is_refused(world, client_for):
    enquiry = world.cases["north"][2]
    first = client_for(world.users["practitioner_north"])
    second = client_for(world.users["manager_north"])
    first.post(_url("part1_edit", enquiry), part1_data())
    assert (
        first.post(_url("part1_edit", enquiry), part1_data(version="1", who_involved="Sam only")).status_code
        == 302
    )
    response = second.post(_url("part1_edit", enquiry), part1_data(version="1", who_involved="Nobody"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this record" in html
    assert "Nobody" in html  # their input kept
    assert "Sam only" in html  # and the other person's change is shown
    assert ExperienceFeedbackPart1.objects.get().who_involved == "Sam only"


def test_two_people_creating_part2_at_once_do_not_make_two(world, client_for):
    enquiry = world.cases["north"][2]
    assert (
        client_for(world.users["practitioner_north"])
        .post(_url("part2_edit", enquiry), answered())
        .status_code
        == 302
    )
    response = client_for(world.users["manager_north"]).post(
        _url("part2_edit", enquiry), answered(reflections="Different")
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert ExperienceFeedbackPart2.objects.get().reflections == "It helped to talk"


def test_closed_enquiries_are_not_changed(world, client_for):
    enquiry = world.cases["north"][2]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.CLOSED)
    response = client_for(world.users["practitioner_north"]).post(_url("part1_edit", enquiry), part1_data())
    assert response.status_code == 409
    assert "This enquiry is closed" in response.content.decode()
    assert not ExperienceFeedbackPart1.objects.exists()


# Part 2: the not-approached rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"not_approached_reason": ""}, "Select why the person was not approached"),
        ({"not_approached_reason": "other"}, "Enter the reason the person was not approached"),
        ({"best_interests_answered": ""}, "Select whether someone acting in their best interests answered"),
        ({"best_interests_answered": "True"}, "Enter who answered in their best interests"),
        (
            {"best_interests_answered": "True", "best_interests_who": "Their sister"},
            "Select an answer to ‘Did you feel listened to?’",
        ),
    ],
)
def test_not_approached_needs_its_reason(world, client_for, overrides, message):
    enquiry = world.cases["north"][2]
    response = client_for(world.users["practitioner_north"]).post(
        _url("part2_edit", enquiry), not_approached(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ExperienceFeedbackPart2.objects.exists()


def test_approached_needs_the_four_answers_and_who_answered(world, client_for):
    enquiry = world.cases["north"][2]
    response = client_for(world.users["practitioner_north"]).post(
        _url("part2_edit", enquiry), answered(safer="", answered_by="")
    )
    html = response.content.decode()
    assert "Select an answer to ‘Do you feel safer?’" in html
    assert "Select who answered" in html


def test_answers_need_the_date_part2_was_completed(world, client_for):
    enquiry = world.cases["north"][2]
    data = answered()
    for key in ("completed_on_0", "completed_on_1", "completed_on_2"):
        data.pop(key)
    response = client_for(world.users["practitioner_north"]).post(_url("part2_edit", enquiry), data)
    assert "Enter the date Part 2 was completed" in response.content.decode()
    assert not ExperienceFeedbackPart2.objects.exists()


def test_not_approached_is_decided_by_the_worker_and_agreed_by_a_manager(world, client_for):
    enquiry = world.cases["north"][2]
    practitioner, manager = world.users["practitioner_north"], world.users["manager_north"]
    page = client_for(practitioner).get(_url("part2_edit", enquiry)).content.decode()
    assert "I am the manager and I agree" not in page  # only a manager may agree
    page = client_for(manager).get(_url("part2_edit", enquiry)).content.decode()
    assert "I am the manager and I agree" in page
    client_for(practitioner).post(
        _url("part2_edit", enquiry),
        not_approached(not_approached_reason="other", not_approached_note="In hospital"),
    )
    part2 = ExperienceFeedbackPart2.objects.get()
    assert (part2.decided_by, part2.manager_agreed_by) == (practitioner, None)
    assert services.closure_problems(enquiry) == [
        ClosureProblem(
            "A manager must agree that the person should not be approached for Part 2",
            _url("part2_edit", enquiry),
        )
    ]
    # A practitioner cannot slip the agreement in.
    client_for(practitioner).post(
        _url("part2_edit", enquiry),
        not_approached(
            version="1", not_approached_reason="other", not_approached_note="In hospital", manager_agrees="on"
        ),
    )
    part2.refresh_from_db()
    assert part2.manager_agreed_by is None
    client_for(manager).post(
        _url("part2_edit", enquiry),
        not_approached(
            version="2", not_approached_reason="other", not_approached_note="In hospital", manager_agrees="on"
        ),
    )
    part2.refresh_from_db()
    assert (part2.decided_by, part2.manager_agreed_by) == (practitioner, manager)
    assert services.closure_problems(enquiry) == []
    # Changing the decision withdraws the agreement.
    client_for(practitioner).post(
        _url("part2_edit", enquiry), not_approached(version="3", not_approached_reason="danger")
    )
    part2.refresh_from_db()
    assert part2.manager_agreed_by is None
    assert services.closure_problems(enquiry)


def test_closure_problems_present_then_absent(world, client_for):
    enquiry = world.cases["north"][2]
    problems = services.closure_problems(enquiry)
    assert problems == [
        ClosureProblem(
            "Record My Safeguarding Experience Part 2, or why the person was not approached",
            _url("part2_edit", enquiry),
        )
    ]
    client_for(world.users["practitioner_north"]).post(_url("part2_edit", enquiry), answered())
    assert services.closure_problems(enquiry) == []


def test_further_work_creates_one_follow_up_plan_action(world, client_for):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    data = answered(further_work_needed="True", further_work="Counselling referral")
    assert client.post(_url("part2_edit", enquiry), data).status_code == 302
    action = PlanAction.objects.get(enquiry=enquiry)
    assert "Counselling referral" in action.what
    assert ExperienceFeedbackPart2.objects.get().further_work_action == action
    client.post(_url("part2_edit", enquiry), {**data, "version": "1", "reflections": "More"})
    assert PlanAction.objects.filter(enquiry=enquiry).count() == 1


def test_further_work_needs_saying_what(world, client_for):
    enquiry = world.cases["north"][2]
    response = client_for(world.users["practitioner_north"]).post(
        _url("part2_edit", enquiry), answered(further_work_needed="True")
    )
    assert "Enter the further work needed" in response.content.decode()
    assert not PlanAction.objects.exists()


def test_a_refused_save_adds_no_plan_action(world, client_for):
    enquiry = world.cases["north"][2]
    client_for(world.users["practitioner_north"]).post(_url("part2_edit", enquiry), answered())
    client_for(world.users["practitioner_north"]).post(_url("part2_edit", enquiry), answered(version="1"))
    response = client_for(world.users["manager_north"]).post(
        _url("part2_edit", enquiry), answered(version="1", further_work_needed="True", further_work="Refer")
    )
    assert response.status_code == 409
    assert not PlanAction.objects.exists()


# The organisation's perspective -----------------------------------------------------------------------------


def test_manager_records_the_organisations_perspective(world, client_for):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["manager_north"])
    response = client.post(
        _url("organisation_perspective", enquiry),
        {"version": "", "systems_supported_msp": "partly", "training_needs": "Mental Capacity Act refresher"},
    )
    assert response.status_code == 302
    perspective = OrganisationPerspective.objects.get()
    assert (perspective.recorded_by, perspective.training_needs) == (
        world.users["manager_north"],
        "Mental Capacity Act refresher",
    )
    response = client.post(_url("organisation_perspective", enquiry), {"version": ""})
    assert (
        "Select whether systems and processes supported Making Safeguarding Personal"
        in response.content.decode()
    )


# PDFs ------------------------------------------------------------------------------------------------------


def _pdf_text(path) -> str:
    """The PDF's words with line breaks as spaces (a long question may wrap)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_blank_part2_form_contains_the_four_questions(tmp_path):
    out = tmp_path / "part2.pdf"
    call_command("blank_form_pdf", "part2", str(out))
    text = _pdf_text(out)
    for question in QUESTIONS:
        assert question in text
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 1 of" in text


def test_blank_part1_form_asks_how_they_want_to_be_involved(tmp_path):
    out = tmp_path / "part1.pdf"
    call_command("blank_form_pdf", "part1", str(out))
    text = _pdf_text(out)
    assert "How do you want to be involved?" in text
    assert "OFFICIAL-SENSITIVE" in text


def test_filled_part2_pdf_shows_the_answers_and_is_recorded(
    world, client_for, tmp_path, django_capture_on_commit_callbacks
):
    enquiry = world.cases["north"][2]
    client = client_for(world.users["practitioner_north"])
    client.post(_url("part2_edit", enquiry), answered())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("part2_pdf", enquiry))
    export = Export.objects.get()
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="enquiry-{enquiry.pk}-experience-part-2.pdf"'
    )
    out = tmp_path / "filled.pdf"
    out.write_bytes(b"".join(response.streaming_content))
    text = _pdf_text(out)
    assert "Did you feel listened to?" in text
    assert "Yes, completely" in text
    assert "They came back when they said" in text
    assert "OFFICIAL-SENSITIVE" in text
    assert f"Generated by {world.users['practitioner_north'].full_name}" in text
    assert AccessEvent.objects.filter(action=AccessEvent.Action.DOWNLOAD, person=enquiry.person).exists()
