"""The front door from end to end in Chromium, every page checked with axe (WCAG 2.2 AA) on the way.

A member of the public reports a concern anonymously about Kwame Boateng, whom South Locality already holds
(the demo's DEMO-002). A GP starts a report about Eileen Parry (North Locality, DEMO-003), saves it, comes
back by the emailed link and one-time code, and sends it. The front-door worker matches the first referral to
Kwame's record and routes it to South; South's manager is told, finds the concern waiting on the team
dashboard and allocates it without classifying it; the practitioner, told, classifies it when the decision
page asks and opens a section 42 enquiry. The GP's referral is routed to North and decided there (by the
services, as the front-door worker and North's manager: the screening and decision pages have their own
browser tests), the outcome task runs, and the GP opens the outcome link, types the code emailed to them
and reads the decision in plain words, and nothing about the adult. Neither the outcome link nor the public
form reads back any other referral.

Each person has their own browser (context): what one of them sees is never in another's cookies. Emails are
read from the live server's outbox: it runs in this process, with Django's locmem email backend."""

import re

import pytest
from playwright.sync_api import expect

from enquiries.models import RiskTypeOption, SafeguardingConcern
from enquiries.models.choices import RiskLocation, RiskSource
from enquiries.services.concerns import concern_decide
from msp_cases.accounts.models import Team, User
from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral
from msp_cases.frontdoor.services.screening import referral_route
from msp_cases.frontdoor.tasks import notify_outcomes

from .accessibility import assert_accessible
from .conftest import ACTION_TIMEOUT_MS, UI
from .steps import choose

pytestmark = pytest.mark.browser

GP_EMAIL = "r.mensah@elmroad.example"
GP_WORDS = "Eileen told me her carer shouts at her and leaves her in wet clothes all day."
PUBLIC_WORDS = "Kwame had a black eye on Monday and would not say how it happened."


def _tab(ui: UI, chromium_browser) -> UI:
    """Another person's browser: a context of its own, photographed into the same folder."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    tab = UI(page=context.new_page(), base_url=ui.base_url, shots_dir=ui.shots_dir)
    tab._shots = ui._shots + 100 * len(chromium_browser.contexts)  # pictures in the order they were taken
    return tab


def _check(ui: UI, label: str, heading: str | None = None) -> None:
    if heading is not None:
        expect(ui.page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(ui.page, label=label)
    ui.shot(label)


def _continue(ui: UI) -> None:
    with ui.page.expect_navigation():
        ui.page.get_by_role("button", name="Continue").click()


def _mail_to(mailoutbox, address: str, subject: str):
    sent = [m for m in mailoutbox if m.to == [address] and re.search(subject, m.subject)]
    assert sent, f"no email to {address} with {subject!r}: {[m.subject for m in mailoutbox]}"
    return sent[-1]


def _path_in(email, path: str) -> str:
    return re.search(rf"https?://[^\s/]+({re.escape(path)}\?t=\S+)", email.body).group(1)


def _code_in(email) -> str:
    return re.search(r"\b(\d{6})\b", email.body).group(1)


def _report_anonymously(ui: UI) -> str:
    """A member of the public about Kwame Boateng, giving no details of their own. Returns the reference."""
    page = ui.page
    ui.goto("/report-a-concern/")
    _check(ui, "public start", "Report a concern about an adult")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No").check()
    _check(ui, "public danger", "Is the adult in danger right now?")
    _continue(ui)
    page.get_by_label("No, I am a member of the public").check()
    _continue(ui)
    page.get_by_label("Their full name").fill("Kwame Boateng")
    _check(ui, "public who is the adult", "Who is the adult?")
    _continue(ui)
    page.get_by_label("Where does the adult live?").fill("Supported flat, Southbridge")
    _continue(ui)
    page.get_by_label("Day", exact=True).fill("30")
    page.get_by_label("Month", exact=True).fill("7")
    page.get_by_label("Year", exact=True).fill("1988")
    _check(ui, "public age", "How old is the adult?")
    _continue(ui)
    _continue(ui)  # communication: nothing needed
    page.get_by_label("What happened?").fill(PUBLIC_WORDS)
    _check(ui, "public what happened")
    _continue(ui)
    _continue(ui)  # when and where: not known
    _continue(ui)  # who caused it: not known
    page.get_by_label("I do not know").check()
    _continue(ui)
    _continue(ui)  # what the adult wants: not known
    page.get_by_label("I do not know").check()
    _check(ui, "public contacting the adult", "Contacting the adult")
    _continue(ui)
    _check(ui, "public your details", "Your details")
    _continue(ui)  # anonymous: nothing given
    _check(ui, "public check answers", "Check your answers before sending your report")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    panel = page.locator(".govuk-panel")
    expect(panel).to_be_visible()
    _check(ui, "public sent")
    return re.search(r"\b([A-Z2-9]{8})\b", panel.inner_text()).group(1)


def _professional_starts_and_saves(ui: UI) -> None:
    page = ui.page
    ui.goto("/report-a-concern/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("No").check()
    _continue(ui)
    page.get_by_label("Yes, I am telling you as part of my job").check()
    _continue(ui)
    page.get_by_label("Their full name").fill("Eileen Parry")
    _continue(ui)
    page.get_by_label("Where does the adult live?").fill("7 Mill Lane, Northtown")
    _continue(ui)
    page.get_by_label("Day", exact=True).fill("2")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("1936")
    _continue(ui)
    _continue(ui)  # communication
    page.get_by_label("What happened?").fill(GP_WORDS)
    _check(ui, "professional what happened", "What happened?")
    page.get_by_role("button", name="Save and come back later").click()
    _check(ui, "professional save", "Save your report and come back later")
    page.get_by_label("Your work email address").fill(GP_EMAIL)
    page.get_by_role("button", name="Save and email me a link").click()
    _check(ui, "professional saved", "We have emailed you a link")


def _professional_returns_and_sends(ui: UI, mailoutbox) -> str:
    page = ui.page
    link = _path_in(_mail_to(mailoutbox, GP_EMAIL, "Come back to your report"), "/report-a-concern/return/")
    ui.goto(link)
    _check(ui, "professional come back", "Come back to your report")
    page.get_by_role("button", name="Email me a security code").click()
    page.get_by_label("Security code").fill(_code_in(_mail_to(mailoutbox, GP_EMAIL, "security code")))
    _check(ui, "professional code", "Enter your security code")
    _continue(ui)
    # Back at the first question not answered, with what was saved kept.
    expect(page.get_by_role("heading", level=1)).to_have_text("When and where did it happen?")
    page.get_by_label("When did it happen?").fill("Over the last month")
    _continue(ui)
    page.get_by_label("How do they know the adult?").fill("Paid carer")
    _continue(ui)
    page.get_by_label("Yes").check()
    _continue(ui)
    page.get_by_label("What does the adult want to happen?").fill("A different carer")
    _continue(ui)
    page.get_by_label("Yes").check()
    _continue(ui)
    page.get_by_label("Your name").fill("Dr Ruth Mensah")
    page.get_by_label("Your organisation").fill("Elm Road Surgery")
    page.get_by_label("Your job").fill("GP")
    page.get_by_label("Your work email address").fill(GP_EMAIL)
    page.get_by_label("Your work phone number").fill("01632 960777")
    _check(ui, "professional your details", "Your details")
    _continue(ui)
    expect(page.locator("main")).to_contain_text(GP_WORDS)
    _check(ui, "professional check answers", "Check your answers before sending your report")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    panel = page.locator(".govuk-panel")
    expect(panel).to_be_visible()
    _check(ui, "professional sent")
    return re.search(r"\b([A-Z2-9]{8})\b", panel.inner_text()).group(1)


def _front_door_routes_to_south(ui: UI, reference: str) -> None:
    page = ui.page
    ui.use_session_of("frontdoor@example.org")
    ui.goto("/front-door/")
    _check(ui, "front door queue", "Referrals waiting to be screened")
    row = page.get_by_role("table").get_by_role("row").filter(has_text="Kwame Boateng")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    _check(ui, "front door screening", "Screen this referral")
    expect(page.get_by_text(PUBLIC_WORDS)).to_be_visible()
    expect(page.locator("main")).to_contain_text(reference)
    matches = page.get_by_role("table", name=re.compile("possible match"))
    expect(matches).to_contain_text("Kwame Boateng")
    expect(matches).to_contain_text("South Locality")  # the concern South already holds
    page.get_by_role("radio", name=re.compile("^Kwame Boateng")).check()
    page.get_by_role("radio", name="Send it to a team to decide").check()
    page.get_by_label("Team to send it to").select_option(label="South Locality")
    _check(ui, "front door decision filled in")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text(re.compile("sent to South Locality"))).to_be_visible()
    _check(ui, "front door queue after routing", "Referrals waiting to be screened")
    expect(page.get_by_role("table").get_by_role("row").filter(has_text="Kwame Boateng")).to_have_count(0)


def _south_manager_allocates(ui: UI, concern: SafeguardingConcern, reference: str) -> None:
    page = ui.page
    ui.use_session_of("manager.south@example.org")
    ui.goto("/notifications/")
    told = page.get_by_role(
        "link", name=re.compile("The front door sent your team a new safeguarding concern")
    )
    expect(told.first).to_be_visible()
    _check(ui, "south manager notifications")
    ui.goto("/team/")
    waiting = page.locator(f"#unallocated tr[data-concern='{concern.pk}']")
    expect(waiting).to_contain_text("Kwame Boateng")
    expect(waiting).to_contain_text("Concern awaiting a decision")
    _check(ui, "south team dashboard")
    # The concern's page says where it came from: the reference, who reported it and who screened it.
    waiting.get_by_role("link", name="Kwame Boateng", exact=True).click()
    origin = page.locator("#concern-origin")
    expect(origin).to_contain_text("Reported online by a member of the public who did not give their name")
    expect(origin).to_contain_text(reference)
    expect(origin).to_contain_text("screened at the front door by Sam Patel")
    _check(ui, "south concern page")
    ui.goto("/team/")
    waiting.get_by_role("link", name=re.compile("^Allocate")).click()
    # The front door records the referrer's words, not SAC's classification: allocating is only choosing who
    # looks at it (the practitioner classifies it when deciding).
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocate the concern about Kwame Boateng")
    expect(page.get_by_text("Types of risk")).to_have_count(0)
    page.get_by_label("Tom Okafor").check()
    _check(ui, "south manager allocates")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").filter(has_text="Allocate").click()
    errors = page.locator(".govuk-error-summary")
    assert errors.count() == 0, errors.first.inner_text()
    expect(page.get_by_text("Concern allocated to Tom Okafor")).to_be_visible()
    concern.refresh_from_db()
    assert concern.allocated_to.email == "practitioner.south@example.org"
    assert not concern.risk_types.exists()
    ui.goto("/team/")
    expect(page.locator(f"#unallocated tr[data-concern='{concern.pk}']")).to_have_count(0)
    ui.shot("south team dashboard after allocation")


def _south_practitioner_classifies_and_decides(ui: UI, concern: SafeguardingConcern) -> None:
    """Tom Okafor, told of the allocation, decides: the decision page asks for the classification the front
    door did not record, and an enquiry does not open without it."""
    page = ui.page
    ui.use_session_of("practitioner.south@example.org")
    ui.goto("/notifications/")
    told = page.get_by_role("link", name=re.compile("A safeguarding concern has been allocated to you"))
    told.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Concern received")
    page.get_by_role("link", name="Record the decision").click()
    for question in [
        "Does the person have needs for care and support?",
        "Are they experiencing, or at risk of, abuse or neglect?",
        re.compile("unable to protect themselves"),
    ]:
        choose(page, question, "Yes")
    # The classification is asked under the answers that open an enquiry, revealed when one is chosen.
    expect(page.get_by_role("heading", name="Classify the concern")).not_to_be_visible()
    choose(page, "What is the decision?", "Section 42 enquiry")
    expect(page.get_by_role("heading", name="Classify the concern")).to_be_visible()
    page.get_by_label("Why was this decision made?").fill("Needs care and support; hit by a stranger.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    summary = page.locator(".govuk-error-summary")
    for message in ("Select the types of risk", "Select the location of risk", "Select the source of risk"):
        expect(summary).to_contain_text(message)
    _check(ui, "south practitioner asked to classify")
    choose(page, "Types of risk", "Physical Abuse")
    choose(page, "Location of risk", "A community service, such as a day centre")
    choose(page, "Source of risk", "Someone the person does not know")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(re.compile(r"/enquiries/\d+/$"))
    concern.refresh_from_db()
    assert concern.decision == SafeguardingConcern.Decision.SECTION_42
    enquiry = concern.enquiries.get()
    assert enquiry.risk_location == RiskLocation.COMMUNITY_SERVICE
    assert enquiry.risk_source == RiskSource.UNKNOWN
    assert [r.code for r in enquiry.risk_types.all()] == ["physical"]
    ui.shot("south enquiry opened")


def _routed_and_decided_in_north(reference: str) -> None:
    referral = Referral.objects.get(reference=reference)
    north = Team.objects.get(name="North Locality")
    eileen = SafeguardingConcern.objects.get(person__local_identifier="DEMO-003").person
    referral_route(
        actor=Actor.of(User.objects.get(email="frontdoor@example.org")),
        referral=referral,
        expected_version=referral.version,
        team=north,
        person=eileen,
    )
    concern = Referral.objects.get(pk=referral.pk).concern
    concern_decide(
        actor=Actor.of(User.objects.get(email="manager.north@example.org")),
        concern=concern,
        expected_version=concern.version,
        decision=SafeguardingConcern.Decision.SECTION_42,
        criteria_care_needs=True,
        criteria_abuse_or_neglect=True,
        criteria_unable_to_protect=True,
        decision_rationale="Care and support needs; neglect by a paid carer alleged; cannot protect herself.",
        lead_practitioner=User.objects.get(email="practitioner.north@example.org"),
        # Routed from the front door unclassified: an enquiry needs the types, location and source of risk.
        risk_types=RiskTypeOption.objects.filter(code="neglect"),
        risk_location=RiskLocation.OWN_HOME,
        risk_source=RiskSource.SERVICE_PROVIDER,
    )


def _professional_reads_the_outcome(ui: UI, mailoutbox, reference: str) -> str:
    page = ui.page
    email = _mail_to(mailoutbox, GP_EMAIL, "we have made a decision")
    assert reference in email.subject
    for words in ("Eileen", "section 42", "carer"):
        assert words not in email.body
    link = _path_in(email, "/report-a-concern/outcome/")
    ui.goto(link)
    expect(page).to_have_url(re.compile(r"/report-a-concern/outcome/$"))  # the token left the address bar
    _check(ui, "outcome link alone", "See what we decided about your referral")
    main = page.locator("main")
    for hidden in (reference, "section 42", "Eileen"):
        expect(main).not_to_contain_text(hidden)
    page.get_by_role("button", name="Email me a security code").click()
    _continue(ui)  # no code typed: the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the security code")
    _check(ui, "outcome code error", "Enter your security code")
    page.get_by_label("Security code").fill(_code_in(_mail_to(mailoutbox, GP_EMAIL, "security code")))
    _continue(ui)
    _check(ui, "outcome", "What we decided")
    expect(main).to_contain_text(reference)
    expect(main).to_contain_text("We are making a safeguarding enquiry (a section 42 enquiry")
    for hidden in ("Eileen", "Parry", "Mill Lane", GP_WORDS, "carer", "North Locality", "Priya"):
        expect(main).not_to_contain_text(hidden)
    return link


def test_the_front_door_from_report_to_outcome(ui, chromium_browser, mailoutbox):
    public = _tab(ui, chromium_browser)
    first_reference = _report_anonymously(public)
    first = Referral.objects.get(reference=first_reference)
    assert first.referrer_anonymous and first.what_happened == PUBLIC_WORDS

    gp = _tab(ui, chromium_browser)
    _professional_starts_and_saves(gp)
    later = _tab(ui, chromium_browser)  # the GP comes back another day, in a new browser
    second_reference = _professional_returns_and_sends(later, mailoutbox)
    second = Referral.objects.get(reference=second_reference)
    assert second.referrer_type == "professional" and second.what_happened == GP_WORDS
    assert not second.referrer_anonymous and second.referrer_email == GP_EMAIL

    _front_door_routes_to_south(ui, first_reference)
    first.refresh_from_db()
    assert first.state == Referral.State.PASSED_ON and first.routed_to.name == "South Locality"
    assert first.person.local_identifier == "DEMO-002"  # matched, not a second record of Kwame

    south = _tab(ui, chromium_browser)
    _south_manager_allocates(south, first.concern, first_reference)
    _south_practitioner_classifies_and_decides(_tab(ui, chromium_browser), first.concern)

    _routed_and_decided_in_north(second_reference)
    assert notify_outcomes() == 1  # the GP; the member of the public is never told (and gave no email)
    reader = _tab(ui, chromium_browser)
    link = _professional_reads_the_outcome(reader, mailoutbox, second_reference)

    # The outcome link opens nothing else: another referral's reference in its place is an expired link.
    for forged in (first_reference, second_reference, link.split("?t=")[1][:-2] + "xx"):
        response = reader.goto(f"/report-a-concern/outcome/?t={forged}")
        assert response.status == 404
        expect(reader.page.get_by_role("heading", level=1)).to_have_text("This link has expired")
    assert_accessible(reader.page, label="outcome link expired")
    reader.shot("outcome link for another referral")
    # Nor the public form: the browser that sent the first report reads back only its own reference, and
    # no page shows a referral by its reference.
    for path in (
        f"/report-a-concern/{second_reference}/",
        f"/report-a-concern/outcome/code/?t={first_reference}",
    ):
        assert public.goto(path).status == 404
    stranger = _tab(ui, chromium_browser)
    stranger.goto("/report-a-concern/sent/")
    expect(stranger.page.get_by_role("heading", level=1)).to_have_text("Your session has ended")
    expect(stranger.page.locator("main")).not_to_contain_text(first_reference)
    public.goto("/report-a-concern/sent/")
    expect(public.page.locator(".govuk-panel")).to_contain_text(first_reference)
    expect(public.page.locator("main")).not_to_contain_text(second_reference)
    for tab in (public, gp, later, south, reader, stranger):
        tab.page.context.close()
