"""The access rule, in one place.

Who may see a case record:
- a **practitioner** sees the concerns and enquiries of their team(s) and those allocated to them;
- a **manager** sees their teams' (managers are members of the teams they manage);
- **safeguarding unit** staff see every team's records, read-only (permission `view_all_cases`);
- a **restricted** person (e.g. the adult is a member of staff) and all their records are visible only to
  the users named on the record and to unit leads (permission `view_restricted_records`), whatever the above;
- a person is visible when one of their concerns or enquiries is, or to whoever recorded them;
- an **administrator** manages accounts and teams and sees no case records by that role alone.

Every selector, view, export and report builds its queryset from the `*_scope` functions below, so the list
a user sees, the object they may open and the figures they may report can never disagree. Single objects
are fetched with `get_in_scope_or_404`: out of scope is "Page not found", so existence is not leaked.
"""

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils.functional import LazyObject

from msp_cases.accounts.roles import (
    KEEP_REVIEWS,
    SCREEN_REFERRAL,
    VIEW_ALL_CASES,
    VIEW_CONCERN,
    VIEW_ENQUIRY,
    VIEW_PERSON,
    VIEW_RESTRICTED,
)

NOTHING = Q(pk__in=[])


def _can_see_cases(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _case_model(label: str) -> type[Model]:
    """A case model by its label, as the scopes below name them: the rule is written over the enquiries
    app's models, which sit in a layer above this one, so it looks them up rather than importing them."""
    return apps.get_model(label)


def _restriction_q(user, person_id_field: str) -> Q:
    """Restricted people are hidden unless the user is named on the record or is a unit lead: "not one of
    the restricted people this user may not see", a NOT IN over the few restricted people (hashed once per
    query), rather than a join of every row to its person."""
    if user.has_perm(VIEW_RESTRICTED):
        return Q()
    return ~restricted_hidden_q(user, person_id_field)


def restricted_hidden_q(user, person_id_field: str = "person_id") -> Q:
    """Rows about a restricted person `user` may not see: the restriction part of the rule alone, for what
    is counted or sent over records whose team part is already decided (a team's figures, the recipients
    of a reminder, the record of access, the duplicate check). Use with `.exclude()`: restricted people
    are few, so it is a small NOT IN, not a join of every row to its person."""
    Person = _case_model("enquiries.Person")

    if user.has_perm(VIEW_RESTRICTED):
        return NOTHING
    named = Person.restricted_to.through.objects.filter(user_id=user.pk).values("person_id")
    hidden = Person.objects.filter(is_restricted=True).exclude(pk__in=named).values("pk")
    return Q(**{f"{person_id_field}__in": hidden})


def restricted_readers(person_ids) -> tuple[set[int], set[tuple[int, int]]]:
    """Who may see these restricted people, for many records at once (two queries, whatever the number):
    the active users who see every restricted person (unit leads, `VIEW_RESTRICTED`), and the
    (person id, user id) pairs of those named on each record. For choosing who is sent a reminder about a
    case, where asking `has_perm` of each candidate would be a query per person."""
    from django.contrib.auth.backends import ModelBackend

    Person = _case_model("enquiries.Person")
    # The backend that reads groups and user permissions (superusers included), as `has_perm` does.
    leads = ModelBackend().with_perm(VIEW_RESTRICTED, is_active=True)
    named = Person.restricted_to.through.objects.filter(person_id__in=list(person_ids), user__is_active=True)
    return set(leads.values_list("pk", flat=True)), set(named.values_list("person_id", "user_id"))


def _team_ids(user) -> list[int]:
    """The user's teams, read once per user object (as Django keeps a user's permissions on the object)."""
    if not hasattr(user, "_access_team_ids"):
        from msp_cases.accounts.models import Team

        user._access_team_ids = sorted(Team.objects.filter(members=user).values_list("pk", flat=True))
    return user._access_team_ids


def _team_or_allocated_q(user, worker_field: str) -> Q:
    """The user's teams' records or those allocated to them. The teams are written as literal ids, so the
    planner combines two index scans (by team, by worker) with exact estimates for each; as `team IN
    (subquery) OR worker = …` it could use neither index and read the whole table on every page."""
    return Q(team_id__in=_team_ids(user)) | Q(**{worker_field: user.pk})


def concern_scope(user) -> Q:
    if not _can_see_cases(user):
        return NOTHING
    if user.has_perm(VIEW_ALL_CASES):
        base = Q()
    elif user.has_perm(VIEW_CONCERN):
        base = _team_or_allocated_q(user, "allocated_to")
    else:
        return NOTHING
    return base & _restriction_q(user, "person_id")


def enquiry_scope(user) -> Q:
    if not _can_see_cases(user):
        return NOTHING
    if user.has_perm(VIEW_ALL_CASES):
        base = Q()
    elif user.has_perm(VIEW_ENQUIRY):
        base = _team_or_allocated_q(user, "lead_practitioner")
    else:
        return NOTHING
    return base & _restriction_q(user, "person_id")


def person_scope(user) -> Q:
    if not _can_see_cases(user):
        return NOTHING
    if user.has_perm(VIEW_ALL_CASES):
        base = Q()
    elif user.has_perm(VIEW_PERSON):
        base = Q(created_by=user.pk)
        for has_case in _has_case_in_scope(user):
            base |= has_case
    else:
        return NOTHING
    return base & _restriction_q(user, "pk")


def _has_case_in_scope(user) -> list[Exists]:
    """One of the person's concerns or enquiries is visible to a user who sees their teams' and their own:
    a concern of the person in the user's teams, or allocated to them, or an enquiry in their teams, or led
    by them — one EXISTS per column, each answered from an index on (that column) INCLUDE (person) alone
    (migration 0013). As one EXISTS per table with `team IN (…) OR worker = …` inside, PostgreSQL read every
    row of the user's teams' concerns and enquiries from the table on each search (8,500 pages for a team
    of 6,700 concerns at 1,000,000 concerns). The restriction part of the concern and enquiry rules is
    left out here: it is about the same person, and `person_scope` applies it to them."""
    Enquiry = _case_model("enquiries.Enquiry")
    SafeguardingConcern = _case_model("enquiries.SafeguardingConcern")

    teams = _team_ids(user)
    tables = []
    if user.has_perm(VIEW_CONCERN):
        tables.append((SafeguardingConcern.objects.filter(person=OuterRef("pk")), "allocated_to"))
    if user.has_perm(VIEW_ENQUIRY):
        tables.append((Enquiry.objects.filter(person=OuterRef("pk")), "lead_practitioner"))
    has_case = []
    for cases, worker_field in tables:
        if teams:
            has_case.append(Exists(cases.filter(team_id__in=teams)))
        has_case.append(Exists(cases.filter(**{worker_field: user.pk})))
    return has_case


def person_match_scope(user) -> Q:
    """People the front door may match a referral's adult against: every team's, because a referral can be
    about anyone the council knows, but restricted people only for those entitled to them (named on the
    record, or unit leads), as everywhere. For the match list alone, which shows name, date of birth,
    address and NHS number and nothing of the person's cases: it opens no person page (`person_scope`
    still decides those)."""
    if not _can_see_cases(user) or not user.has_perm(SCREEN_REFERRAL):
        return NOTHING
    return _restriction_q(user, "pk")


def care_provider_scope(user) -> Q:
    """Care providers (organisations named on concerns as alleged to have caused harm). Unit and front-door
    staff see every one, as a pattern of concerns about one provider shows only across teams; anyone else
    sees a provider only through a concern in their scope that names it."""
    SafeguardingConcern = _case_model("enquiries.SafeguardingConcern")

    if not _can_see_cases(user):
        return NOTHING
    if user.has_perm(VIEW_ALL_CASES) or user.has_perm(SCREEN_REFERRAL):
        return Q()
    if user.has_perm(VIEW_CONCERN):
        named = SafeguardingConcern.objects.filter(concern_scope(user), alleged_provider=OuterRef("pk"))
        return Q(Exists(named))
    return NOTHING


def care_provider_concern_scope(user) -> Q:
    """The concerns a user sees listed by date, type and team alone (a provider's page, repeat concerns):
    their own (`concern_scope`), or for front-door staff, who screen referrals about every team's people,
    every team's, with restricted people's only where entitled. Opening one is still `concern_scope`'s."""
    if not _can_see_cases(user):
        return NOTHING
    if user.has_perm(SCREEN_REFERRAL):
        return _restriction_q(user, "person_id")
    return concern_scope(user)


def _in_scope_of(field: str, model_label: str, user) -> Q:
    parent = _case_model(model_label)
    return Q(**{f"{field}__in": parent.objects.filter(_SCOPES[model_label](user)).values("pk")})


def enquiry_child_scope(user) -> Q:
    """Plan actions, meetings and enquiry events: visible with their enquiry."""
    return _in_scope_of("enquiry", "enquiries.Enquiry", user)


def network_scope(user) -> Q:
    """The person's network: visible with the person."""
    return _in_scope_of("person", "enquiries.Person", user)


def _parent_in_scope(field: str, model_label: str, user) -> Exists:
    """The row's own parent (`field`) is in scope: a lookup by primary key per row, not a pass over every
    record the user may see."""
    parent = _case_model(model_label)
    return Exists(parent.objects.filter(_SCOPES[model_label](user), pk=OuterRef(field)))


def conversation_scope(user) -> Q:
    """A conversation is visible with the enquiry it belongs to; failing that the concern; failing that the
    person (a conversation before any concern was recorded).

    Conversations are read a case at a time (a timeline, one entry), so each branch asks about the row's own
    enquiry, concern or person. As three `IN (everything in scope)` lists under an OR, which the planner
    cannot turn into joins, every enquiry page computed the whole scope and the planner's estimate (10⁸ rows)
    set PostgreSQL's JIT compiling for seconds."""
    return (
        _parent_in_scope("enquiry", "enquiries.Enquiry", user)
        | (Q(enquiry__isnull=True) & _parent_in_scope("concern", "enquiries.SafeguardingConcern", user))
        | (
            Q(enquiry__isnull=True, concern__isnull=True)
            & _parent_in_scope("person", "enquiries.Person", user)
        )
    )


def _document_state_q(user) -> Q:
    """What a document's rule adds to its record's: one removed in error stays for unit staff alone."""
    return Q() if user.has_perm(VIEW_ALL_CASES) else Q(removed_at__isnull=True)


def document_scope(user) -> Q:
    """A document is visible with the record it was added to: its conversation, failing that its enquiry
    (a meeting's documents name the meeting's enquiry), failing that its concern, failing that its person.
    One "removed in error" stays only for safeguarding unit staff, who keep the file and its history."""
    if not _can_see_cases(user):
        return NOTHING
    on_record = (
        (Q(conversation__isnull=False) & _parent_in_scope("conversation", "enquiries.ConversationLog", user))
        | (
            Q(conversation__isnull=True, enquiry__isnull=False)
            & _parent_in_scope("enquiry", "enquiries.Enquiry", user)
        )
        | (
            Q(conversation__isnull=True, enquiry__isnull=True, concern__isnull=False)
            & _parent_in_scope("concern", "enquiries.SafeguardingConcern", user)
        )
        | (
            Q(conversation__isnull=True, enquiry__isnull=True, concern__isnull=True)
            & _parent_in_scope("person", "enquiries.Person", user)
        )
    )
    return on_record & _document_state_q(user)


def review_scope(user) -> Q:
    """Safeguarding Adults Reviews: the register is the safeguarding unit's (`KEEP_REVIEWS`), every review in
    it; anyone else sees a review only through a record of theirs it is linked to: an enquiry or concern it
    names that they may see, or one of its individuals whose person they may see."""
    if not _can_see_cases(user):
        return NOTHING
    if user.has_perm(KEEP_REVIEWS):
        return Q()
    Enquiry = _case_model("enquiries.Enquiry")
    SafeguardingConcern = _case_model("enquiries.SafeguardingConcern")
    Person = _case_model("enquiries.Person")
    review = OuterRef("pk")
    return (
        Q(Exists(Enquiry.objects.filter(enquiry_scope(user), safeguarding_adults_reviews=review)))
        | Q(
            Exists(
                SafeguardingConcern.objects.filter(concern_scope(user), safeguarding_adults_reviews=review)
            )
        )
        | Q(Exists(Person.objects.filter(person_scope(user), review_individuals__review=review)))
    )


_SCOPES = {
    "enquiries.Person": person_scope,
    "enquiries.SafeguardingConcern": concern_scope,
    "enquiries.Enquiry": enquiry_scope,
    "enquiries.NetworkMember": network_scope,
    "enquiries.PersonWarning": network_scope,  # visible with the person, as the network is
    "enquiries.ConversationLog": conversation_scope,
    "enquiries.PlanAction": enquiry_child_scope,
    "enquiries.Meeting": enquiry_child_scope,
    "enquiries.EnquiryEvent": enquiry_child_scope,
    "enquiries.CareProvider": care_provider_scope,
    "documents.Document": document_scope,
    "reviews.SafeguardingAdultsReview": review_scope,
}


# Rows visible exactly when one record they hang off is, by (row model, record model): the rows of that
# record, and what the row's own rule adds. Each follows from the rules above: a plan action, meeting,
# event, desired outcome or My Safeguarding Experience record is visible with its enquiry; a network
# member with its person; a conversation with its enquiry, or with its concern while it has no enquiry; a
# document with its enquiry (a conversation's or meeting's document names their enquiry too), unless it
# was removed in error.
_ROWS_OF = {
    ("enquiries.PlanAction", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("enquiries.Meeting", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("enquiries.EnquiryEvent", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("outcomes.DesiredOutcome", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("feedback.ExperienceFeedbackPart1", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("feedback.ExperienceFeedbackPart2", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("feedback.OrganisationPerspective", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("enquiries.NetworkMember", "enquiries.Person"): lambda r: Q(person=r),
    ("enquiries.PersonWarning", "enquiries.Person"): lambda r: Q(person=r),
    ("enquiries.ConversationLog", "enquiries.Enquiry"): lambda r: Q(enquiry=r),
    ("enquiries.ConversationLog", "enquiries.SafeguardingConcern"): lambda r: Q(
        enquiry__isnull=True, concern=r
    ),
    ("documents.Document", "enquiries.Enquiry"): lambda r: (
        Q(enquiry=r) & (Q(conversation__isnull=True) | Q(conversation__enquiry=r))
    ),
}
_ROW_RULES = {"documents.Document": _document_state_q}


def scoped(queryset: QuerySet, user) -> QuerySet:
    """`queryset` narrowed to what `user` may see. The model must be one the access rule knows."""
    return queryset.filter(_SCOPES[queryset.model._meta.label](user))


def within(queryset: QuerySet, user, record: Model) -> QuerySet:
    """The rows of `queryset` that hang off `record` (an enquiry's plan actions, its documents...) as `user`
    may see them: filtered by the record, once the record itself is known to be in scope, instead of asking
    the whole rule again for every row. The same rows as `scoped(queryset.filter(of record), user)`; a page
    about one record reads its parts this way. None for a record out of scope."""
    label = queryset.model._meta.label
    rows_of = _ROWS_OF[(label, record._meta.label)]
    if not is_in_scope(user, record):
        return queryset.none()
    rule = _ROW_RULES.get(label)
    return queryset.filter(rows_of(record), *([rule(user)] if rule else []))


# Set on an object the access rule found in a user's scope in this request, to the user object itself: a
# page asks again about the record it opened (may this user edit it, add a document to it...) without a
# query each time. Another user, a copy of the object from a cache (whose user is another object), or the
# object once saved (it may have moved team) asks the database again.
_SEEN_BY = "_access_in_scope_for"


def _who(user):
    """The user object itself, which the permission backends see: `request.user` is a lazy wrapper around it,
    or around another wrapper (django-otp wraps Django's to say whether a second factor was given)."""
    while isinstance(user, LazyObject):
        user.pk  # noqa: B018 -- makes the wrapper load what it wraps
        user = user._wrapped
    return user


def _seen(obj: Model, user) -> Model:
    obj.__dict__[_SEEN_BY] = _who(user)
    return obj


@receiver(post_save, dispatch_uid="access-forget-scope-on-save")
def _forget_on_save(sender, instance, **kwargs) -> None:
    instance.__dict__.pop(_SEEN_BY, None)


def get_in_scope_or_404(queryset: QuerySet, user, **lookup) -> Model:
    """One object the user may see, or 404 — the same answer whether it is out of scope or absent."""
    try:
        return _seen(scoped(queryset, user).get(**lookup), user)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def seen_in_scope(user, obj: Model) -> bool:
    """Whether the access rule already found `obj` in this user's scope in this request (no query): a page
    showing something about a record (the identity bar) trusts what the view fetched, and asks
    `is_in_scope` only about what it did not."""
    return obj.__dict__.get(_SEEN_BY) is _who(user)


def is_in_scope(user, obj: Model) -> bool:
    if obj.__dict__.get(_SEEN_BY) is _who(user):
        return True
    found = scoped(type(obj)._default_manager.all(), user).filter(pk=obj.pk).exists()
    if found:
        _seen(obj, user)
    return found


def is_read_only(user) -> bool:
    """Unit staff see everything but change nothing through the case screens."""
    return user.has_perm(VIEW_ALL_CASES)
