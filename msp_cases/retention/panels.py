"""What retention adds to the person's page (registered in RetentionConfig.ready()): the tombstone of a
record disposed of, a legal hold in force, and for unit leads a link to the record's retention page."""

from enquiries.models import Person
from enquiries.panels import AFTER_RECORDS, PERSON_PAGE, Panel

from .models import Disposal, LegalHold
from .selectors import may_manage


def _person_context(*, user, person: Person) -> dict:
    holds = list(LegalHold.objects.filter(person=person, lifted_at__isnull=True))
    return {
        "retention_holds": holds,
        "retention_disposed": Disposal.objects.filter(
            person=person, status=Disposal.Status.CARRIED_OUT
        ).first(),
        "retention_manager": may_manage(user),
    }


PANELS = [
    Panel(
        id="retention.person",
        page=PERSON_PAGE,
        slot=AFTER_RECORDS,
        template="retention/_panel.html",
        context=_person_context,
    )
]
