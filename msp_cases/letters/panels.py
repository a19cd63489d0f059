"""What letters add to the enquiry page: "Make a letter" for those who may change the case, below the
buttons (the letter made is then listed with the documents). Registered from LettersConfig.ready()."""

from django.urls import reverse

from enquiries.panels import AFTER_ACTIONS, ENQUIRY_PAGE, Panel
from msp_cases.accounts.roles import EDIT_CASE


def _enquiry_context(*, user, enquiry) -> dict:
    may_make = user.has_perm(EDIT_CASE, enquiry)
    return {"letters_make_url": reverse("letters:choose", args=[enquiry.pk]) if may_make else ""}


PANELS = [
    Panel(
        id="letters.enquiry",
        page=ENQUIRY_PAGE,
        slot=AFTER_ACTIONS,
        template="letters/_enquiry_panel.html",
        context=_enquiry_context,
    ),
]
