"""The one small wrapper around WeasyPrint (STYLE.md): HTML in, PDF bytes out. Called from the export task,
never from a request (msp_cases.exports.rendering.export_render), and from the blank_form_pdf command."""

import logging

from django.conf import settings
from django.template.loader import render_to_string

# WeasyPrint reports every layout step at INFO (even while importing): noise in the service's logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402


def html_to_pdf(html: str, base_url: str) -> bytes:
    return HTML(string=html, base_url=base_url).write_pdf()


def template_to_pdf(template: str, context: dict) -> bytes:
    """A PDF from a template extending templates/pdf/base.html (the marking, page numbers and who generated
    it and when come from `generated_by` and `generated_at` in `context`)."""
    return html_to_pdf(render_to_string(template, context), base_url=str(settings.BASE_DIR))
