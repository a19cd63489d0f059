"""Desired outcomes: the person's words kept verbatim, revisions that keep the earlier words, withdrawal,
achievement at closure, SG4a consistency, the closure problems, the service-response warning, access and
concurrency."""

import datetime
import html

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.models.choices import OutcomesAsked
from msp_cases.audit.models import AccessEvent
from outcomes import services
from outcomes.models import DesiredOutcome, DesiredOutcomeRevision
from outcomes.selectors import enquiry_panel_context
from tests.access_table import CASES, VISIBLE
from tests.enquiries.factories_conversations import ConversationLogFactory
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory, DesiredOutcomeRevisionFactory

pytestmark = pytest.mark.django_db

EDITORS = {"practitioner_north", "practitioner_south", "manager_north", "manager_south"}
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def add_post(**overrides):
    data = {"words": "I want to feel safe when I go to the shops", "expressed_by": "person"}
    data.update(date_fields("expressed_on", YESTERDAY))
    data.update(overrides)
    return data


def make_outcome(enquiry, **kwargs):
    return DesiredOutcomeFactory(
        enquiry=enquiry, **{"words": "I want to see my grandson again", "expressed_on": YESTERDAY, **kwargs}
    )


def set_status(enquiry, status, **extra):
    Enquiry.objects.filter(pk=enquiry.pk).update(status=status, **extra)
    enquiry.refresh_from_db()
    return enquiry


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def north(world):
    return set_status(world.cases["north"][2], Enquiry.Status.IN_PROGRESS)


@pytest.fixture
def pn(world, client_for):
    return client_for(world.users["practitioner_north"])


# Adding ----------------------------------------------------------------------------------------------------


def test_add_keeps_the_words_verbatim_and_shows_them_on_the_enquiry_page(north, pn):
    words = "  I want my <b>daughter</b> to stop taking my pension & leave me be  "
    response = pn.post(reverse("outcomes:outcome_add", args=[north.pk]), add_post(words=words, priority="1"))
    assert response.status_code == 302
    outcome = DesiredOutcome.objects.get(enquiry=north)
    assert outcome.words == words.strip()
    assert outcome.priority == 1
    detail = pn.get(reverse("outcomes:outcome_detail", args=[outcome.pk]))
    assert b"&lt;b&gt;daughter&lt;/b&gt;" in detail.content
    assert b"<b>daughter</b>" not in detail.content
    assert AccessEvent.objects.filter(object_id=outcome.pk, action=AccessEvent.Action.CREATE).exists()
    assert AccessEvent.objects.filter(object_id=outcome.pk, action=AccessEvent.Action.VIEW).exists()


def test_add_form_offers_the_seed_examples_as_prompts_not_a_list_to_pick(north, pn):
    page = text(pn.get(reverse("outcomes:outcome_add", args=[north.pk])))
    assert "govuk-details" in page
    assert "to be and to feel safer" in page
    assert "to maintain a key relationship" in page
    assert 'type="radio" name="words"' not in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"words": ""}, "Enter what the person wants to happen, in their own words"),
        ({"words": "x" * 2001}, "must be 2,000 characters or fewer"),
        ({"expressed_by": ""}, "Select who said it"),
        (
            {"expressed_on_0": "30", "expressed_on_1": "2", "expressed_on_2": "2026"},
            "The date they said it must be a real date",
        ),
        (
            date_fields("expressed_on", timezone.localdate() + datetime.timedelta(days=3)),
            "The date they said it must be today or in the past",
        ),
        ({"priority": "first"}, "The priority must be a whole number, like 1"),
    ],
)
def test_add_refuses_bad_input_and_keeps_what_was_typed(north, pn, overrides, message):
    data = add_post(practitioner_note="Met at the day centre", **overrides)
    response = pn.post(reverse("outcomes:outcome_add", args=[north.pk]), data)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert "Met at the day centre" in page
    assert not DesiredOutcome.objects.exists()


def test_conversation_must_belong_to_the_same_enquiry(world, north, pn):
    other = ConversationLogFactory(enquiry=world.cases["south_allocated_to_north"][2])
    mine = ConversationLogFactory(enquiry=north)
    url = reverse("outcomes:outcome_add", args=[north.pk])
    response = pn.post(url, add_post(conversation=other.pk))
    assert "Select a conversation from this enquiry" in text(response)
    assert pn.post(url, add_post(conversation=mine.pk)).status_code == 302
    assert DesiredOutcome.objects.get().conversation == mine


# The service-response warning ------------------------------------------------------------------------------


def test_increased_monitoring_warns_but_saves_once_confirmed(north, pn):
    url = reverse("outcomes:outcome_add", args=[north.pk])
    words = "Increased monitoring by the care agency"
    first = pn.post(url, add_post(words=words))
    assert first.status_code == 200
    page = text(first)
    assert "This sounds like a conclusion or a service response" in page
    assert "govuk-warning-text" in page
    assert "I’ve checked – these are the person’s words" in page
    assert words in page  # nothing typed is lost
    assert not DesiredOutcome.objects.exists()
    second = pn.post(url, add_post(words=words, confirmed="on"))
    assert second.status_code == 302
    assert DesiredOutcome.objects.get().words == words


@pytest.mark.parametrize(
    "words, warns",
    [
        ("The abuse is substantiated", True),
        ("unsubstantiated", True),
        ("More care at home", True),
        ("A bigger care package", True),
        ("I want to feel safe", False),
        ("To stay friends with Sam", False),
    ],
)
def test_warning_words(words, warns):
    assert services.looks_like_service_response(words) is warns


# Revisions and withdrawal ----------------------------------------------------------------------------------


def test_revision_keeps_earlier_words_and_date_and_shows_them(world, north, pn):
    outcome = make_outcome(north, words="I want to go home", expressed_on=datetime.date(2026, 1, 5))
    url = reverse("outcomes:outcome_revise", args=[outcome.pk])
    data = {"version": outcome.version, "words": "I want to go home by Christmas", "expressed_by": "advocate"}
    data.update(date_fields("expressed_on", YESTERDAY))
    data["reason"] = "Said again at the review"
    assert pn.post(url, data).status_code == 302
    outcome.refresh_from_db()
    assert outcome.words == "I want to go home by Christmas"
    assert outcome.expressed_by == "advocate"
    assert outcome.version == 2
    revision = DesiredOutcomeRevision.objects.get(outcome=outcome)
    assert revision.previous_words == "I want to go home"
    assert revision.previous_expressed_on == datetime.date(2026, 1, 5)
    assert revision.previous_expressed_by == "person"
    assert revision.revised_by == world.users["practitioner_north"]
    detail = text(pn.get(reverse("outcomes:outcome_detail", args=[outcome.pk])))
    assert "I want to go home" in detail and "5 January 2026" in detail
    assert "Said again at the review" in detail
    panel = render_panel(world.users["practitioner_north"], north)
    assert "Revised on" in panel and "earlier: ‘I want to go home’" in panel


@pytest.mark.parametrize("name", ["outcome_revise", "outcome_withdraw", "outcome_achievement"])
def test_versioned_pages_send_the_version_they_were_loaded_at(world, north, pn, name):
    """The forms' layouts render only the fields they name: without the hidden version every save came back
    as "There is a problem" with nothing listed (found by the browser journey to closure)."""
    set_status(north, Enquiry.Status.IN_PROGRESS)
    outcome = make_outcome(north)
    page = pn.get(reverse(f"outcomes:{name}", args=[outcome.pk])).content.decode()
    assert f'name="version" value="{outcome.version}"' in page


def test_withdraw_keeps_the_outcome_with_its_reason(world, north, pn):
    outcome = make_outcome(north)
    url = reverse("outcomes:outcome_withdraw", args=[outcome.pk])
    missing = pn.post(url, {"version": outcome.version, "reason": ""})
    assert "Enter why it is being withdrawn" in text(missing)
    assert pn.post(url, {"version": outcome.version, "reason": "She has moved"}).status_code == 302
    outcome.refresh_from_db()
    assert outcome.status == DesiredOutcome.Status.WITHDRAWN
    assert outcome.withdrawn_reason == "She has moved"
    assert outcome.withdrawn_on == timezone.localdate()
    panel = render_panel(world.users["practitioner_north"], north)
    assert outcome.words not in panel
    assert "1 withdrawn outcome kept on the record" in panel
    # A withdrawn outcome cannot be changed again
    again = pn.post(url, {"version": outcome.version, "reason": "again"})
    assert again.status_code == 409


# Achievement -----------------------------------------------------------------------------------------------


def achievement_post(outcome, **overrides):
    data = {"version": outcome.version, "achievement": "partially", "person_comment": "Better than before"}
    data.update(overrides)
    return data


def test_achievement_is_recorded_as_the_person_sees_it(world, north, pn):
    outcome = make_outcome(north)
    url = reverse("outcomes:outcome_achievement", args=[outcome.pk])
    assert "Fully Achieved" in text(pn.get(url))
    assert pn.post(url, achievement_post(outcome)).status_code == 302
    outcome.refresh_from_db()
    assert outcome.achievement == "partially"
    assert outcome.achievement_recorded_by == world.users["practitioner_north"]
    assert "Partially Achieved" in render_panel(world.users["practitioner_north"], north)


def test_practitioner_comment_required_when_their_view_differs(north, pn):
    outcome = make_outcome(north)
    url = reverse("outcomes:outcome_achievement", args=[outcome.pk])
    response = pn.post(url, achievement_post(outcome, practitioner_view="not"))
    assert response.status_code == 200
    assert "Explain why your view differs from the person’s" in text(response)
    assert pn.post(url, achievement_post(outcome, practitioner_view="partially")).status_code == 302
    outcome.refresh_from_db()
    assert (outcome.achievement, outcome.practitioner_view) == ("partially", "partially")
    assert (
        pn.post(
            url,
            achievement_post(
                outcome, practitioner_view="not", practitioner_comment="Contact has not resumed"
            ),
        ).status_code
        == 302
    )
    outcome.refresh_from_db()
    assert outcome.practitioner_view == "not"


def test_achievement_missing_choice(north, pn):
    outcome = make_outcome(north)
    response = pn.post(
        reverse("outcomes:outcome_achievement", args=[outcome.pk]), achievement_post(outcome, achievement="")
    )
    assert "Select how far the person feels the outcome was achieved" in text(response)


@pytest.mark.parametrize("status", [Enquiry.Status.OPEN, Enquiry.Status.CLOSED])
def test_achievement_only_while_in_progress_or_proposed(world, pn, status):
    enquiry = set_status(world.cases["north"][2], status)
    outcome = make_outcome(enquiry)
    url = reverse("outcomes:outcome_achievement", args=[outcome.pk])
    assert pn.post(url, achievement_post(outcome)).status_code == 409
    outcome.refresh_from_db()
    assert outcome.achievement == ""


def test_achievement_allowed_when_proposed_for_closure(world, pn):
    enquiry = set_status(world.cases["north"][2], Enquiry.Status.PROPOSED_FOR_CLOSURE)
    outcome = make_outcome(enquiry)
    url = reverse("outcomes:outcome_achievement", args=[outcome.pk])
    response = pn.post(url, achievement_post(outcome, achievement="fully"))
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.achievement, outcome.person_comment) == ("fully", "Better than before")
    assert outcome.achievement_recorded_by == world.users["practitioner_north"]
    assert outcome.achievement_recorded_at is not None
    assert "Fully Achieved" in render_panel(world.users["practitioner_north"], enquiry)


# SG4a consistency and closure problems ---------------------------------------------------------------------


@pytest.mark.parametrize("asked", [OutcomesAsked.NO, OutcomesAsked.DONT_KNOW, OutcomesAsked.NOT_RECORDED])
def test_recording_an_outcome_means_the_person_was_asked(world, pn, asked):
    enquiry = set_status(world.cases["north"][2], Enquiry.Status.IN_PROGRESS, outcomes_asked=asked)
    version = enquiry.version
    response = pn.post(reverse("outcomes:outcome_add", args=[enquiry.pk]), add_post(), follow=True)
    assert "the person was asked and outcomes were expressed" in text(response)
    enquiry.refresh_from_db()
    assert enquiry.outcomes_asked == OutcomesAsked.ASKED_EXPRESSED
    assert enquiry.outcomes_asked_on == YESTERDAY
    assert enquiry.version == version + 1


def test_asked_and_expressed_stays_as_it_is(world, pn):
    enquiry = set_status(
        world.cases["north"][2], Enquiry.Status.IN_PROGRESS, outcomes_asked=OutcomesAsked.ASKED_EXPRESSED
    )
    version = enquiry.version
    pn.post(reverse("outcomes:outcome_add", args=[enquiry.pk]), add_post())
    enquiry.refresh_from_db()
    assert enquiry.version == version


def _messages(enquiry):
    return [p.message for p in services.closure_problems(enquiry)]


def test_closure_problems_asked_and_expressed_needs_an_outcome(world):
    enquiry = set_status(
        world.cases["north"][2], Enquiry.Status.IN_PROGRESS, outcomes_asked="asked_expressed"
    )
    problems = services.closure_problems(enquiry)
    assert len(problems) == 1
    assert "Record the person’s desired outcomes" in problems[0].message
    assert problems[0].url == reverse("outcomes:outcome_add", args=[enquiry.pk])
    outcome = make_outcome(enquiry, achievement="fully")
    assert services.closure_problems(enquiry) == []
    # A withdrawn outcome does not count as expressed
    DesiredOutcome.objects.filter(pk=outcome.pk).update(status="withdrawn", withdrawn_reason="moved")
    assert len(services.closure_problems(enquiry)) == 1


def test_closure_problems_none_expressed_but_outcomes_recorded(world):
    enquiry = set_status(world.cases["north"][2], Enquiry.Status.IN_PROGRESS, outcomes_asked="asked_none")
    assert services.closure_problems(enquiry) == []
    make_outcome(enquiry, achievement="not")
    [problem] = services.closure_problems(enquiry)
    assert "none were expressed, but 1 is recorded" in problem.message
    assert problem.url == reverse("enquiries:enquiry_edit_details", args=[enquiry.pk])


def test_closure_problems_each_outcome_needs_its_achievement(world):
    enquiry = set_status(
        world.cases["north"][2], Enquiry.Status.IN_PROGRESS, outcomes_asked="asked_expressed"
    )
    first = make_outcome(enquiry, words="To feel safe")
    second = make_outcome(enquiry, words="To keep seeing my friend")
    make_outcome(enquiry, words="Withdrawn one", status="withdrawn", withdrawn_reason="No longer wanted")
    problems = services.closure_problems(enquiry)
    assert [p.url for p in problems] == [
        reverse("outcomes:outcome_achievement", args=[first.pk]),
        reverse("outcomes:outcome_achievement", args=[second.pk]),
    ]
    assert "“To feel safe”" in problems[0].message
    DesiredOutcome.objects.filter(pk=first.pk).update(achievement="fully")
    assert [p.url for p in services.closure_problems(enquiry)] == [
        reverse("outcomes:outcome_achievement", args=[second.pk])
    ]
    DesiredOutcome.objects.filter(pk=second.pk).update(achievement="not")
    assert services.closure_problems(enquiry) == []


def test_closure_problems_not_asked_but_outcomes_recorded(world):
    enquiry = set_status(world.cases["north"][2], Enquiry.Status.IN_PROGRESS, outcomes_asked="no")
    make_outcome(enquiry, achievement="fully")
    [problem] = services.closure_problems(enquiry)
    assert "so they were asked" in problem.message
    assert problem.url == reverse("enquiries:enquiry_edit_details", args=[enquiry.pk])


def test_closure_problems_cost_one_query(world, django_assert_num_queries):
    enquiry = set_status(
        world.cases["north"][2], Enquiry.Status.IN_PROGRESS, outcomes_asked="asked_expressed"
    )
    for i in range(5):
        make_outcome(enquiry, words=f"Outcome {i}")
    with django_assert_num_queries(1):
        assert len(services.closure_problems(enquiry)) == 5


# Concurrency -----------------------------------------------------------------------------------------------


def test_two_revisions_from_the_same_version_second_is_refused(world, north, client_for):
    outcome = make_outcome(north)
    url = reverse("outcomes:outcome_revise", args=[outcome.pk])
    base = {"version": outcome.version, "expressed_by": "person", **date_fields("expressed_on", YESTERDAY)}
    first = client_for(world.users["practitioner_north"]).post(url, {**base, "words": "First new words"})
    assert first.status_code == 302
    second = client_for(world.users["manager_north"]).post(url, {**base, "words": "Second new words"})
    assert second.status_code == 409
    page = text(second)
    assert "Someone else changed this record" in page
    assert "Second new words" in page  # this user's input kept
    assert "First new words" in page  # the other person's change shown
    assert "Who said it" not in page.split("Someone else changed this record")[1].split("</dl>")[0]
    outcome.refresh_from_db()
    assert outcome.words == "First new words"
    assert DesiredOutcomeRevision.objects.filter(outcome=outcome).count() == 1


def test_two_achievements_from_the_same_version_second_is_refused(world, north, client_for):
    outcome = make_outcome(north)
    url = reverse("outcomes:outcome_achievement", args=[outcome.pk])
    first = client_for(world.users["practitioner_north"]).post(
        url, achievement_post(outcome, achievement="fully")
    )
    assert first.status_code == 302
    second = client_for(world.users["manager_north"]).post(url, achievement_post(outcome, achievement="not"))
    assert second.status_code == 409
    assert "Someone else changed this record" in text(second)
    outcome.refresh_from_db()
    assert outcome.achievement == "fully"


# The enquiry panel -----------------------------------------------------------------------------------------


def render_panel(user, enquiry):
    request = RequestFactory().get("/")
    request.user = user
    return html.unescape(
        render_to_string(
            "outcomes/_enquiry_panel.html", enquiry_panel_context(user=user, enquiry=enquiry), request
        )
    )


def test_panel_shows_words_escaped_priority_and_links_for_editors(world, north):
    make_outcome(north, words="<script>alert(1)</script> stay with Mum", priority=1)
    user = world.users["practitioner_north"]
    raw = render_to_string(
        "outcomes/_enquiry_panel.html",
        enquiry_panel_context(user=user, enquiry=north),
        RequestFactory().get("/"),
    )
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt; stay with Mum" in raw
    panel = render_panel(user, north)
    assert "What I want to happen" in panel
    assert "Priority 1" in panel
    assert "Add what the person wants to happen" in panel
    assert "Change the words" in panel
    assert "Record how far it was achieved" in panel


def test_panel_has_no_edit_links_for_unit_staff(world, north):
    make_outcome(north)
    panel = render_panel(world.users["unit"], north)
    assert "I want to see my grandson again" in panel
    assert "Add what the person wants to happen" not in panel
    assert "Change the words" not in panel
    assert "Record how far it was achieved" not in panel


def test_panel_has_no_achievement_link_while_open(world):
    enquiry = world.cases["north"][2]
    make_outcome(enquiry)
    panel = render_panel(world.users["practitioner_north"], enquiry)
    assert "Change the words" in panel
    assert "Record how far it was achieved" not in panel


def _panel_queries(user, enquiry):
    with CaptureQueriesContext(connection) as ctx:
        render_panel(user, enquiry)
    return len(ctx)


def test_panel_costs_a_fixed_number_of_queries(world, north):
    user = world.users["practitioner_north"]
    outcome = make_outcome(north)
    DesiredOutcomeRevisionFactory(outcome=outcome, previous_words="a", revised_by=user)
    user = type(user).objects.get(pk=user.pk)
    small = _panel_queries(user, north)
    for i in range(6):
        o = make_outcome(north, words=f"Outcome {i}", achievement="fully")
        DesiredOutcomeRevisionFactory(outcome=o, previous_words="b", revised_by=user)
    user = type(user).objects.get(pk=user.pk)
    assert _panel_queries(user, north) == small
    # 6: the access rule reads the user's teams once (then kept on the user, as Django keeps permissions).
    assert small <= 6


# Access ----------------------------------------------------------------------------------------------------


@pytest.fixture
def outcome_world(world):
    for case in CASES:
        enquiry = set_status(world.cases[case][2], Enquiry.Status.IN_PROGRESS)
        make_outcome(enquiry, words=f"Words for {case}")
    return world


def _snapshot():
    return list(
        DesiredOutcome.objects.order_by("pk").values_list("pk", "version", "words", "status", "achievement")
    ), DesiredOutcomeRevision.objects.count()


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_outcome_pages_answer_each_role_and_case(outcome_world, client_for, role, case):
    world = outcome_world
    client = client_for(world.users[role])
    enquiry = world.cases[case][2]
    outcome = DesiredOutcome.objects.get(enquiry=enquiry)
    visible = case in VISIBLE[role]
    editor = visible and role in EDITORS
    before = _snapshot()
    detail = client.get(reverse("outcomes:outcome_detail", args=[outcome.pk]))
    assert detail.status_code == (200 if visible else 404)
    if visible:
        page = text(detail)
        assert f"Words for {case}" in page
        assert ("Change the words" in page) is editor
    else:
        assert world.cases[case][0].family_name not in text(detail)
    edit_urls = [
        reverse("outcomes:outcome_add", args=[enquiry.pk]),
        reverse("outcomes:outcome_revise", args=[outcome.pk]),
        reverse("outcomes:outcome_withdraw", args=[outcome.pk]),
        reverse("outcomes:outcome_achievement", args=[outcome.pk]),
    ]
    for url in edit_urls:
        assert client.get(url).status_code == (200 if editor else 404), url
        assert client.post(url, {}).status_code == (200 if editor else 404), url
    assert _snapshot() == before


def test_anonymous_users_are_sent_to_sign_in(outcome_world, client):
    outcome = DesiredOutcome.objects.first()
    for url in [
        reverse("outcomes:outcome_add", args=[outcome.enquiry_id]),
        reverse("outcomes:outcome_detail", args=[outcome.pk]),
        reverse("outcomes:outcome_revise", args=[outcome.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_closed_enquiry_refuses_new_outcomes(world, pn):
    enquiry = set_status(world.cases["north"][2], Enquiry.Status.CLOSED)
    response = pn.post(reverse("outcomes:outcome_add", args=[enquiry.pk]), add_post())
    assert response.status_code == 409
    assert "This enquiry is closed" in text(response)
    assert not DesiredOutcome.objects.exists()
