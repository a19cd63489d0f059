"""The apps built on enquiries plug into its pages (enquiries.panels) and its closure gate
(enquiries.services.completeness) from their AppConfig.ready(); enquiries' pages, selectors and services
never import them."""

import ast
import pathlib

import pytest
from django.urls import reverse

from enquiries import panels
from enquiries.panels import ENQUIRY_PAGE, Panel

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_the_outcomes_and_feedback_apps_register_their_sections_in_order():
    # Other apps (transfers, documents) register sections on the enquiry page too; among the registered
    # sections, the outcomes app's come before the feedback app's (INSTALLED_APPS order), each in its slot.
    registered = [(p.id, p.slot) for p in panels.panels(ENQUIRY_PAGE)]
    assert [(id_, slot) for id_, slot in registered if id_.split(".")[0] in ("outcomes", "feedback")] == [
        ("outcomes.what_i_want", panels.AFTER_WHAT_MATTERS),
        ("feedback.case_file_audits", panels.AFTER_ACTIONS),
        ("feedback.experience", panels.BEFORE_DETAILS),
    ]
    # Every section has its own id and a slot the page has, so none is dropped or shown twice.
    assert len({id_ for id_, _ in registered}) == len(registered)
    assert all(slot in panels.SLOTS[ENQUIRY_PAGE] for _, slot in registered)
    assert "outcomes.history" in [s.id for s in panels.timeline_sources()]


def test_the_enquiry_page_shows_each_registered_section_where_it_belongs(
    world, monkeypatch, practitioner_client
):
    enquiry = world.cases["north"][2]
    html = practitioner_client.get(reverse("enquiries:enquiry_detail", args=[enquiry.pk])).content.decode()
    assert (
        html.index('id="what-matters-title"') < html.index('id="desired-outcomes"') < html.index(">Summary<")
    )
    assert html.index('id="experience"') < html.index("Risk, capacity, advocacy and outcomes")

    # A section registered by another app appears in its slot, with what its context function returns.
    extra = Panel(
        id="tests.extra",
        page=ENQUIRY_PAGE,
        slot=panels.AFTER_ACTIONS,
        template="outcomes/_enquiry_panel.html",
        context=lambda *, user, enquiry: {"outcomes_withdrawn_count": 7},
    )
    monkeypatch.setattr(panels, "_PANELS", [*panels._PANELS, extra])
    html = practitioner_client.get(reverse("enquiries:enquiry_detail", args=[enquiry.pk])).content.decode()
    assert html.count('id="desired-outcomes"') == 2
    assert "7 withdrawn outcomes kept on the record" in html


def test_a_panel_must_name_a_place_on_its_page():
    with pytest.raises(ValueError):
        panels.register_panel(Panel(id="tests.bad", page=ENQUIRY_PAGE, slot="nowhere", template="x.html"))


@pytest.mark.parametrize("folder", ["enquiries/views", "enquiries/selectors", "enquiries/services"])
def test_enquiries_never_imports_the_apps_built_on_it(folder):
    reaching_up = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            reaching_up += [
                f"{path.relative_to(ROOT)}: {name}"
                for name in names
                if name.split(".")[0] in {"outcomes", "feedback"}
            ]
    assert reaching_up == []


def test_the_feedback_app_registers_its_drift_rule():
    from enquiries.models.drift import DriftRule
    from enquiries.services.drift import RULES
    from enquiries.services.drift.rules import REGISTERED

    spec = REGISTERED[DriftRule.PART2_OUTSTANDING]
    assert spec.due.__module__ == "feedback.drift"
    assert RULES[DriftRule.PART2_OUTSTANDING] is spec.due
