"""The demo's warning: Margaret Hughes's son takes her pension, so she is not called while he is there."""

import datetime

from django.utils import timezone

from enquiries.models import Person
from enquiries.services.warnings import person_warning_add
from msp_cases.accounts.models import User
from msp_cases.core.actor import Actor

WARNINGS = {
    "DEMO-001": {
        "type": "safe_contact",
        "what_to_do": "Do not call when her son is at home. Call on weekday mornings; he visits on Sundays.",
        "person_told": "yes",
        "not_told_reason": "",
    },
}


def demo_warnings(*, recorded_by: User, agreed_with: User) -> None:
    """Recorded by the North practitioner, agreed with the North manager, to be reviewed in three months."""
    today = timezone.localdate()
    for key, fields in WARNINGS.items():
        person = Person.objects.filter(local_identifier=key).first()
        if person is None or person.warnings.exists():
            continue
        person_warning_add(
            actor=Actor.of(recorded_by),
            person=person,
            fields={
                **fields,
                "starts_on": today,
                "review_on": today + datetime.timedelta(days=90),
                "agreed_with": agreed_with,
            },
        )
