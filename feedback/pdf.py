"""The one small wrapper around WeasyPrint (STYLE.md): HTML in, PDF bytes out."""

import logging

# WeasyPrint reports every layout step at INFO (even while importing): noise in the service's logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402


def html_to_pdf(html: str, base_url: str) -> bytes:
    return HTML(string=html, base_url=base_url).write_pdf()
