"""The two requests of drafts: the page's script saving the form as the person types, and the person
discarding a draft they were offered."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from msp_cases.core.middleware import passive

from .keys import BadDraftKey, draft_key_from_token
from .services import MAX_DRAFT_BYTES, DraftTooLarge, draft_discard, draft_save

# Never kept in a draft: the CSRF token is per session, and the choice to continue is not a field.
_NOT_KEPT = {"csrfmiddlewaretoken", "draft"}


@passive
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    """Keep the form's fields as this user's draft. CSRF-checked like any POST; JSON body
    {"key": <token the form's page issued>, "fields": [[name, value], ...]}.

    Passive (msp_cases.core.middleware): the script saves on its own, also when the timeout warning shows,
    so saving a draft must not extend the session — the warning's "Stay signed in" does that. It writes only
    the draft, never the record, and is not an access to a record (nothing is shown), so it is not audited.
    Nothing of what was typed is logged."""
    if len(request.body) > MAX_DRAFT_BYTES * 2:
        return HttpResponse(status=413)
    try:
        body = json.loads(request.body)
        key = draft_key_from_token(user=request.user, token=str(body["key"]))
        data = _fields(body["fields"])
    except (ValueError, KeyError, TypeError, BadDraftKey):
        return HttpResponseBadRequest()
    try:
        draft_save(user=request.user, key=key, data=data)
    except DraftTooLarge:
        return HttpResponse(status=413)
    return HttpResponse(status=204)


def _fields(pairs) -> dict[str, list[str]]:
    """[[name, value], ...] as name -> values; anything else, or text PostgreSQL cannot keep (NUL, a lone
    surrogate), raises ValueError or TypeError: a 400, never a 500."""
    if not isinstance(pairs, list):
        raise TypeError
    data: dict[str, list[str]] = {}
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(part, str) for part in pair):
            raise TypeError
        name, value = pair
        if "\x00" in name or "\x00" in value:
            raise ValueError
        (name + value).encode()  # UnicodeEncodeError (a ValueError) for a lone surrogate
        if name not in _NOT_KEPT:
            data.setdefault(name, []).append(value)
    return data


@require_POST
def discard(request: HttpRequest) -> HttpResponse:
    """'Discard it' in the offer of a draft: delete it and go back to the empty form."""
    back = request.POST.get("next", "")
    same_site = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    if not same_site or not back.startswith("/"):
        return HttpResponseBadRequest()
    try:
        key = draft_key_from_token(user=request.user, token=request.POST.get("key", ""))
    except BadDraftKey:
        return HttpResponseBadRequest()
    draft_discard(user=request.user, key=key)
    messages.success(request, "Draft discarded")
    return redirect(back)
