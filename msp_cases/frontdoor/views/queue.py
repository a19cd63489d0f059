"""The front door's pages: the queue of referrals waiting to be screened, and screening one.

Only front-door staff (`SCREEN_REFERRAL`) may use them: anyone else signed in is refused (403, as for any page
their role does not use); a referral that does not exist, or is asked for by someone who may not screen, is
"Page not found"."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from enquiries import timescales
from msp_cases.accounts.roles import SCREEN_REFERRAL
from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor
from msp_cases.core.pages import versioned_form_page

from ..forms.screening import ADVICE, ROUTE, ScreeningForm, initial_for
from ..models import Referral
from ..selectors.queue import (
    match_query_for,
    match_query_from_text,
    pattern_repeats,
    person_matches,
    referral_get_for_user,
    referrals_waiting,
    repeat_concerns,
    with_decision_due,
)
from ..services import report_files, screening

PAGE_SIZE = 50
SEARCH_LIMIT = 200


@require_GET
@permission_required(SCREEN_REFERRAL, raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """Referrals waiting, oldest first, with when the decision is due and whether it is overdue."""
    page = Paginator(referrals_waiting(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_decision_due(page.object_list)
    screening.referrals_listed(
        actor=Actor.from_request(request), referral_ids=[referral.pk for referral in page.object_list]
    )
    return render(
        request,
        "frontdoor/queue/queue.html",
        {"page": page, "query_prefix": "", "working_days": timescales.decision_working_days()},
    )


def _screening_context(request: HttpRequest, referral: Referral, matches, search: str, patterns) -> dict:
    repeats = repeat_concerns(user=request.user, person_ids=[person.pk for person in matches])
    for person in matches:
        person.repeat_concerns = repeats.get(person.pk, [])
    [referral] = with_decision_due([referral])
    return {
        "referral": referral,
        "referral_files": report_files.referral_files(referral=referral),
        "matches": matches,
        "patterns": patterns,
        "search": search,
        "submit_label": "Save and continue",
        "cancel_url": reverse("front_door:queue"),
    }


@require_http_methods(["GET", "POST"])
@permission_required(SCREEN_REFERRAL, raise_exception=True)
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    """One referral: the referrer's words, the people the adult may be (each with the concerns about them in
    the last 12 months), and the decision."""
    actor = Actor.from_request(request)
    referral = referral_get_for_user(user=request.user, pk=pk)
    if referral.state != Referral.State.WAITING:
        return render(request, "frontdoor/queue/screened.html", {"referral": referral})
    search = (request.GET.get("search") or "").strip()[:SEARCH_LIMIT]
    query = match_query_from_text(search) if search else match_query_for(referral)
    matches = person_matches(user=request.user, query=query)
    # The people a screener has seen listed: in each person's record of access, as search results are.
    access_record_list(
        actor=actor,
        person_ids=[person.pk for person in matches],
        detail="Listed as a possible match at the front door",
    )
    # Concerns naming the same alleged person or care provider: listed by date and team, and recorded too.
    patterns = pattern_repeats(user=request.user, referral=referral)
    access_record_list(
        actor=actor, person_ids=patterns.person_ids(), detail="Listed as a repeat concern at the front door"
    )
    if request.method == "GET":
        screening.referral_viewed(actor=actor, referral=referral)

    def save(form: ScreeningForm) -> Referral:
        data = form.cleaned_data
        common = {"actor": actor, "referral": referral, "expected_version": data["version"]}
        if data["outcome"] == ROUTE:
            return screening.referral_route(
                **common, team=data.get("team"), person=form.person(), new_person=form.new_person()
            )
        if data["outcome"] == ADVICE:
            return screening.referral_close_advice_given(
                **common,
                advice=data.get("advice") or "",
                reason=data.get("advice_reason") or "",
                criteria_care_needs=data.get("criteria_care_needs"),
                criteria_abuse_or_neglect=data.get("criteria_abuse_or_neglect"),
                criteria_unable_to_protect=data.get("criteria_unable_to_protect"),
                person=form.person(),
                new_person=form.new_person(),
            )
        return screening.referral_close_not_safeguarding(**common, reason=data.get("closure_reason") or "")

    def success_message(done: Referral) -> str:
        if done.state == Referral.State.PASSED_ON:
            return f"Referral {done.reference} sent to {done.routed_to}. Its managers have been told"
        return f"Referral {done.reference} closed: {done.get_state_display().removeprefix('Closed: ')}"

    # A referral someone else screened meanwhile is refused by the service (ReferralAlreadyScreened, a
    # ServiceRefused): its message above the form, 409, nothing saved.
    return versioned_form_page(
        request,
        form_class=ScreeningForm,
        form_kwargs=lambda record: {"user": request.user, "matches": matches, "referral": record or referral},
        record=referral,
        initial=initial_for(referral),
        template="frontdoor/queue/screen.html",
        context=_screening_context(request, referral, matches, search, patterns),
        save=save,
        success_url=reverse("front_door:queue"),
        success_message=success_message,
    )


urlpatterns = [
    path("", queue, name="queue"),
    path("<int:pk>/", screen, name="screen"),
]
