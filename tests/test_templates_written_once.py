"""Markup written once: the "Restricted" tag has one template, so every page marks a restricted person the
same way, and a change to how it looks happens in one place."""

from pathlib import Path

import pytest
from django.template.loader import render_to_string

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_the_restricted_tag_is_written_in_one_template():
    writers = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if 'govuk-tag--red">Restricted' in path.read_text() or 'govuk-tag--red">{{ label' in path.read_text()
    )
    assert writers == ["includes/restricted_tag.html"]


@pytest.mark.parametrize(
    ("restricted", "label", "shown"),
    [(True, None, "Restricted"), (True, "Restricted record", "Restricted record"), (False, None, "")],
)
def test_the_restricted_tag_shows_only_for_a_restricted_person(restricted, label, shown):
    class Person:
        is_restricted = restricted

    context = {"person": Person()}
    if label:
        context["label"] = label
    html = render_to_string("includes/restricted_tag.html", context).strip()
    assert html == (f'<strong class="govuk-tag govuk-tag--red">{shown}</strong>' if shown else "")


def test_page_scripts_live_in_static_src_not_inline_in_templates():
    # base.html keeps the two lines that must run before the bundle (js-enabled, GOV.UK Frontend's initAll);
    # every other script is a file in static/src, built into static/dist, under the same CSP.
    inline = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "<script nonce" in path.read_text() or '<script type="module" nonce' in path.read_text()
    )
    assert inline == ["base.html"]


def test_the_sub_navigation_is_written_in_one_template():
    writers = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if 'class="moj-sub-navigation' in path.read_text()
    )
    assert writers == ["includes/sub_navigation.html"]


def test_the_sub_navigation_marks_the_view_shown_and_escapes_what_it_shows():
    html = render_to_string(
        "includes/sub_navigation.html",
        {
            "label": "Which enquiries",
            "items": [("All open", "?show=open", False), ("Closed <old>", "?show=closed", True)],
        },
    )
    assert '<nav class="moj-sub-navigation" aria-label="Which enquiries">' in html
    assert '<a class="moj-sub-navigation__link" href="?show=open">All open</a>' in html
    assert (
        '<a class="moj-sub-navigation__link" href="?show=closed" aria-current="page">Closed &lt;old&gt;</a>'
        in html
    )


def test_the_identity_bar_is_written_in_one_template_and_shown_from_base_html():
    # One markup, rendered by one tag ({% identity_bar %}) from base.html: no page writes a bar of its own,
    # which would miss the person's warnings.
    writers = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "moj-identity-bar" in path.read_text()
    )
    assert writers == ["includes/identity_bar_markup.html"]
