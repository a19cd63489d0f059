"""Reads for exports: who may see an export and the user's recent exports."""

from django.db.models import QuerySet
from django.http import Http404

from msp_cases import access
from msp_cases.accounts.roles import VIEW_ALL_CASES

from . import registry
from .models import Export

RECENT = 50


def export_get_for_user(*, user, pk) -> Export:
    """An export its requester may open, or unit staff (who may see the case); anyone else gets 404, and so
    does the requester of a case that has since left their scope."""
    try:
        export = Export.objects.select_related("enquiry", "requested_by").get(pk=pk)
    except (Export.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if export.requested_by_id != user.pk and not user.has_perm(VIEW_ALL_CASES):
        raise Http404
    spec = registry.get(export.kind)
    if spec is None or not spec.allowed(user, export.enquiry, export.params):
        raise Http404
    return export


def export_list_for_user(*, user) -> QuerySet[Export]:
    """The user's own recent exports, newest first: one query whatever their number."""
    return (
        Export.objects.filter(requested_by=user)
        .select_related("enquiry__person")
        .order_by("-created_at")[:RECENT]
    )


def people_named(*, user, exports) -> dict:
    """For a list of exports: the person each one's case is about, keyed by export id, only where the user
    may still see that person (one query for the list; none when no export is about a case). The name is read
    from the record when shown: neither the export's title nor its file name ever holds it."""
    about = {e.pk: e.enquiry.person for e in exports if e.enquiry_id is not None}
    if not about:
        return {}
    person_model = type(next(iter(about.values())))
    visible = set(
        access.scoped(person_model.objects.filter(pk__in={p.pk for p in about.values()}), user).values_list(
            "pk", flat=True
        )
    )
    return {pk: person for pk, person in about.items() if person.pk in visible}


def enquiry_exports_for_user(*, user, enquiry, limit: int = 5) -> list[Export]:
    """The user's recent exports of this case, for the panel on the enquiry page (one query)."""
    return list(Export.objects.filter(requested_by=user, enquiry=enquiry).order_by("-created_at")[:limit])
