"""The enquiry page is a timeline: "What matters to me" in the person's words at the top, then everything
in time order, filterable by kind, at a fixed number of queries however long the story."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enquiries.models import EnquiryEvent
from enquiries.models.choices import MeetingKind
from enquiries.views.enquiry import TIMELINE_PAGE_SIZE
from msp_cases.audit.models import AccessEvent
from tests.outcomes.factories_outcomes import DesiredOutcomeFactory, DesiredOutcomeRevisionFactory

from .factories_enquiry import ConversationFactory, EnquiryEventFactory, MeetingFactory, PlanActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north(world):
    return world.cases["north"][2]


@pytest.fixture
def practitioner(world, client_for):
    return client_for(world.users["practitioner_north"])


def titles(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", t).strip()
        for t in re.findall(r'class="moj-timeline__title">(.*?)</h3>', html, re.S)
    ]


def days_ago(n, hour=10):
    return timezone.now().replace(hour=hour, minute=0, second=0, microsecond=0) - datetime.timedelta(days=n)


@pytest.fixture
def story(north):
    """A concern 20 days ago, decided the next day; then conversations, a meeting, a plan action, events."""
    concern = north.concern
    concern.received_at = days_ago(20)
    concern.decision = "section_42"
    concern.decided_at = days_ago(19)
    concern.decided_by = north.lead_practitioner
    concern.save()
    EnquiryEventFactory(enquiry=north, kind=EnquiryEvent.Kind.STARTED, occurred_at=days_ago(18))
    ConversationFactory(enquiry=north, occurred_at=days_ago(15), what_matters="My garden")
    MeetingFactory(enquiry=north, kind=MeetingKind.STRATEGY, held_on=days_ago(10).date())
    ConversationFactory(
        enquiry=north, occurred_at=days_ago(5), what_matters="", decisions="Ann chose to change her bank"
    )
    PlanActionFactory(enquiry=north, what="Change bank")  # created now
    return north


def test_timeline_is_in_time_order(story, practitioner):
    html = practitioner.get(story.get_absolute_url()).content.decode()
    assert titles(html) == [
        "Concern received",
        "Decision: Section 42 enquiry",
        "Work started",
        "Conversation with the person",
        "Strategy meeting",
        "Conversation with the person",
        "Plan action added",
    ]


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("conversations", ["Conversation with the person", "Conversation with the person"]),
        ("meetings", ["Strategy meeting"]),
        ("plan", ["Plan action added"]),
        # Decisions: the section 42 decision, stage changes, and conversations where decisions were made.
        (
            "decisions",
            [
                "Concern received",
                "Decision: Section 42 enquiry",
                "Work started",
                "Conversation with the person",
            ],
        ),
        ("nonsense", None),
    ],
)
def test_timeline_filters_by_kind(story, practitioner, show, expected):
    response = practitioner.get(story.get_absolute_url(), {"show": show})
    html = response.content.decode()
    if expected is None:  # an unknown filter shows everything
        assert len(titles(html)) == 7
        assert 'href="?show=all#timeline" aria-current="page"' in html
        return
    assert titles(html) == expected
    assert f'href="?show={show}#timeline" aria-current="page"' in html


def test_what_matters_to_me_quotes_the_persons_latest_words_escaped(north, practitioner):
    ConversationFactory(enquiry=north, occurred_at=days_ago(9), what_matters="Old words")
    ConversationFactory(
        enquiry=north,
        occurred_at=days_ago(3),
        what_matters='Seeing my grandson & my cat "Biscuit" <b>every week</b>',
        wants_to_happen="I want the calls to stop.",
    )
    ConversationFactory(enquiry=north, occurred_at=days_ago(1), what_matters="", wants_to_happen="")
    html = practitioner.get(north.get_absolute_url()).content.decode()
    section = html.split('id="what-matters-title"')[1].split("Summary")[0]
    assert "Seeing my grandson &amp; my cat &quot;Biscuit&quot; &lt;b&gt;every week&lt;/b&gt;" in section
    assert "I want the calls to stop." in section
    assert "Old words" not in section
    assert days_ago(3).strftime("%-d %B %Y") in section
    assert "<b>every week</b>" not in html


def test_what_matters_to_me_when_nothing_is_recorded(north, practitioner):
    html = practitioner.get(north.get_absolute_url()).content.decode()
    assert "Nothing recorded yet. Ask" in html


def test_html_in_a_conversation_is_escaped_on_the_timeline(north, practitioner):
    ConversationFactory(enquiry=north, decisions="<script>alert('x')</script>", decision_made_by="person")
    html = practitioner.get(north.get_absolute_url()).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "(the person)" in html  # who made the decision


def test_every_part_of_a_conversation_and_its_amendment_is_escaped_on_the_timeline(north, practitioner):
    hostile = "<b onmouseover=alert(1)>x</b>"
    fields = {
        "location": hostile,
        "what_matters": hostile,
        "wants_to_happen": hostile,
        "decisions": hostile,
        "decision_made_by": "against_wishes",
        "against_wishes_reason": hostile,
        "next_contact_on": datetime.date(2030, 1, 2),
        "next_contact_how": hostile,
    }
    original = ConversationFactory(enquiry=north, **fields)
    ConversationFactory(enquiry=north, amends=original, amendment_reason=hostile, **fields)
    html = practitioner.get(north.get_absolute_url()).content.decode()
    assert "<b onmouseover" not in html
    assert html.count("&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;") >= 13  # six parts twice, and the reason


def test_an_amendment_is_shown_with_its_original(north, practitioner, world):
    original = ConversationFactory(enquiry=north, occurred_at=days_ago(4), what_matters="My cat Biscuit")
    ConversationFactory(
        enquiry=north,
        occurred_at=original.occurred_at,
        amends=original,
        amendment_reason="Wrong name for the cat",
        what_matters="My cat Muffin",
        recorded_by=world.users["manager_north"],
    )
    html = practitioner.get(north.get_absolute_url()).content.decode()
    assert "My cat Biscuit" in html  # the original is never hidden
    by = world.users["manager_north"].full_name
    assert re.search(rf"Amended on \d+ \w+ \d{{4}} by {by}:</strong> Wrong name for the cat", html)
    assert titles(html).count("Conversation with the person") == 1  # attached, not a separate item
    # The summary at the top uses the corrected words.
    assert "My cat Muffin" in html.split("Summary")[0]
    assert "My cat Biscuit" not in html.split("Summary")[0]


def test_summary_shows_next_agreed_contact_and_overdue(north, practitioner):
    ConversationFactory(enquiry=north, occurred_at=days_ago(6), next_contact_on=days_ago(2).date())
    html = practitioner.get(north.get_absolute_url()).content.decode()
    next_contact = html.split('id="next-contact">')[1].split("</dd>")[0]
    assert days_ago(2).strftime("%-d %B %Y") in next_contact
    assert "Overdue" in next_contact


def test_viewing_the_enquiry_is_recorded(north, practitioner, world):
    practitioner.get(north.get_absolute_url())
    assert AccessEvent.objects.filter(
        user=world.users["practitioner_north"], action=AccessEvent.Action.VIEW, object_id=north.pk
    ).exists()


def _fill(enquiry, n):
    for i in range(n):
        ConversationFactory(enquiry=enquiry, occurred_at=days_ago(i + 1), what_matters=f"Words {i}")
        PlanActionFactory(enquiry=enquiry, what=f"Action {i}")
        MeetingFactory(enquiry=enquiry, held_on=days_ago(i + 1).date())
        EnquiryEventFactory(enquiry=enquiry, occurred_at=days_ago(i + 1))
    original = ConversationFactory(enquiry=enquiry, occurred_at=days_ago(1))
    for _ in range(n):
        ConversationFactory(enquiry=enquiry, amends=original, amendment_reason="Correction")
    for i in range(n):
        DesiredOutcomeRevisionFactory(
            outcome=_outcome(enquiry, f"Outcome {i}"), previous_expressed_on=days_ago(2).date()
        )


def _outcome(enquiry, words):
    return DesiredOutcomeFactory(enquiry=enquiry, words=words, expressed_on=days_ago(3).date())


def test_a_revised_outcome_keeps_its_earlier_words_on_the_timeline(north, practitioner, world):
    outcome = _outcome(north, "To see my grandson <b>every</b> week")
    DesiredOutcomeRevisionFactory(
        outcome=outcome,
        previous_words="To see my grandson",
        reason="She said more the second time",
        revised_by=world.users["practitioner_north"],
    )
    html = practitioner.get(north.get_absolute_url() + "?show=outcomes").content.decode()
    assert titles(html) == ["Desired outcome recorded", "Desired outcome changed"]
    assert "<strong>Earlier:</strong> To see my grandson</p>" in html
    assert "To see my grandson &lt;b&gt;every&lt;/b&gt; week" in html  # the words now, escaped
    assert "She said more the second time" in html


def test_the_page_costs_the_same_number_of_queries_for_3_or_30_items(world, client_for, monkeypatch):
    monkeypatch.setattr("enquiries.views.enquiry.TIMELINE_PAGE_SIZE", 1000)  # every entry on one page
    small, large = world.cases["north"][2], world.cases["south_allocated_to_north"][2]
    _fill(small, 3)
    _fill(large, 30)
    client = client_for(world.users["practitioner_north"])
    counts = []
    for enquiry, n in ((small, 3), (large, 30)):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(enquiry.get_absolute_url()).content.decode()
        assert html.count('class="moj-timeline__item"') >= 4 * n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_long_timeline_opens_on_its_most_recent_entries_with_the_earlier_ones_a_page_back(
    north, practitioner
):
    """Two hundred and fifty conversations: the page opens on the newest hundred (the last one recorded is
    there, the first is not), says which entries it shows, and "Earlier entries" leads back through the
    rest; the filters still count every entry."""
    for n in range(250):
        ConversationFactory(
            enquiry=north, occurred_at=days_ago(300 - n), what_matters=f"Visit number {n:03d}"
        )
    html = practitioner.get(north.get_absolute_url()).content.decode()
    # The newest hundred: the last few visits and the enquiry's own entries (its concern, its start).
    assert "Visit number 249" in html and "Visit number 160" in html, re.findall(r"Entries [^.]*", html)
    assert "Visit number 140" not in html and "Visit number 000" not in html
    assert len(titles(html)) == TIMELINE_PAGE_SIZE == 100
    match = re.search(r"Entries (\d+) to (\d+) of (\d+), oldest first: the most recent", html)
    assert match and match.group(2) == match.group(3) and int(match.group(3)) > 250
    assert "Conversations (250)" in html
    assert 'href="?show=all&amp;page=2#timeline" rel="prev"' in html  # "Earlier entries"
    assert "Earlier entries" in html and "Later entries" not in html

    oldest = practitioner.get(north.get_absolute_url() + "?show=conversations&page=3").content.decode()
    assert "Visit number 000" in oldest and "Visit number 049" in oldest and "Visit number 050" not in oldest
    assert "Entries 1 to 50 of 250, oldest first." in oldest
    assert "Later entries" in oldest and "Earlier entries" not in oldest
    assert 'href="?show=conversations&amp;page=2#timeline" rel="next"' in oldest


def test_a_page_of_the_timeline_that_does_not_exist_shows_one_that_does(north, practitioner):
    ConversationFactory(enquiry=north, occurred_at=days_ago(3), what_matters="Only visit")
    for page in ("999", "0", "abc", "-1"):
        response = practitioner.get(north.get_absolute_url() + f"?page={page}")
        assert response.status_code == 200
        assert "Only visit" in response.content.decode()
