"""What subject access adds to the person's page: for a unit lead, the requests made for the person (with
their due dates and packs) and the link to produce a pack. Registered from SubjectAccessConfig.ready()."""

from django.urls import reverse

from enquiries.panels import PERSON_PAGE, Panel

from .rules import may_produce_pack
from .selectors import requests_for_person


def _person_context(*, user, person) -> dict:
    if not may_produce_pack(user):
        return {}
    return {
        "subject_access": {
            "requests": requests_for_person(person=person),
            "new_url": reverse("subject_access:new", args=[person.pk]),
        }
    }


PANELS = [Panel(id="subject_access.person", page=PERSON_PAGE, context=_person_context)]
