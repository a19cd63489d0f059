"""What the record says about each checklist question, shown to the auditor as a hint beside the question.
Hints are never answers: the record suggests, the form starts empty and the auditor chooses."""

from django.db.models import Count, Min, Q

from enquiries.models import AgreedDateChange, ConversationLog, Enquiry
from enquiries.models.choices import DecisionMadeBy, LacksCapacity, OutcomesAsked, YesNoUnknown
from outcomes.models import DesiredOutcome, ExpressedBy

from ..models import ExperienceFeedbackPart1, ExperienceFeedbackPart2


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def checklist_hints(*, enquiry: Enquiry) -> dict[str, str]:
    """One short sentence of facts per checklist item, from a handful of queries. No names or case text."""
    outcomes = DesiredOutcome.objects.filter(enquiry=enquiry).aggregate(
        total=Count("pk"), in_own_words=Count("pk", filter=Q(expressed_by=ExpressedBy.PERSON))
    )
    talks = ConversationLog.objects.filter(enquiry=enquiry).aggregate(
        first_with_person=Min("occurred_at", filter=Q(with_person=True)),
        against_wishes=Count("pk", filter=Q(decision_made_by=DecisionMadeBy.AGAINST_WISHES)),
        against_wishes_explained=Count(
            "pk", filter=Q(decision_made_by=DecisionMadeBy.AGAINST_WISHES) & ~Q(against_wishes_reason="")
        ),
    )
    part1 = ExperienceFeedbackPart1.objects.filter(enquiry=enquiry).first()
    part2 = ExperienceFeedbackPart2.objects.filter(enquiry=enquiry).first()
    actions = enquiry.plan_actions.aggregate(
        total=Count("pk"), agreed=Count("pk", filter=Q(agreed_with_person=True))
    )
    moves = AgreedDateChange.objects.filter(enquiry=enquiry).aggregate(
        total=Count("pk"), agreed=Count("pk", filter=Q(person_agreed=True))
    )

    hints = {}
    hints["outcomes_own_words"] = (
        f"The record says: {_plural(outcomes['total'], 'desired outcome')} recorded, "
        f"{outcomes['in_own_words']} said by the person; asked about outcomes: "
        f"{OutcomesAsked(enquiry.outcomes_asked).label}."
    )
    first = talks["first_with_person"]
    if first is None:
        involved = "no conversation with the person is recorded"
    else:
        days = (first.date() - enquiry.opened_at.date()).days
        involved = (
            "first conversation with the person on the day the enquiry opened"
            if days <= 0
            else f"first conversation with the person {_plural(days, 'day')} after the enquiry opened"
        )
    hints["involved_from_start"] = (
        f"The record says: {involved}; Part 1 {'recorded' if part1 else 'not recorded'}."
    )
    capacity = LacksCapacity(enquiry.lacks_capacity).label
    difficulty = (
        YesNoUnknown(enquiry.substantial_difficulty).label
        if enquiry.substantial_difficulty
        else "not recorded"
    )
    support = enquiry.get_capacity_support_display() or "not recorded"
    referral = (
        f"advocacy referral on {enquiry.advocacy_referral_on:%-d %B %Y}"
        if enquiry.advocacy_referral_on
        else "no advocacy referral recorded"
    )
    hints["advocate_considered"] = (
        f"The record says: capacity: {capacity}; substantial difficulty: {difficulty}; support: {support}; "
        f"{referral}."
    )
    if part2 is None:
        sought = "Part 2 not recorded"
    elif part2.approached:
        sought = "Part 2 recorded: the person was approached"
    else:
        sought = f"Part 2 recorded: not approached ({part2.get_not_approached_reason_display().lower()})"
    hints["part2_sought"] = f"The record says: {sought}."
    if talks["against_wishes"]:
        hints["against_wishes_explained"] = (
            f"The record says: {_plural(talks['against_wishes'], 'decision')} against the person's wishes, "
            f"{talks['against_wishes_explained']} with the reason recorded."
        )
    else:
        hints["against_wishes_explained"] = (
            "The record says: no decision against the person's wishes recorded."
        )
    next_contact = "a next contact agreed" if enquiry.next_contact_on else "no next contact agreed"
    hints["timescales_agreed"] = (
        f"The record says: {actions['agreed']} of {_plural(actions['total'], 'plan action')} agreed with the "
        f"person; {moves['agreed']} of {_plural(moves['total'], 'date change')} agreed by them; "
        f"{next_contact}."
    )
    return hints
