"""Report a concern in a real browser, as a member of the public would, without signing in: every page passes
axe (WCAG 2.2 AA), the error summary takes the keyboard to the question, and each page fits a 320-pixel
phone without scrolling sideways. Photographed at desktop and phone width (test-artifacts/screenshots/)."""

import re
import shutil

import pytest
from django.conf import settings
from playwright.sync_api import expect

from msp_cases.frontdoor.models import Referral

from .accessibility import assert_accessible
from .conftest import ACTION_TIMEOUT_MS, SCREENSHOTS, UI

pytestmark = pytest.mark.browser


@pytest.fixture
def public_ui(chromium_browser, transactional_db, django_db_serialized_rollback, live_server, request):
    shots_dir = SCREENSHOTS / request.node.name
    shutil.rmtree(shots_dir, ignore_errors=True)
    shots_dir.mkdir(parents=True)
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    yield UI(page=page, base_url=live_server.url, shots_dir=shots_dir)
    context.close()


def _fits(ui: UI, label: str) -> None:
    width = ui.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{label} is {width}px wide at 320px"


def _continue(ui: UI) -> None:
    with ui.page.expect_navigation():
        ui.page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("width", [1280, 320])
def test_a_member_of_the_public_reports_a_concern_anonymously(public_ui: UI, width: int):
    ui, page = public_ui, public_ui.page
    page.set_viewport_size({"width": width, "height": 900})
    seen = []

    def check(label: str) -> None:
        assert_accessible(page, label=f"{label} at {width}px")
        if width == 320:
            _fits(ui, label)
        ui.shot(f"{label} {width}")
        seen.append(label)

    ui.goto("/report-a-concern/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern about an adult")
    check("start")
    page.get_by_role("button", name="Start now").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Is the adult in danger right now?")
    _continue(ui)  # nothing chosen: the error summary
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select yes if the adult is in danger right now")
    expect(page).to_have_title(re.compile("^Error: "))
    check("danger error")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Yes")).to_be_focused()  # the first choice of the question
    page.get_by_label("No").check()
    _continue(ui)

    page.get_by_label("No, I am a member of the public").check()
    _continue(ui)
    page.get_by_label("If you do not know their name, how can we find them?").fill(
        "The man who lives at number 12"
    )
    check("who is the adult")
    _continue(ui)
    page.get_by_label("Where does the adult live?").fill("12 Elm Road")
    _continue(ui)
    page.get_by_label("If you do not know their date of birth, how old are they?").fill("about 80")
    _continue(ui)
    _continue(ui)  # communication: nothing needed
    page.get_by_label("What happened?").fill("His son takes his pension every week.")
    check("what happened")
    _continue(ui)
    _continue(ui)  # when and where: not known
    page.get_by_label("How do they know the adult?").fill("Son")
    _continue(ui)
    page.get_by_label("No", exact=True).check()
    _continue(ui)
    _continue(ui)  # what the adult wants: not known
    page.get_by_label("I do not know").check()
    page.get_by_label("Is there anyone who must not know we are in touch?").fill("His son")
    check("contacting the adult")
    _continue(ui)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    check("your details")
    _continue(ui)  # anonymous

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your report")
    check("check answers")
    page.get_by_role("link", name="Change what happened?").click()
    page.get_by_label("What happened?").fill("His son takes his pension and shouts at him.")
    _continue(ui)
    expect(page.locator("main")).to_contain_text("His son takes his pension and shouts at him.")
    # A photo sent with the report: refused first (not what its name says), then added, listed, checked.
    page.get_by_role("link", name="Add photos and documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send photos or documents (optional)")
    upload = page.get_by_label("Upload a file")
    upload.set_input_files(
        [{"name": "bank.pdf", "mimeType": "application/pdf", "buffer": b"<html>no</html>"}]
    )
    page.get_by_role("button", name="Add file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("“bank.pdf” must be a PDF, JPG")
    check("photos and documents error")
    upload.set_input_files([{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Every Friday.\n"}])
    page.get_by_role("button", name="Add file").click()
    expect(page.get_by_test_id("files-added")).to_contain_text("notes.txt")
    check("photos and documents")
    page.get_by_role("link", name="Continue").click()
    expect(page.locator("main")).to_contain_text("notes.txt")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    reference = Referral.objects.get().reference
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    check("sent")
    assert Referral.objects.get().what_happened == "His son takes his pension and shouts at him."
    assert len(seen) == 10


def test_the_other_public_pages_pass_axe_and_fit_a_phone(public_ui: UI, mailoutbox):
    """The 999 page, a professional's save and return with its code, and the session-ended page."""
    ui, page = public_ui, public_ui.page
    page.set_viewport_size({"width": 320, "height": 640})

    def check(label: str, heading: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page, label=f"{label} at 320px")
        _fits(ui, label)
        ui.shot(label)

    ui.goto("/report-a-concern/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Yes").check()
    _continue(ui)
    check("call 999", "Call 999 now")
    page.get_by_role("link", name="I have called 999").click()
    page.get_by_label("Yes, I am telling you as part of my job").check()
    _continue(ui)
    page.get_by_role("button", name="Save and come back later").click()
    check("save", "Save your report and come back later")
    page.get_by_label("Your work email address").fill("p.shah@nhs.example")
    page.get_by_role("button", name="Save and email me a link").click()
    check("saved", "We have emailed you a link")
    link = re.search(r"(/report-a-concern/return/\?t=\S+)", mailoutbox[0].body).group(1)
    ui.goto(link)
    check("come back", "Come back to your report")
    page.get_by_role("button", name="Email me a security code").click()
    page.get_by_role("button", name="Continue").click()  # no code typed: the error summary
    check("code error", "Enter your security code")
    code = re.search(r"\b(\d{6})\b", mailoutbox[1].body).group(1)
    page.get_by_label("Security code").fill(code)
    _continue(ui)
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is the adult?")
    # The session times out (the server forgets it); the browser still holds its CSRF cookie.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    _continue(ui)
    check("session ended", "Your session has ended")


def _tab_to(page, target, limit: int = 60) -> None:
    """Press Tab until `target` has the focus, as a keyboard user moves through the page; fails if it never
    does (something a keyboard cannot reach) or if a focused button or text box shows no focus indicator."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            # Buttons and text boxes draw their own focus indicator (a radio's is drawn on its label).
            if target.get_attribute("type") != "radio":
                outline = target.evaluate(
                    "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.boxShadow]; }"
                )
                assert outline != ["none", "none"], "the focused control shows no focus indicator"
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def _answer(page, label: str, *, text: str | None = None, exact: bool = False) -> None:
    field = page.get_by_label(label, exact=exact)
    if text is not None:
        _tab_to(page, field)
        page.keyboard.type(text)
        return
    # A radio group is one stop for Tab (its first option, none being chosen yet); the arrow keys move
    # between its options and choose the one they land on, the space bar chooses the first.
    name = field.get_attribute("name")
    options = page.locator(f'input[type="radio"][name="{name}"]')
    _tab_to(page, options.first)
    if field.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Space")
    for _ in range(options.count()):
        if field.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    expect(field).to_be_focused()
    expect(field).to_be_checked()


def _continue_by_keyboard(page) -> None:
    button = page.get_by_role("button", name="Continue")
    _tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_public_journey_by_keyboard_alone(public_ui: UI):
    """Every question reached, answered and sent with Tab, Space, typing and Enter: no mouse, no click."""
    ui, page = public_ui, public_ui.page
    page.set_viewport_size({"width": 320, "height": 640})
    ui.goto("/report-a-concern/")
    start = page.get_by_role("button", name="Start now")
    _tab_to(page, start)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    _answer(page, "No")
    _continue_by_keyboard(page)
    _answer(page, "No, I am a member of the public")
    _continue_by_keyboard(page)
    _answer(page, "If you do not know their name, how can we find them?", text="The woman at number 3")
    _continue_by_keyboard(page)
    _answer(page, "Where does the adult live?", text="3 Elm Road")
    _continue_by_keyboard(page)
    _answer(page, "If you do not know their date of birth, how old are they?", text="about 70")
    _continue_by_keyboard(page)
    _continue_by_keyboard(page)  # communication: nothing needed
    _answer(page, "What happened?", text="Her carer has not come for a week.")
    _continue_by_keyboard(page)
    _continue_by_keyboard(page)  # when and where: not known
    _answer(page, "How do they know the adult?", text="Paid carer")
    _continue_by_keyboard(page)
    _answer(page, "No", exact=True)
    _continue_by_keyboard(page)
    _continue_by_keyboard(page)  # what the adult wants: not known
    _answer(page, "I do not know")
    _continue_by_keyboard(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your details")
    _continue_by_keyboard(page)  # anonymous

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your report")
    send = page.get_by_role("button", name="Send report")
    _tab_to(page, send, limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    referral = Referral.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(referral.reference)
    assert referral.what_happened == "Her carer has not come for a week."
    ui.shot("sent by keyboard")
