"""The one small wrapper around WeasyPrint (STYLE.md): HTML in, PDF bytes out. Called from the export task,
never from a request (msp_cases.exports.rendering.export_render), and from the blank_form_pdf command.

Every PDF is tagged for accessibility, as WeasyPrint's PDF/UA-1 variant makes it: a structure tree a screen
reader follows in reading order (headings H1-H3, paragraphs, lists, tables with their header cells linked to
the cells they head, charts as figures with the SVG's <title> as their alternative text), the document
language from `<html lang>` and the title from `<title>`, shown by a PDF reader instead of the file name. The
marking and page numbers in the page margins are left out of the tree, so they are not read on every page.
The page layout and the rules that keep headings with what follows are in templates/pdf/base.html."""

import logging

from django.conf import settings
from django.template.loader import render_to_string

# WeasyPrint reports every layout step at INFO (even while importing): noise in the service's logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402

# PDF 1.7 with tags, the PDF/UA identification in the XMP metadata, and the title shown as the window title.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, base_url: str) -> bytes:
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)


def template_to_pdf(template: str, context: dict) -> bytes:
    """A PDF from a template extending templates/pdf/base.html (the marking, page numbers and who generated
    it and when come from `generated_by` and `generated_at` in `context`)."""
    return html_to_pdf(render_to_string(template, context), base_url=str(settings.BASE_DIR))
