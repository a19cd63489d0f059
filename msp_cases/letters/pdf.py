"""The letter as a PDF, through the one WeasyPrint wrapper (msp_cases.core.pdf): tagged (PDF/UA-1), its title
the letter's heading, in British English. Easy read in large type with short lines and space between them;
plain language in ordinary letter type."""

from django.utils import timezone

from msp_cases.core.pdf import template_to_pdf

from .placeholders import blocks


def letter_context(
    *, heading: str, text: str, recipient_name: str, recipient_address: str, team_name: str, easy_read: bool
) -> dict:
    return {
        "heading": heading,
        "blocks": blocks(text),
        "recipient_name": recipient_name,
        "recipient_address": recipient_address,
        "team_name": team_name,
        "easy_read": easy_read,
        "today": timezone.localdate(),
    }


def letter_pdf(**context) -> bytes:
    return template_to_pdf("letters/pdf/letter.html", letter_context(**context))
