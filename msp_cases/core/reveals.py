"""Conditional reveals: questions that show under a radio only once it is chosen, as GOV.UK Frontend's radios
do (design-system.service.gov.uk/components/radios, "Conditionally revealing a related question").

The markup is GOV.UK Frontend 6's own (node_modules/govuk-frontend/dist/govuk/components/radios/
template.njk): each controlling radio has `data-aria-controls`, the revealed block is a
`govuk-radios__conditional` straight after its radio, hidden with `govuk-radios__conditional--hidden` unless
its radio is the one chosen. Without JavaScript that class hides nothing (GOV.UK's CSS applies it only under
`govuk-frontend-supported`), so every question is shown and the form still works.

Two differences, both in static/src/radios.js:
- GOV.UK Frontend 6.6's Radios module sets `aria-expanded` on each radio, which ARIA does not allow on a
  radio (axe-core: aria-allowed-attr; alphagov/govuk-frontend#979 keeps it knowingly). Our module,
  `data-module="app-radios"`, is GOV.UK's Radios class with that one attribute left out.
- One block may be revealed by several answers (a note asked for "Partly" and for "No"), and a block may
  stand elsewhere on the page (Part 2's answers, asked when the person was approached or when someone in
  their best interests answered): it is shown while any radio pointing at it is chosen.

The server still decides what is required: hidden questions are only hidden (each form's clean() and the
services ask only for the branch chosen)."""

from dataclasses import dataclass, field

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Reveal:
    """The questions shown when the radio's value is one of `values` (strings, as the form posts them).
    With `target`, nothing is rendered here: the radios point at the element of that id elsewhere on the
    page (a RevealedSection)."""

    values: tuple[str, ...]
    fields: tuple = field(default=())
    target: str = ""

    @classmethod
    def on(cls, *values: str, target: str = "") -> "Reveal":
        return cls(values=tuple(values), target=target)

    def showing(self, *fields) -> "Reveal":
        return Reveal(values=self.values, fields=tuple(fields), target=self.target)


def _value(bound_field) -> str:
    value = bound_field.value()
    return "" if value is None else str(value)


class RevealRadios(LayoutObject):
    """A radios question whose answers reveal questions:

    RevealRadios("decision", Reveal.on("no_further_action").showing(Field.textarea("response")))"""

    template = "includes/reveal_radios.html"

    def __init__(self, field_name: str, *reveals: Reveal, legend_size: str = "", small: bool = False):
        self.field = field_name
        self.fields = [field_name]  # crispy: the field this object renders
        self.reveals = reveals
        self.legend_size = legend_size
        self.small = small

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        bound = form[self.field]
        current = _value(bound)
        choices = [(str(value), label) for value, label in bound.field.choices if str(value) != ""]
        values = [value for value, _ in choices]
        blocks = []
        for number, reveal in enumerate(self.reveals, start=1):
            block_id = reveal.target or f"conditional-{bound.html_name}-{number}"
            html = "".join(
                render_field(f, form, context, template_pack=template_pack, **kwargs) for f in reveal.fields
            )
            present = [v for v in values if v in reveal.values]
            blocks.append(
                {
                    "reveal": reveal,
                    "id": block_id,
                    "html": mark_safe(html),  # noqa: S308 - crispy's own rendering of the form's fields
                    "shown": current in reveal.values,
                    "after": "" if reveal.target or not present else present[-1],
                }
            )
        items = []
        for value, label in choices:
            controls = next((b["id"] for b in blocks if value in b["reveal"].values), "")
            after = [b for b in blocks if b["after"] == value]
            items.append({"choice": (value, label), "controls": controls, "blocks": after})
        with context.push(
            field=bound,
            items=items,
            legend_size=self.legend_size,
            radios_small=self.small,
            radios_inline=False,
        ):
            html = render_to_string(self.template, context.flatten())
        error = " govuk-form-group--error" if bound.errors else ""
        return format_html('<div class="govuk-form-group{}">{}</div>', error, mark_safe(html))  # noqa: S308


class RevealedSection(LayoutObject):
    """Questions elsewhere on the page, shown while any of the radios in `when` (field name → values) is
    chosen; those radios point at it with Reveal.on(..., target=section_id)."""

    def __init__(self, section_id: str, *fields, when: dict[str, tuple[str, ...]]):
        self.section_id = section_id
        self.fields = list(fields)
        self.when = when

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        shown = any(_value(form[name]) in values for name, values in self.when.items())
        html = "".join(
            render_field(f, form, context, template_pack=template_pack, **kwargs) for f in self.fields
        )
        return format_html(
            '<div id="{}" class="app-revealed-section{}">{}</div>',
            self.section_id,
            "" if shown else " govuk-radios__conditional--hidden",
            mark_safe(html),  # noqa: S308 - crispy's own rendering of the form's fields
        )
