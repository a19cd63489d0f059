"""The "High contrast" switch in the footer: yellow on black, kept in a cookie across pages and sign-ins."""

import re

import pytest
from playwright.sync_api import expect

from msp_cases.core.context_processors import CONTRAST_COOKIE

pytestmark = pytest.mark.browser

HIGH_CONTRAST = re.compile(r"\bapp-high-contrast\b")
BLACK = "rgb(0, 0, 0)"


def _body_background(page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")


def _toggle(page):
    return page.locator("footer").get_by_role("button", name="High contrast")


def test_high_contrast_turns_on_persists_across_pages_and_sign_ins_and_turns_off(ui, demo_cases):
    page = ui.page
    html = page.locator("html")
    ui.sign_in("practitioner.north@example.org")
    expect(html).not_to_have_class(HIGH_CONTRAST)
    assert _body_background(page) != BLACK
    expect(_toggle(page)).to_have_attribute("aria-pressed", "false")
    ui.shot("normal colours")

    with page.expect_navigation():
        _toggle(page).click()
    expect(html).to_have_class(HIGH_CONTRAST)
    assert _body_background(page) == BLACK
    expect(_toggle(page)).to_have_attribute("aria-pressed", "true")
    # The switch brings you back to the page you were on.
    expect(page).to_have_url(re.compile(r"/caseload/"))
    ui.shot("high contrast on")

    page.get_by_role("link", name=re.compile("^Joseph Wright")).first.click()
    expect(page.locator("h1")).to_have_text(re.compile("^Enquiry opened"))
    expect(html).to_have_class(HIGH_CONTRAST)
    assert _body_background(page) == BLACK
    ui.shot("still on after navigation")

    ui.sign_out()
    expect(html).to_have_class(HIGH_CONTRAST)
    assert _body_background(page) == BLACK
    ui.shot("still on when signed out")

    ui.sign_in("practitioner.north@example.org")
    expect(html).to_have_class(HIGH_CONTRAST)
    assert _body_background(page) == BLACK
    ui.shot("still on after signing in again")

    with page.expect_navigation():
        _toggle(page).click()
    expect(html).not_to_have_class(HIGH_CONTRAST)
    assert _body_background(page) != BLACK
    expect(_toggle(page)).to_have_attribute("aria-pressed", "false")
    ui.shot("high contrast off")

    page.reload()
    expect(html).not_to_have_class(HIGH_CONTRAST)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="App bug: in high contrast the area below the footer on a short page stays GOV.UK's light "
    "template colour. static/src/application.scss sets '.app-high-contrast .govuk-template' (a descendant), "
    "but both classes are on <html> itself. Fix: inside .app-high-contrast use "
    "'&.govuk-template { background-color: $hc-bg; }' (or set background-color on .app-high-contrast).",
)
def test_high_contrast_makes_the_whole_window_black_not_just_the_body(ui, demo_cases):
    page = ui.page
    page.context.add_cookies([{"name": CONTRAST_COOKIE, "value": "high", "url": ui.base_url}])
    ui.sign_in("practitioner.north@example.org")
    # A short page, so the window shows below the footer.
    ui.goto(f"/enquiries/{demo_cases['DEMO-004'].enquiry}/")
    expect(page.locator("html")).to_have_class(HIGH_CONTRAST)
    ui.shot("short page in high contrast")
    assert page.evaluate("() => getComputedStyle(document.documentElement).backgroundColor") == BLACK
