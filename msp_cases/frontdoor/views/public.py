"""The public "Report a concern" pages: no sign-in, one question a page, answers kept in the session.

What this browser may read back is only the report it is writing (the session's answers) and, once sent, that
report's reference; there is no page that shows a referral by its reference or id. Every POST is counted
against the client address (FRONT_DOOR_RATE_PAGES), sending against FRONT_DOOR_RATE_SUBMIT, and emails
against FRONT_DOOR_RATE_EMAIL per address written to; past a limit the page says so and nothing is kept."""

import secrets
import smtplib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from msp_cases.core.actor import Actor
from msp_cases.core.request import client_ip
from msp_cases.documents.services import Upload

from .. import journey, outcomes
from ..forms.public import CodeForm, ReportFilesForm, SaveForm, SubmitForm
from ..models import Referral
from ..services import public as services
from ..services import report_files

MAIL_ERRORS = (smtplib.SMTPException, OSError)


def _by_address(group, request) -> str:
    return client_ip(request) or "unknown"


def _limited(request: HttpRequest, *, group: str, rate: str, key=_by_address) -> bool:
    return is_ratelimited(request, group=f"frontdoor.{group}", key=key, rate=rate, increment=True)


def _by_email(email: str):
    return lambda group, request: email.strip().lower()


def _page(request: HttpRequest, template: str, title: str, status: int = 200, **context) -> HttpResponse:
    context = {"title": title, "front_door_phone": settings.FRONT_DOOR_PHONE, **context}
    return render(request, f"frontdoor/public/{template}", context, status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    return _page(request, "too_many.html", "You have sent too much too quickly", status=429)


def _journey(request: HttpRequest) -> dict | None:
    return request.session.get(journey.SESSION_KEY)


def _keep(request: HttpRequest, state: dict) -> None:
    request.session[journey.SESSION_KEY] = state  # reassigned, so the session knows it changed


def _new_journey(*, answers: dict, draft_id: int | None, saved_email: str = "") -> dict:
    # The key makes sending idempotent: one journey, at most one referral (services.referral_submit).
    # `saved_email`: the address the report was saved with, offered again on "Your details".
    return {
        "answers": answers,
        "draft_id": draft_id,
        "key": secrets.token_urlsafe(24),
        "saved_email": saved_email,
    }


def _ended() -> HttpResponse:
    return redirect("frontdoor_public:session_ended")


@login_not_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    full = services.front_door_is_full()
    if request.method == "POST" and not full:
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES):
            return _too_many(request)
        request.session.pop(journey.SENT_KEY, None)
        _keep(request, _new_journey(answers={}, draft_id=None))
        return redirect("frontdoor_public:question", slug=journey.STEPS[0].slug)
    return _page(request, "start.html", "Report a concern about an adult", full=full)


@login_not_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    step = journey.BY_SLUG.get(slug)
    if step is None:
        raise Http404
    state = _journey(request)
    if state is None:
        return _ended()
    answers = state["answers"]
    if not step.applies(answers):
        raise Http404
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES):
            return _too_many(request)
        form = step.form(request.POST)
        saving = "save" in request.POST and _is_professional(answers)
        if form.is_valid():
            answers[step.slug] = form.to_answers()
            _keep(request, state)
            if saving:
                return redirect("frontdoor_public:save")
            if step.slug == "danger" and answers["danger"]["immediate_danger"] == "yes":
                return redirect("frontdoor_public:call_999")
            following = journey.next_step(answers, step)
            if changing or following is None:
                following = journey.first_unanswered(answers)
            if following is None:
                return redirect("frontdoor_public:check_answers")
            return redirect("frontdoor_public:question", slug=following.slug)
        if saving:
            # What is on this page is not yet right, so it is not kept; everything before it is.
            return redirect("frontdoor_public:save")
    else:
        form = step.form(initial=journey.initial_for(step, answers, saved_email=state.get("saved_email", "")))
    previous = journey.previous_step(answers, step)
    if changing:
        back = reverse("frontdoor_public:check_answers")
    elif previous:
        back = reverse("frontdoor_public:question", kwargs={"slug": previous.slug})
    else:
        back = reverse("frontdoor_public:start")
    return _page(
        request,
        "question.html",
        step.title,
        form=form,
        step=step,
        heading=getattr(form, "heading", ""),
        intro=getattr(form, "intro", ""),
        back=back,
        can_save=_is_professional(answers),
    )


def _is_professional(answers: dict) -> bool:
    return answers.get("reporter", {}).get("referrer_type") == Referral.ReferrerType.PROFESSIONAL


@login_not_required
def call_999(request: HttpRequest) -> HttpResponse:
    state = _journey(request)
    if state is None:
        return _ended()
    # On, to the first question not yet answered, or back to check answers when they came from there.
    following = journey.first_unanswered(state["answers"])
    if following is None:
        onward = reverse("frontdoor_public:check_answers")
    else:
        onward = reverse("frontdoor_public:question", kwargs={"slug": following.slug})
    return _page(request, "call_999.html", "Call 999 now", onward=onward)


@login_not_required
@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest) -> HttpResponse:
    state = _journey(request)
    if state is None:
        return _ended()
    answers = state["answers"]
    missing = journey.first_unanswered(answers)
    if missing is not None:
        return redirect("frontdoor_public:question", slug=missing.slug)
    form = SubmitForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES) or _limited(
            request, group="submit", rate=settings.FRONT_DOOR_RATE_SUBMIT
        ):
            return _too_many(request)
        if not form.is_valid() or form.cleaned_data["website"]:
            # The honeypot was filled in: a script, or a browser that filled every box. Nothing is kept.
            return _page(request, "not_sent.html", "Your report has not been sent", status=400)
        try:
            referral = services.referral_submit(
                actor=Actor(user=None, ip_address=client_ip(request)),
                answers=journey.flattened(answers),
                draft_id=state.get("draft_id"),
                submission_key=state.get("key"),
                with_files=bool(state.get("files_added")),
            )
        except services.FrontDoorFull:
            return _page(request, "full.html", "We cannot take reports online right now", status=503)
        except ValidationError:
            # The questions' own checks should make this impossible; if they did not, say so, keep nothing.
            return _page(request, "not_sent.html", "Your report has not been sent", status=400)
        request.session.pop(journey.SESSION_KEY, None)
        request.session[journey.SENT_KEY] = referral.reference
        request.session.cycle_key()
        return redirect("frontdoor_public:sent")
    return _page(
        request,
        "check_answers.html",
        "Check your answers before sending your report",
        sections=journey.summary(answers),
        files=report_files.report_files(journey_key=state["key"]),
        form=form,
        can_save=_is_professional(answers),
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    """Photos or documents to send with the report (optional), offered from check answers. Each choice is
    checked and held for this journey (services/report_files.py), all or none; a file can be removed
    until the report is sent, and never seen again from this side after."""
    state = _journey(request)
    if state is None:
        return _ended()
    key = state["key"]
    form = ReportFilesForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES):
            return _too_many(request)
        if "remove" in request.POST:
            report_files.report_file_remove(journey_key=key, token=request.POST["remove"])
            return redirect("frontdoor_public:documents")
        if form.is_valid():
            try:
                report_files.report_files_add(
                    journey_key=key,
                    uploads=[Upload(name=f.name, file=f) for f in form.cleaned_data["files"]],
                )
            except ValidationError as error:
                form.add_error("files", error.message_dict["files"])
            else:
                state["files_added"] = True
                _keep(request, state)
                return redirect("frontdoor_public:documents")
    held = report_files.report_files(journey_key=key)
    return _page(
        request,
        "documents.html",
        "Send photos or documents (optional)",
        status=400 if form.errors else 200,
        form=form,
        held=held,
        can_add=len(held) < report_files.MAX_FILES,
        limits=report_files.LIMITS_WORDS,
        back=reverse("frontdoor_public:check_answers"),
    )


@login_not_required
def sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(journey.SENT_KEY)
    if reference is None:
        return _ended()
    return _page(request, "sent.html", "Report sent", reference=reference)


@login_not_required
def session_ended(request: HttpRequest) -> HttpResponse:
    return _page(request, "session_ended.html", "Your session has ended")


@login_not_required
@require_http_methods(["GET", "POST"])
def save(request: HttpRequest) -> HttpResponse:
    state = _journey(request)
    if state is None:
        return _ended()
    if not _is_professional(state["answers"]):
        raise Http404
    given = state["answers"].get("your-work-details", {}).get("referrer_email", "")
    form = SaveForm(request.POST or None, initial={"email": given})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES) or _limited(
            request, group="email", rate=settings.FRONT_DOOR_RATE_EMAIL, key=_by_email(email)
        ):
            return _too_many(request)
        try:
            saved = services.draft_save(
                email=email,
                answers=state["answers"],
                draft_id=state.get("draft_id"),
                link_path_for=lambda token: f"{reverse('frontdoor_public:return')}?t={token}",
            )
        except MAIL_ERRORS:
            return _page(request, "email_failed.html", "We could not send the email", status=503)
        state["draft_id"] = saved.draft.pk
        state["saved_email"] = email
        _keep(request, state)
        return redirect("frontdoor_public:saved")
    return _page(request, "save.html", "Save your report and come back later", form=form)


@login_not_required
def saved(request: HttpRequest) -> HttpResponse:
    if _journey(request) is None:
        return _ended()
    return _page(request, "saved.html", "We have emailed you a link")


def _return_token(request: HttpRequest) -> str:
    return request.session.get(journey.RETURN_KEY, "")


@login_not_required
@require_http_methods(["GET", "POST"])
def come_back(request: HttpRequest) -> HttpResponse:
    """The return link (/report-a-concern/return/?t=<token>). Its token moves straight into the session and
    the browser is sent to the same page without it, so it stays out of history, Referer headers and (as a
    query string) out of the logs. The page has a button (a mail scanner that opens links sends no code),
    which emails a one-time code to the address the report was saved with."""
    if "t" in request.GET:
        request.session[journey.RETURN_KEY] = request.GET["t"][:100]
        return redirect("frontdoor_public:return")
    draft = services.draft_for_token(token=_return_token(request))
    if draft is None:
        return _page(request, "link_expired.html", "This link has expired", status=404)
    if request.method == "POST":
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES) or _limited(
            request, group="email", rate=settings.FRONT_DOOR_RATE_EMAIL, key=_by_email(draft.email)
        ):
            return _too_many(request)
        try:
            services.draft_code_send(draft=draft)
        except MAIL_ERRORS:
            return _page(request, "email_failed.html", "We could not send the email", status=503)
        return redirect("frontdoor_public:return_code")
    return _page(request, "come_back.html", "Come back to your report")


@login_not_required
@require_http_methods(["GET", "POST"])
def come_back_code(request: HttpRequest) -> HttpResponse:
    draft = services.draft_for_token(token=_return_token(request))
    if draft is None:
        return _page(request, "link_expired.html", "This link has expired", status=404)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES):
            return _too_many(request)
        try:
            draft = services.draft_resume(draft=draft, code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            request.session.cycle_key()
            request.session.pop(journey.SENT_KEY, None)
            request.session.pop(journey.RETURN_KEY, None)
            _keep(request, _new_journey(answers=draft.answers, draft_id=draft.pk, saved_email=draft.email))
            missing = journey.first_unanswered(draft.answers)
            if missing is not None:
                return redirect("frontdoor_public:question", slug=missing.slug)
            return redirect("frontdoor_public:check_answers")
    return _page(request, "code.html", "Enter your security code", form=form)


# The reference of the outcome this browser has typed the right code for (the token alone is not enough).
OUTCOME_UNLOCKED_KEY = "report_a_concern_outcome_unlocked"


def _outcome_referral(request: HttpRequest) -> Referral | None:
    return outcomes.referral_for_outcome_token(request.session.get(journey.OUTCOME_KEY, ""))


@login_not_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest) -> HttpResponse:
    """What became of a professional's referral (the link in the outcome email). As with the return link, the
    token moves into the session and the page reloads without it. Until this browser has typed the one-time
    code emailed to the referrer's work address, the page shows only a button that emails it (a button, so a
    mail scanner that opens links sends no code)."""
    if "t" in request.GET:
        request.session[journey.OUTCOME_KEY] = request.GET["t"][:200]
        return redirect("frontdoor_public:outcome")
    referral = _outcome_referral(request)
    if referral is None:
        return _page(request, "link_expired.html", "This link has expired", status=404)
    if request.session.get(OUTCOME_UNLOCKED_KEY) == referral.reference:
        outcomes.outcome_viewed(actor=Actor(user=None, ip_address=client_ip(request)), referral=referral)
        return _page(request, "outcome.html", "What we decided", referral=referral)
    if request.method == "POST":
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES) or _limited(
            request,
            group="email",
            rate=settings.FRONT_DOOR_RATE_EMAIL,
            key=_by_email(referral.referrer_email),
        ):
            return _too_many(request)
        try:
            outcomes.outcome_code_send(
                actor=Actor(user=None, ip_address=client_ip(request)), referral=referral
            )
        except MAIL_ERRORS:
            return _page(request, "email_failed.html", "We could not send the email", status=503)
        return redirect("frontdoor_public:outcome_code")
    return _page(request, "outcome_start.html", "See what we decided about your referral")


@login_not_required
@require_http_methods(["GET", "POST"])
def outcome_code(request: HttpRequest) -> HttpResponse:
    referral = _outcome_referral(request)
    if referral is None:
        return _page(request, "link_expired.html", "This link has expired", status=404)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, group="pages", rate=settings.FRONT_DOOR_RATE_PAGES):
            return _too_many(request)
        try:
            outcomes.outcome_unlock(referral=referral, code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", refused.message)
        else:
            request.session.cycle_key()
            request.session[OUTCOME_UNLOCKED_KEY] = referral.reference
            return redirect("frontdoor_public:outcome")
    return _page(request, "outcome_code.html", "Enter your security code", form=form)
