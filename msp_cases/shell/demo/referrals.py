"""Referrals waiting at the front door: one from a neighbour about someone the council already knows (so the
screening page shows a match and a repeat concern), one anonymous about an adult whose name the referrer does
not know, and one from a police officer. Sent through the online form's own service, as a referrer would;
only the moment each was sent is moved back, so one of them is overdue."""

import datetime

from django.utils import timezone

from msp_cases.core.actor import Actor
from msp_cases.frontdoor.models import Referral
from msp_cases.frontdoor.services.public import referral_submit

# (days ago, answers) — the referrers' own words.
DEMO_REFERRALS = [
    (
        4,
        {
            "referrer_type": Referral.ReferrerType.PUBLIC,
            "adult_name": "Margaret Hughes",
            "adult_date_of_birth": datetime.date(1941, 3, 12),
            "adult_address": "4 Elm Row, Northtown",
            "what_happened": (
                "Her son has been round again and she says he took her bank card. The fridge is empty and "
                "she was crying on the doorstep."
            ),
            "when_happened": "Saturday afternoon",
            "where_happened": "At her house",
            "alleged_cause": "Her son",
            "alleged_cause_relationship": "Son",
            "adult_knows": "yes",
            "adult_wishes": "She said please don't get him in trouble",
            "safe_to_contact": "yes",
            "contact_how": "Knock, she doesn't hear the phone",
            "referrer_name": "June Palmer",
            "referrer_relationship": "Neighbour",
            "referrer_phone": "01632 960123",
        },
    ),
    (
        1,
        {
            "referrer_type": Referral.ReferrerType.PUBLIC,
            "adult_description": "The older man who lives alone at number 12, with a walking frame",
            "adult_address": "12 Station Road, Southbridge",
            "adult_age": "About 80",
            "what_happened": (
                "I have not seen him for a week and there is post piling up. His curtains are shut all day. "
                "Last time I saw him he looked very thin and his clothes were dirty."
            ),
            "when_happened": "This week",
            "adult_knows": "unknown",
            "safe_to_contact": "unknown",
        },
    ),
    (
        0,
        {
            "referrer_type": Referral.ReferrerType.PROFESSIONAL,
            "adult_name": "Doris Whitfield",
            "adult_date_of_birth": datetime.date(1950, 9, 2),
            "adult_address": "Flat 3, Canal House, Southbridge",
            "adult_communication_needs": "Partially sighted",
            "what_happened": (
                "Called to a disturbance. Ms Whitfield's lodger had locked her out of her own flat "
                "overnight. She has bruising to her wrist and says he grabbed her. She is now back inside; "
                "the lodger has left for tonight."
            ),
            "when_happened": "Last night, about 11pm",
            "where_happened": "Outside her flat",
            "alleged_cause": "Her lodger, Mr Carl Dunn",
            "alleged_cause_relationship": "Lodger",
            "adult_knows": "yes",
            "adult_wishes": "She wants him to move out but is frightened of what he will do",
            "safe_to_contact": "yes",
            "contact_how": "Mobile, after 10am",
            "must_not_know": "The lodger",
            "referrer_name": "PC Sam Okoro",
            "referrer_organisation": "Northshire Police",
            "referrer_role": "Police constable",
            "referrer_phone": "01632 960456",
            "police_crime_number": "NP/26/118834",
        },
    ),
]


def demo_referrals(now: datetime.datetime | None = None) -> int:
    """Send the demo referrals once (a second run finds them). Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for days_ago, answers in DEMO_REFERRALS:
        what = answers["what_happened"]
        if Referral.objects.filter(what_happened=what).exists():
            continue
        # The public form has no signed-in user: nobody, from no address.
        referral = referral_submit(actor=Actor(user=None), answers=answers)
        Referral.objects.filter(pk=referral.pk).update(submitted_at=now - datetime.timedelta(days=days_ago))
        sent += 1
    return sent
