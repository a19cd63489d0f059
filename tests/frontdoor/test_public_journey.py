"""Report a concern, as a member of the public and as a professional would: one question a page, check
answers with a Change link for each answer, a reference on the confirmation page, errors in the GOV.UK error
summary, the answers kept on the server (never in a URL) and readable only by the browser writing them."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from msp_cases.core.actor import Actor
from msp_cases.frontdoor.journey import SESSION_KEY, flattened
from msp_cases.frontdoor.models import REFERENCE_ALPHABET, Referral, ReferralEvent
from msp_cases.frontdoor.services.public import referral_submit

pytestmark = pytest.mark.django_db

START = reverse("frontdoor_public:start")
CHECK = reverse("frontdoor_public:check_answers")


def q(slug: str) -> str:
    return reverse("frontdoor_public:question", kwargs={"slug": slug})


PUBLIC_ANSWERS = [
    ("danger", {"immediate_danger": "no"}),
    ("reporter", {"referrer_type": "public"}),
    ("adult", {"adult_name": "", "adult_description": "The man who lives at number 12, Elm Road"}),
    ("address", {"adult_address": "12 Elm Road"}),
    (
        "age",
        {
            "adult_date_of_birth_0": "",
            "adult_date_of_birth_1": "",
            "adult_date_of_birth_2": "",
            "adult_age": "about 80",
        },
    ),
    ("communication", {"adult_communication_needs": ""}),
    ("what-happened", {"what_happened": "His son shouts at him & takes his pension <b>every</b> week."}),
    ("when-where", {"when_happened": "Every Friday", "where_happened": "At his home"}),
    ("who-caused-harm", {"alleged_cause": "His son, Dave", "alleged_cause_relationship": "Son"}),
    ("adult-knows", {"adult_knows": "no"}),
    ("adult-wishes", {"adult_wishes": ""}),
    (
        "contact",
        {"safe_to_contact": "no", "contact_how": "", "contact_when": "Mornings", "must_not_know": "His son"},
    ),
    (
        "your-details",
        {"referrer_name": "", "referrer_relationship": "", "referrer_phone": "", "referrer_email": ""},
    ),
]


def answer_all(client: Client, answers=PUBLIC_ANSWERS):
    response = client.post(START)
    assert response.status_code == 302 and response["Location"] == q("danger")
    for slug, data in answers:
        response = client.post(q(slug), data)
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
    assert response["Location"] == CHECK
    return response


def test_an_anonymous_member_of_the_public_reports_a_concern_and_gets_a_reference():
    client = Client()
    start = client.get(START)
    assert start.status_code == 200
    assert "If someone is in danger right now, call 999" in start.content.decode()
    answer_all(client)
    check = client.get(CHECK).content.decode()
    # The referrer's words as typed, escaped (never markup), on the check answers page.
    assert "His son shouts at him &amp; takes his pension &lt;b&gt;every&lt;/b&gt; week." in check
    response = client.post(CHECK, {"website": ""})
    assert response.status_code == 302 and response["Location"] == reverse("frontdoor_public:sent")
    sent = client.get(response["Location"]).content.decode()
    referral = Referral.objects.get()
    assert referral.reference in sent
    assert re.fullmatch(f"[{REFERENCE_ALPHABET}]{{8}}", referral.reference)
    assert referral.state == Referral.State.WAITING
    assert referral.referrer_type == "public" and referral.referrer_anonymous
    assert referral.what_happened == "His son shouts at him & takes his pension <b>every</b> week."
    assert referral.adult_description.startswith("The man who lives at number 12")
    assert referral.adult_age == "about 80" and referral.adult_date_of_birth is None
    assert referral.must_not_know == "His son" and referral.safe_to_contact == "no"
    assert not referral.immediate_danger
    event = ReferralEvent.objects.get(referral=referral)
    assert event.action == "submitted" and event.user is None and event.ip_address == "127.0.0.1"
    assert mail.outbox == []  # no address given, no email
    # The answers are gone from the session: the back button cannot send it twice.
    assert SESSION_KEY not in client.session
    assert client.post(CHECK, {"website": ""})["Location"] == reverse("frontdoor_public:session_ended")
    assert Referral.objects.count() == 1


def test_references_are_random_not_sequential():
    references = set()
    for _ in range(3):
        client = Client()
        answer_all(client)
        client.post(CHECK, {"website": ""})
    references = list(Referral.objects.order_by("pk").values_list("reference", flat=True))
    assert len(set(references)) == 3
    assert references != sorted(references) or len({r[:4] for r in references}) > 1


def test_an_email_acknowledgement_gives_the_reference_and_nothing_the_referrer_wrote(
    django_capture_on_commit_callbacks,
):
    client = Client()
    answers = [
        *PUBLIC_ANSWERS[:-1],
        (
            "your-details",
            {
                "referrer_name": "Ann Neighbour",
                "referrer_relationship": "Neighbour",
                "referrer_phone": "",
                "referrer_email": "ann@example.org",
            },
        ),
    ]
    answer_all(client, answers)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHECK, {"website": ""})
    referral = Referral.objects.get()
    assert not referral.referrer_anonymous
    (email,) = mail.outbox
    assert email.to == ["ann@example.org"]
    assert referral.reference in email.subject and referral.reference in email.body
    for words in ("pension", "Dave", "Elm Road", "Ann", "number 12"):
        assert words not in email.body and words not in email.subject


def test_every_answer_has_a_change_link_that_returns_to_check_answers():
    client = Client()
    answer_all(client)
    check = client.get(CHECK).content.decode()
    links = re.findall(r'href="(/report-a-concern/[a-z-]+/\?change=1)#id_([a-z_0-9]+)"', check)
    # One Change link for each question answered on the way (the date of birth's three boxes are one).
    asked = {key for _, data in PUBLIC_ANSWERS for key in data if key[-2:] not in ("_1", "_2")}
    assert {name for _, name in links} == asked
    change_what = q("what-happened") + "?change=1"
    page = client.get(change_what).content.decode()
    assert "His son shouts at him" in page  # the form is filled with the answer given
    assert f'href="{CHECK}"' in page  # its back link goes to check answers
    response = client.post(change_what, {"what_happened": "He took her bank card."})
    assert response["Location"] == CHECK
    assert "He took her bank card." in client.get(CHECK).content.decode()


def test_changing_to_a_professional_asks_for_work_details_before_check_answers():
    client = Client()
    answer_all(client)
    response = client.post(q("reporter") + "?change=1", {"referrer_type": "professional"})
    assert response["Location"] == q("your-work-details")
    assert client.get(CHECK)["Location"] == q("your-work-details")


def test_in_danger_now_shows_the_999_page_then_carries_on():
    client = Client()
    client.post(START)
    response = client.post(q("danger"), {"immediate_danger": "yes"})
    assert response["Location"] == reverse("frontdoor_public:call_999")
    page = client.get(response["Location"]).content.decode()
    assert "Call 999 now" in page and "<form" not in page.split("<main")[1].split("</main>")[0]
    assert q("reporter") in page
    for slug, data in PUBLIC_ANSWERS[1:]:
        client.post(q(slug), data)
    # Changed from check answers: the 999 page leads back there.
    client.post(q("danger") + "?change=1", {"immediate_danger": "yes"})
    assert f'href="{CHECK}"' in client.get(reverse("frontdoor_public:call_999")).content.decode()
    client.post(CHECK, {"website": ""})
    assert Referral.objects.get().immediate_danger


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("danger", {}, "Select yes if the adult is in danger right now"),
        ("reporter", {}, "Select yes if you are telling us as part of your job"),
        ("adult", {"adult_name": " ", "adult_description": ""}, "Enter the adult’s name, or tell us how we"),
        ("what-happened", {"what_happened": "\u200b"}, "Enter what happened"),
        ("what-happened", {"what_happened": "x" * 5001}, "What happened must be 5000 characters or fewer"),
        ("adult", {"adult_name": "x" * 201}, "Their full name must be 200 characters or fewer"),
        (
            "age",
            {"adult_date_of_birth_0": "31", "adult_date_of_birth_1": "2", "adult_date_of_birth_2": "1950"},
            "Their date of birth must be a real date",
        ),
        ("adult-knows", {}, "Select if the adult knows you are telling us"),
        ("contact", {}, "Select if it is safe for us to contact the adult"),
        ("your-details", {"referrer_email": "not-an-email"}, "Enter an email address in the correct format"),
    ],
)
def test_each_mistake_is_listed_in_the_error_summary_and_nothing_moves_on(slug, data, message):
    client = Client()
    client.post(START)
    client.post(q("reporter"), {"referrer_type": "public"})
    response = client.post(q(slug), data)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "’").replace("&rsquo;", "’")
    summary = page.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary
    assert "<title>Error: " in page


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("your-work-details", {}, "Enter your name"),
        ("your-work-details", {}, "Enter your organisation"),
        ("your-work-details", {}, "Enter your work email address"),
        ("your-work-details", {}, "Enter your work phone number"),
    ],
)
def test_a_professional_must_say_who_they_are(slug, data, message):
    client = Client()
    client.post(START)
    client.post(q("reporter"), {"referrer_type": "professional"})
    response = client.post(q(slug), data)
    summary = response.content.decode().split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert message in summary


def test_answers_never_travel_in_the_url():
    client = Client()
    response = client.post(START)
    for slug, data in PUBLIC_ANSWERS:
        response = client.post(q(slug), data)
        assert "?" not in response["Location"]
    # Nor can a link fill in an answer.
    page = client.get(q("what-happened") + "?what_happened=injected").content.decode()
    textarea = re.search(r'<textarea[^>]*name="what_happened"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "injected" not in textarea and "His son shouts" in textarea


def test_a_report_cannot_be_read_from_another_browser_or_by_guessing():
    writer = Client()
    answer_all(writer)
    writer.post(CHECK, {"website": ""})
    reference = Referral.objects.get().reference
    stranger = Client()
    # Another browser has no journey: every page of it says the session has ended, and shows nothing.
    for url in (CHECK, q("what-happened"), reverse("frontdoor_public:sent")):
        response = stranger.get(url)
        assert response.status_code == 302 and response["Location"] == reverse(
            "frontdoor_public:session_ended"
        )
    # No page shows a referral by its reference or id.
    for url in (
        f"/report-a-concern/{reference}/",
        f"/report-a-concern/sent/{reference}/",
        f"/report-a-concern/{Referral.objects.get().pk}/",
        "/report-a-concern/referral/1/",
    ):
        assert stranger.get(url).status_code == 404
    # The writer's own confirmation shows only the reference, not what they wrote.
    sent = writer.get(reverse("frontdoor_public:sent")).content.decode()
    assert reference in sent and "pension" not in sent


def test_a_question_page_after_the_session_ended_says_so_and_keeps_nothing():
    client = Client()
    client.post(START)
    client.post(q("danger"), {"immediate_danger": "no"})
    client.cookies.clear()  # the session has ended: the browser was closed, or the session timed out
    response = client.post(q("reporter"), {"referrer_type": "public"})
    assert response["Location"] == reverse("frontdoor_public:session_ended")
    page = client.get(response["Location"]).content.decode()
    assert "Your session has ended" in page and "Your report has not been sent" in page
    assert Referral.objects.count() == 0


def test_the_public_pages_need_no_sign_in():
    client = Client()
    for url in (START, reverse("frontdoor_public:session_ended")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Sign in" not in response.content.decode().split("<main")[1]


HOSTILE = [
    "9" * 30,
    "x" * 100_000,
    "not-a-choice",
    "a\x00b\x1bc",
    "\u200b",
    "\u202eexe.txt",
    "<script>",
    "' OR 1=1--",
]


@pytest.mark.parametrize("slug", [slug for slug, _ in PUBLIC_ANSWERS] + ["your-work-details"])
def test_hostile_input_on_every_question_is_a_page_never_a_server_error(slug):
    client = Client()
    client.post(START)
    client.post(q("reporter"), {"referrer_type": "professional" if slug == "your-work-details" else "public"})
    names = list(dict(PUBLIC_ANSWERS).get(slug, {})) or [
        "referrer_name",
        "referrer_email",
        "police_crime_number",
    ]
    for value in HOSTILE:
        response = client.post(q(slug), dict.fromkeys(names, value))
        assert response.status_code in (200, 302), (slug, value[:20])
    for url in (CHECK, reverse("frontdoor_public:save"), reverse("frontdoor_public:return_code")):
        for value in HOSTILE:
            assert client.post(url, {"website": value, "email": value, "code": value}).status_code < 500


def test_nothing_the_referrer_wrote_reaches_the_logs(caplog, django_capture_on_commit_callbacks):
    client = Client()
    answers = [
        *PUBLIC_ANSWERS[:-1],
        ("your-details", {"referrer_name": "Ann Neighbour", "referrer_email": "ann@example.org"}),
    ]
    with caplog.at_level("DEBUG"), django_capture_on_commit_callbacks(execute=True):
        answer_all(client, answers)
        client.post(CHECK, {"website": ""})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for words in ("pension", "Dave", "Elm Road", "Ann", "ann@example.org", "number 12"):
        assert words not in logged


def test_one_journey_makes_at_most_one_referral_however_often_send_is_pressed():
    client = Client()
    answer_all(client)
    key = client.session[SESSION_KEY]["key"]
    answers = flattened(client.session[SESSION_KEY]["answers"])
    # A second tab sends the same journey's answers while the first is still sending.
    first = referral_submit(actor=Actor(user=None), answers=answers, submission_key=key)
    client.post(CHECK, {"website": ""})
    assert Referral.objects.get() == first
    assert client.get(reverse("frontdoor_public:sent")).content.decode().count(first.reference) == 1
    # Without a key (the demo seeder), each call is a referral of its own.
    referral_submit(actor=Actor(user=None), answers=answers)
    assert Referral.objects.count() == 2


def test_sending_costs_the_same_few_queries_however_many_referrals_wait(django_assert_max_num_queries):
    for _ in range(5):
        referral_submit(actor=Actor(user=None), answers=flattened(dict(PUBLIC_ANSWERS)))
    client = Client()
    answer_all(client)
    # The session's reads and writes (its old key deleted with any signed-in session noted against it), the
    # journey's key, the count of waiting referrals (a partial index), the referral and its record: nothing
    # per referral already waiting.
    with django_assert_max_num_queries(19):
        assert client.post(CHECK, {"website": ""}).status_code == 302
    assert Referral.objects.count() == 6
