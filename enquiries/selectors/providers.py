"""Reads about care providers and the concerns that name them, scoped to the user (msp_cases.access).

A provider's concerns are listed by date, type of risk and team alone: who sees which is
`access.care_provider_concern_scope`; which of them the user may open is `access.concern_scope`, given to each
row as `can_open`, so a list never links to a page that would say "Page not found"."""

import re

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from msp_cases import access

from ..models import CareProvider, SafeguardingConcern
from ..models.providers import CQC_LOCATION_ID, normalise_cqc_location_id


def provider_get_for_user(*, user, pk) -> CareProvider:
    return access.get_in_scope_or_404(CareProvider.objects.all(), user, pk=pk)


def with_can_open(concerns: QuerySet[SafeguardingConcern], user) -> QuerySet[SafeguardingConcern]:
    """Each concern with `can_open`: whether the user may open it (the access rule, in the same query)."""
    scope = access.concern_scope(user)
    if scope == access.NOTHING:
        return concerns.annotate(can_open=Value(False, output_field=BooleanField()))
    condition = scope if scope else Q(pk__isnull=False)
    return concerns.annotate(
        can_open=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def listed_concerns(*, user) -> QuerySet[SafeguardingConcern]:
    """Concerns the user may see listed by date, type and team, with what such a row shows joined in."""
    qs = SafeguardingConcern.objects.select_related("team", "person").prefetch_related("risk_types")
    qs = qs.filter(access.care_provider_concern_scope(user))
    return with_can_open(qs, user).order_by("-received_at", "-pk")


def provider_concerns(*, user, provider: CareProvider) -> QuerySet[SafeguardingConcern]:
    """Every concern naming the provider that the user may see listed, newest first."""
    return listed_concerns(user=user).filter(alleged_provider=provider)


def _concern_counts(user):
    """How many concerns the user may see listed name each provider (a subquery per row of the page)."""
    named = (
        SafeguardingConcern.objects.filter(
            access.care_provider_concern_scope(user), alleged_provider=OuterRef("pk")
        )
        .order_by()
        .values("alleged_provider")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(named, output_field=IntegerField()), 0)


def provider_search(*, user, query: str = "") -> QuerySet[CareProvider]:
    """Providers the user may see, with `concern_count`: all of them by name, or those matching `query` — a
    CQC location ID exactly, or words of the name, typo-tolerant on PostgreSQL (pg_trgm word similarity
    against the lower-cased name, index `careprovider_name_trgm`) and each word within the name elsewhere."""
    providers = access.scoped(CareProvider.objects.all(), user).annotate(concern_count=_concern_counts(user))
    query = " ".join((query or "").split())
    if not query:
        return providers.order_by("name", "pk")
    compact = normalise_cqc_location_id(query)
    if CQC_LOCATION_ID.fullmatch(compact):
        return providers.filter(cqc_location_id=compact)
    words = [w.lower() for w in re.split(r"\s+", query) if w]
    providers = providers.annotate(search_name=Lower("name"))
    if connection.vendor == "postgresql":
        match, score = Q(), Value(0.0, output_field=FloatField())
        for word in words:
            match &= Q(search_name__trigram_word_similar=word) | Q(search_name__contains=word)
            score = score + TrigramWordSimilarity(word, "search_name")
        return providers.filter(match).annotate(score=score).order_by("-score", "name", "pk")
    match = Q()
    for word in words:
        match &= Q(search_name__contains=word)
    return providers.filter(match).order_by("name", "pk")
