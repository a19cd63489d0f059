"""`{% identity_bar %}`: whose record this is, at the top of every page about one person (base.html).

Written once, here and in templates/includes/identity_bar_markup.html: the person's name, date of birth, the
"Restricted" tag, and the warnings in force (type and what to do), so "Do not call when her son is at home"
is in front of whoever is about to call, on every page about her, not only on her record.

The person comes from the page's own context: `person`, or the person of the `enquiry`, `concern`,
`conversation` or `document` the page is about. The bar shows only what the access rule lets the user see:
a record the view already found in the user's scope costs no query (`access.seen_in_scope`); anything else
is asked once (`access.is_in_scope`). The warnings are one query (`person_warnings_current`)."""

from django import template
from django.db.models import Model

from msp_cases import access

from ..models import Person
from ..selectors.warnings import person_warnings_current

register = template.Library()

# Context names of records about one person, most specific last: the first present names the person.
ABOUT_ONE_PERSON = ("person", "enquiry", "concern", "conversation", "document")


def _records(context) -> list[Model]:
    return [
        value
        for name in ABOUT_ONE_PERSON
        if isinstance(value := context.get(name), Model) and value.pk is not None
    ]


def identity_person(context) -> Person | None:
    """The one person the page is about, if the user may see them; else None (no bar)."""
    records = _records(context)
    if not records:
        return None
    first = records[0]
    person = first if isinstance(first, Person) else getattr(first, "person", None)
    if not isinstance(person, Person):
        return None
    user = context["request"].user
    # A record of this person the view fetched within the user's scope vouches for them (a person is
    # visible with any of their concerns or enquiries, under the same restriction).
    for record in [person, *records]:
        if getattr(record, "person_id", record.pk) == person.pk and access.seen_in_scope(user, record):
            return person
    return person if access.is_in_scope(user, person) else None


@register.inclusion_tag("includes/identity_bar_markup.html", takes_context=True)
def identity_bar(context) -> dict:
    if "request" not in context:
        return {"person": None}
    person = identity_person(context)
    return {"person": person, "warnings": person_warnings_current(person) if person else []}
