"""What the register adds to the case pages (registered in ReviewsConfig.ready): the Safeguarding Adults
Reviews linked to the enquiry's person or the enquiry itself, and to the person on their page, read-only, for
whoever may see that page. Other individuals of a review are counted, never named, here."""

from enquiries.models import Enquiry, Person
from enquiries.panels import AFTER_RECORDS, BEFORE_DETAILS, ENQUIRY_PAGE, PERSON_PAGE, Panel

from .selectors import may_keep_reviews, reviews_linked_to


def _enquiry_context(*, user, enquiry: Enquiry) -> dict:
    return {
        "reviews_linked": reviews_linked_to(user=user, person=enquiry.person, enquiry=enquiry),
        "reviews_keeper": may_keep_reviews(user),
    }


def _person_context(*, user, person: Person) -> dict:
    return {
        "reviews_linked": reviews_linked_to(user=user, person=person),
        "reviews_keeper": may_keep_reviews(user),
    }


PANELS = [
    Panel(
        id="reviews.enquiry",
        page=ENQUIRY_PAGE,
        slot=BEFORE_DETAILS,
        template="reviews/_panel.html",
        context=_enquiry_context,
    ),
    Panel(
        id="reviews.person",
        page=PERSON_PAGE,
        slot=AFTER_RECORDS,
        template="reviews/_panel.html",
        context=_person_context,
    ),
]
