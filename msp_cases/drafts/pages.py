"""What a form page does with drafts: `draft_for_page(request, key)` once the page has checked that the user
may edit the record. The page puts `context` into its template (templates/includes/form_page.html marks the
form for saving as the person types and shows the offer of an earlier draft), shows `data` in the form when
the person chose to continue with their draft, and calls `draft_discard` after a successful save."""

from dataclasses import dataclass, field

from django.http import HttpRequest, QueryDict
from django.utils.http import urlencode

from .keys import draft_token
from .models import Draft

CONTINUE = "continue"


@dataclass
class DraftOnPage:
    key: str
    token: str
    draft: Draft | None
    continuing: bool
    data: QueryDict | None = None
    context: dict = field(default_factory=dict)


def draft_for_page(request: HttpRequest, key: str) -> DraftOnPage:
    """This user's draft of the form `key`, if any, and whether they chose to continue with it (the offer's
    link adds ?draft=continue). Only the author's own draft is ever looked up."""
    token = draft_token(user=request.user, key=key)
    draft = None
    if request.method == "GET":
        draft = Draft.objects.filter(user=request.user, key=key).first()
    continuing = draft is not None and request.GET.get("draft") == CONTINUE
    data = None
    if continuing:
        data = QueryDict(mutable=True)
        for name, values in draft.data.items():
            data.setlist(name, [str(value) for value in values])
    # While an earlier draft is offered and not yet chosen, the form does not save as the person types, so
    # typing into the empty form never overwrites it: the person first continues with it or discards it.
    offered = draft is not None and not continuing
    context = {
        "draft_key": "" if offered else token,
        "draft_offer": draft if offered else None,
        "draft_token": token,
        "draft_restored": draft if continuing else None,
        "draft_continue_url": f"{request.path}?{_query(request, draft=CONTINUE)}",
        "draft_back_url": f"{request.path}?{_query(request)}".rstrip("?"),
    }
    return DraftOnPage(key=key, token=token, draft=draft, continuing=continuing, data=data, context=context)


def _query(request: HttpRequest, **extra: str) -> str:
    """The page's own query string (a form reached with ?person=12 keeps it), without the choice of draft."""
    params = [(name, value) for name, value in request.GET.items() if name != "draft"]
    return urlencode(params + list(extra.items()))
