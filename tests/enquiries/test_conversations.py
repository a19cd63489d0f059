"""The conversation log: recording an entry, what is refused, and who may do it (role × case)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import ConversationLog, DecisionMadeBy, Enquiry, SafeguardingConcern
from msp_cases.audit.models import AccessEvent
from tests.access_table import CASES, VISIBLE

from .factories_conversations import ConversationLogFactory, conversation_post

pytestmark = pytest.mark.django_db

EDITORS = {"practitioner_north", "practitioner_south", "manager_north", "manager_south"}
ADD_URLS = {"enquiries:conversation_add_enquiry": 2, "enquiries:conversation_add_concern": 1}


@pytest.fixture
def cases(world):
    """The standard world, with every concern received and enquiry opened ten days ago."""
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    SafeguardingConcern.objects.update(received_at=ten_days_ago)
    Enquiry.objects.update(opened_at=ten_days_ago + datetime.timedelta(hours=1))
    return world


def _add_url(world, case: str, url_name: str = "enquiries:conversation_add_enquiry") -> str:
    return reverse(url_name, args=[world.cases[case][ADD_URLS[url_name]].pk])


def _practitioner(world, client_for):
    return client_for(world.users["practitioner_north"])


# ---- Access: role × case, GET and POST ---------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("url_name", sorted(ADD_URLS))
def test_adding_a_conversation_is_open_only_to_those_who_may_edit_the_case(
    cases, client_for, role, case, url_name
):
    client = client_for(cases.users[role])
    url = _add_url(cases, case, url_name)
    may_add = case in VISIBLE[role] and role in EDITORS

    page = client.get(url)
    assert page.status_code == (200 if may_add else 404)
    if may_add:
        assert b"Record a conversation" in page.content
    else:
        assert cases.cases[case][0].family_name.encode() not in page.content

    response = client.post(url, conversation_post())
    if may_add:
        assert response.status_code == 302
        log = ConversationLog.objects.get()
        assert response["Location"] == reverse("enquiries:conversation_detail", args=[log.pk])
        assert log.person == cases.cases[case][0]
        assert log.recorded_by == cases.users[role]
    else:
        assert response.status_code == 404
        assert not ConversationLog.objects.exists()


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("case", CASES)
def test_a_conversation_is_seen_with_its_case_and_amended_only_by_editors(cases, client_for, role, case):
    enquiry = cases.cases[case][2]
    log = ConversationLogFactory(enquiry=enquiry, recorded_by=cases.users["manager_north"])
    client = client_for(cases.users[role])
    visible = case in VISIBLE[role]
    may_amend = visible and role in EDITORS

    detail = client.get(reverse("enquiries:conversation_detail", args=[log.pk]))
    assert detail.status_code == (200 if visible else 404)
    if visible:
        assert "I want to stay in my own home." in detail.content.decode()
        assert (b"Amend this conversation" in detail.content) is may_amend

    amend_url = reverse("enquiries:conversation_amend", args=[log.pk])
    assert client.get(amend_url).status_code == (200 if may_amend else 404)
    response = client.post(amend_url, conversation_post(amendment_reason="Wrong day", based_on=str(log.pk)))
    assert response.status_code == (302 if may_amend else 404)
    assert ConversationLog.objects.filter(amends=log).exists() is may_amend


@pytest.mark.parametrize(
    "url_name",
    [
        "enquiries:conversation_add_enquiry",
        "enquiries:conversation_add_concern",
        "enquiries:conversation_detail",
        "enquiries:conversation_amend",
    ],
)
def test_anonymous_users_are_sent_to_sign_in(cases, client, url_name):
    log = ConversationLogFactory(enquiry=cases.cases["north"][2])
    pk = {
        "enquiries:conversation_add_enquiry": cases.cases["north"][2].pk,
        "enquiries:conversation_add_concern": cases.cases["north"][1].pk,
    }.get(url_name, log.pk)
    for response in (client.get(reverse(url_name, args=[pk])), client.post(reverse(url_name, args=[pk]), {})):
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    assert ConversationLog.objects.count() == 1


def test_posting_to_another_teams_enquiry_finds_nothing_and_records_nothing(cases, client_for):
    response = client_for(cases.users["practitioner_south"]).post(
        _add_url(cases, "north"), conversation_post()
    )
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert not ConversationLog.objects.exists()


# ---- Recording ---------------------------------------------------------------------------------------------


def test_a_recorded_conversation_keeps_the_persons_words_and_who_was_there(cases, client_for):
    client = _practitioner(cases, client_for)
    data = conversation_post(
        with_whom=["with_person", "with_advocate"],
        others_present="Sam Patel, Care Act advocate",
        decisions="Margaret will open her own bank account",
        decision_made_by=DecisionMadeBy.PERSON,
        next_contact_on=timezone.localdate() + datetime.timedelta(days=7),
        next_contact_how="Phone after 4pm, no voicemail",
        reflection="Was I being risk averse about the son?",
    )
    response = client.post(_add_url(cases, "north"), data, follow=True)
    assert b"Conversation recorded" in response.content
    log = ConversationLog.objects.get()
    assert (log.with_person, log.with_advocate, log.with_family) == (True, True, False)
    assert log.what_matters == "\u201cI want to see my grandchildren.\u201d"
    assert log.enquiry == cases.cases["north"][2] and log.concern is None
    local = timezone.localtime(log.occurred_at)
    assert (local.date(), local.hour, local.minute) == (
        timezone.localdate() - datetime.timedelta(days=1),
        10,
        30,
    )
    assert log.next_contact_on == timezone.localdate() + datetime.timedelta(days=7)
    assert (log.check_involve, log.check_choice, log.check_safety) == (True, True, False)
    page = response.content.decode()
    assert "I want to see my grandchildren." in page
    assert "The person, their advocate" in page
    assert "Phone after 4pm, no voicemail" in page
    assert AccessEvent.objects.filter(
        action=AccessEvent.Action.CREATE, object_id=log.pk, user=cases.users["practitioner_north"]
    ).exists()


def test_a_conversation_on_a_concern_belongs_to_the_concern(cases, client_for):
    url = _add_url(cases, "north", "enquiries:conversation_add_concern")
    response = _practitioner(cases, client_for).post(url, conversation_post())
    assert response.status_code == 302
    log = ConversationLog.objects.get()
    assert log.concern == cases.cases["north"][1] and log.enquiry is None


def _refused(client, url, data, *messages):
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    for message in messages:
        assert message.replace("'", "&#x27;") in page, message
    assert not ConversationLog.objects.exists()
    return page


def test_a_conversation_in_the_future_is_refused_and_what_was_typed_is_kept(cases, client_for):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = _refused(
        _practitioner(cases, client_for),
        _add_url(cases, "north"),
        conversation_post(occurred_on=tomorrow, occurred_time="", method=None),
        # every problem at once, not one round at a time
        "The date of the conversation must be today or in the past",
        "Enter the time of the conversation",
        "Select how the conversation happened",
    )
    assert "I want to see my grandchildren." in page
    assert "<title>Error: Record a conversation" in page


def test_a_time_later_today_is_refused(cases, client_for, time_machine):
    # Midday tomorrow: half an hour later is still today whenever the suite runs, even near midnight.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    time_machine.move_to(timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(12, 0))))
    later = timezone.localtime() + datetime.timedelta(minutes=30)
    _refused(
        _practitioner(cases, client_for),
        _add_url(cases, "north"),
        conversation_post(occurred_on=later.date(), occurred_time=f"{later:%H:%M}"),
        "The time of the conversation must be in the past",
    )


def test_a_conversation_before_the_concern_was_received_is_refused(cases, client_for):
    long_ago = timezone.localdate() - datetime.timedelta(days=30)
    _refused(
        _practitioner(cases, client_for),
        _add_url(cases, "north", "enquiries:conversation_add_concern"),
        conversation_post(occurred_on=long_ago),
        "The date of the conversation must be on or after the date the concern was received",
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"with_whom": None}, "Select who the conversation was with"),
        ({"method": None}, "Select how the conversation happened"),
        ({"decision_made_by": None}, "Select who made the decisions"),
        (
            {"occurred_on_0": "", "occurred_on_1": "", "occurred_on_2": ""},
            "Enter the date of the conversation",
        ),
        ({"occurred_on_0": "31", "occurred_on_1": "2"}, "The date of the conversation must be a real date"),
        ({"occurred_on_1": ""}, "The date of the conversation must include a month"),
        ({"occurred_time": ""}, "Enter the time of the conversation"),
        ({"occurred_time": "25:70"}, "Enter the time of the conversation, for example 14:30"),
        ({"what_matters": ""}, "Write down what matters to the person, in their words"),
        ({"decision_made_by": DecisionMadeBy.JOINTLY}, "Enter the decisions made"),
        (
            {"what_matters": "x" * 10_001},
            "What matters to the person, in their words must be 10,000 characters",
        ),
        ({"location": "x" * 201}, "Where did it happen? must be 200 characters or fewer"),
        ({"next_contact_how": "Phone"}, "Enter the date of the next contact"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_message(cases, client_for, overrides, message):
    _refused(
        _practitioner(cases, client_for), _add_url(cases, "north"), conversation_post(**overrides), message
    )


def test_a_decision_against_the_persons_wishes_needs_all_three_reasons(cases, client_for):
    client = _practitioner(cases, client_for)
    data = conversation_post(decisions="Police informed", decision_made_by=DecisionMadeBy.AGAINST_WISHES)
    _refused(
        client,
        _add_url(cases, "north"),
        data,
        "Enter why the decision went against the person's wishes",
        "Enter who else was at risk",
        "Enter why this was the least restrictive option",
    )
    data.update(
        against_wishes_reason="Her grandson is also at risk",
        others_at_risk="Her grandson, aged 9",
        least_restrictive_reason="Police welfare check rather than removal",
    )
    response = client.post(_add_url(cases, "north"), data, follow=True)
    assert b"Conversation recorded" in response.content
    assert "Her grandson, aged 9" in response.content.decode()
    assert ConversationLog.objects.get().decision_made_by == DecisionMadeBy.AGAINST_WISHES


def test_reasons_typed_for_another_kind_of_decision_are_not_kept(cases, client_for):
    data = conversation_post(
        decisions="Stay at home", decision_made_by=DecisionMadeBy.PERSON, others_at_risk="Left over text"
    )
    _practitioner(cases, client_for).post(_add_url(cases, "north"), data)
    assert ConversationLog.objects.get().others_at_risk == ""


def test_next_contact_must_be_today_or_later(cases, client_for):
    client = _practitioner(cases, client_for)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    _refused(
        client,
        _add_url(cases, "north"),
        conversation_post(next_contact_on=yesterday),
        "The date of the next contact must be today or in the future",
    )
    response = client.post(_add_url(cases, "north"), conversation_post(next_contact_on=timezone.localdate()))
    assert response.status_code == 302


def test_html_is_stored_as_typed_and_shown_escaped(cases, client_for):
    typed = '<script>alert("x")</script> "I said <b>no</b>"'
    client = _practitioner(cases, client_for)
    client.post(_add_url(cases, "north"), conversation_post(what_matters=typed, location="<i>home</i>"))
    log = ConversationLog.objects.get()
    assert log.what_matters == typed
    assert log.location == "<i>home</i>"
    page = client.get(reverse("enquiries:conversation_detail", args=[log.pk])).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;i&gt;home&lt;/i&gt;" in page


def test_no_conversation_can_be_added_to_a_closed_enquiry(cases, client_for):
    enquiry = cases.cases["north"][2]
    Enquiry.objects.filter(pk=enquiry.pk).update(status=Enquiry.Status.CLOSED, closed_at=timezone.now())
    client = _practitioner(cases, client_for)
    page = client.get(_add_url(cases, "north"))
    assert page.status_code == 200
    assert b"Reopen it to record or correct a conversation" in page.content
    response = client.post(_add_url(cases, "north"), conversation_post())
    assert response.status_code == 409
    assert not ConversationLog.objects.exists()


def test_the_form_shows_the_hints_the_practitioner_needs(cases, client_for):
    page = _practitioner(cases, client_for).get(_add_url(cases, "north")).content.decode()
    assert "Write down what they said, in their words. Use quotation marks for direct quotes." in page
    assert "Am I being overly protective? Avoiding a conversation? Being risk averse?" in page
    assert "A professional, against the person&#x27;s wishes" in page
    # the reasons are revealed under "against the person's wishes", and only that radio controls them
    hidden = 'class="govuk-radios__conditional govuk-radios__conditional--hidden"'
    assert f'{hidden} id="conditional_decision_made_by_3"' in page
    assert page.count('aria-controls="conditional_') == 1


def test_viewing_a_conversation_is_recorded(cases, client_for):
    log = ConversationLogFactory(enquiry=cases.cases["north"][2])
    _practitioner(cases, client_for).get(reverse("enquiries:conversation_detail", args=[log.pk]))
    event = AccessEvent.objects.get(action=AccessEvent.Action.VIEW, object_id=log.pk)
    assert event.user == cases.users["practitioner_north"]
    assert event.person == cases.cases["north"][0]
    assert "home" not in event.detail
