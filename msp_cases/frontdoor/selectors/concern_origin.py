"""Where a concern came from, for its page: the referral it was recorded from at the front door, if any.

The concern is already in the user's scope (the page found it through the one access rule); what this adds
is only how it arrived, never the referrer's words or details: who reported it (a professional or a member
of the public), the reference they were given, and who screened it. One query, on every concern page."""

from ..models import Referral


def concern_origin_context(*, user, concern) -> dict:
    referral = (
        Referral.objects.select_related("screened_by")
        .only(
            "reference",
            "referrer_type",
            "referrer_anonymous",
            "submitted_at",
            "screened_at",
            "concern_id",
            "screened_by__full_name",
            "screened_by__email",
        )
        .filter(concern_id=concern.pk)
        .first()
    )
    return {"frontdoor_referral": referral}
