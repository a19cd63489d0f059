"""Reads for letters: the templates, and what a letter's placeholders are filled with, read as the user may
see the case (msp_cases.access): a restricted record, a conversation or an outcome out of the user's scope
never reaches a letter's first draft."""

from django.db.models import Case, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.selectors.conversations import conversation_current_versions
from msp_cases import access
from outcomes.models import DesiredOutcome
from outcomes.selectors import outcomes_for_user

from .models import LetterTemplate
from .placeholders import ACHIEVEMENT_WORDS, MISSING

# The letters in the order a case meets them.
_CASE_ORDER = Case(
    *(When(purpose=purpose, then=Value(n)) for n, purpose in enumerate(LetterTemplate.Purpose.values)),
    default=Value(len(LetterTemplate.Purpose.values)),
)


def _in_case_order(qs: QuerySet[LetterTemplate]) -> QuerySet[LetterTemplate]:
    return qs.order_by(_CASE_ORDER, "audience", "title", "-format")  # plain language first


def template_list() -> QuerySet[LetterTemplate]:
    """Every template, for those who keep them (the view checks the permission)."""
    return _in_case_order(LetterTemplate.objects.all())


def template_get(*, pk) -> LetterTemplate:
    try:
        return LetterTemplate.objects.get(pk=pk)
    except (LetterTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def templates_offered() -> QuerySet[LetterTemplate]:
    """The templates a practitioner may make a letter from."""
    return _in_case_order(LetterTemplate.objects.filter(is_active=True))


def template_offered_get(*, pk) -> LetterTemplate:
    try:
        return templates_offered().get(pk=pk)
    except (LetterTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def letter_values(*, user, enquiry: Enquiry) -> dict[str, str | list[str]]:
    """The value of every placeholder for a letter on `enquiry` made by `user`, who may see the enquiry (the
    caller fetched it through the access rule); the person's words and outcomes are read through the same
    rule. Five queries, whatever the template uses."""
    person, concern = enquiry.person, enquiry.concern
    lead = enquiry.lead_practitioner or user
    conversations = (
        access.scoped(conversation_current_versions(), user)
        .filter(enquiry=enquiry)
        .order_by("-occurred_at", "-pk")
    )
    outcomes = list(outcomes_for_user(user).filter(enquiry=enquiry, status=DesiredOutcome.Status.ACTIVE))
    what_matters = conversations.exclude(what_matters="").values_list("what_matters", flat=True).first()
    next_contact = enquiry.next_contact_on
    address = "\n".join(part for part in (person.address.strip(), person.postcode.strip()) if part)
    return {
        "today": long_date(timezone.localdate()),
        # Never their description: while their name is not known it is "[not recorded]", to be replaced.
        "person_name": person.names,
        "person_first_name": person.preferred_name or person.given_name,
        "person_address": address,
        "practitioner_name": lead.full_name or lead.get_username(),
        "team_name": enquiry.team.name,
        "referrer_name": concern.referrer_name if concern is not None else "",
        "concern_received_on": long_date(timezone.localdate(concern.received_at)) if concern else "",
        "what_matters": what_matters or "",
        "outcomes_in_their_words": [outcome.words for outcome in outcomes],
        "outcomes_and_results": [
            f"{outcome.words}: {ACHIEVEMENT_WORDS[outcome.achievement]}"
            if outcome.achievement
            else f"{outcome.words}: {MISSING}"
            for outcome in outcomes
        ],
        "closure_summary": enquiry.closure_summary,
        "next_contact_on": f"{next_contact:%A} {long_date(next_contact)}" if next_contact else "",
    }


def enquiry_for_letter(*, user, pk) -> Enquiry:
    """The enquiry with what a letter reads from it, or 404 when out of the user's scope."""
    return access.get_in_scope_or_404(
        Enquiry.objects.select_related("person", "concern", "team", "lead_practitioner"), user, pk=pk
    )
