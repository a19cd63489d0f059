"""Hostile input into every form and every filter gives a page, never a server error.

The list of what to try comes from the product itself, so a new page or field cannot escape:

1. every URL pattern of the project (Django's resolver), with its ids filled from the demo data plus a
   record of each kind the demo lacks (an outcome, an audit sample, an export, a notification). The admin
   is left out: its pages are Django's and django-celery-beat's, and on SQLite they meet limits production
   on PostgreSQL does not have (a search of 100,000 characters is "LIKE pattern too complex");
2. each page is opened by each role (and signed out) and its HTML read for forms (action, method, fields and
   the values the page filled in) and for links that carry a query string (filters, paging);
3. each form and link is then sent with hostile values: first every field at once with one value (so every
   field's cleaning runs), then, where the page's own values are accepted as they are, one field at a time
   (so the value reaches the service and the database). Each request runs in a savepoint that is rolled
   back, so every request meets the same records.

A response of 500 or more, or an exception raised by the view, fails the test of the URL the form posts to.
"""

import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from enquiries.models import (
    CareProvider,
    ConversationLog,
    Enquiry,
    Meeting,
    NetworkMember,
    Person,
    PersonWarning,
    PlanAction,
    SafeguardingConcern,
    TeamTransfer,
)
from msp_cases.accounts.models import SignedInSession, User
from msp_cases.documents.models import Document
from msp_cases.exports.models import Export
from msp_cases.frontdoor.journey import STEPS
from msp_cases.frontdoor.models import Referral
from msp_cases.notifications.models import Notification

pytestmark = pytest.mark.django_db

# Routes left out, and why.
SKIPPED_ROUTES = {
    "logout": "signs the client out; it has no fields",
}

HUGE = "9" * 30
HOSTILE_TEXT = {
    "huge number": HUGE,
    "overlong text": "x" * 100_000,
    "invalid choice": "not-a-choice",
    "impossible date": "31/02/2025",
    "zero date": "0/0/0",
    "negative": "-1",
    "control characters": "a\x00b\x1bc",
    "zero-width space": "\u200b",
    "right-to-left override": "\u202eexe.txt",
    "markup": "<script>alert(1)</script>",
    "SQL": "' OR 1=1--",
}
# What a day / month / year date becomes for each value (the three boxes are sent together).
HOSTILE_DATE = {
    "huge number": (HUGE, HUGE, HUGE),
    "huge year": ("1", "1", HUGE),
    "huge day": (HUGE, "1", "2025"),
    "year 9999": ("31", "12", "9999"),
    "impossible date": ("31", "2", "2025"),
    "zero date": ("0", "0", "0"),
    "negative": ("-1", "-1", "-1"),
    "control characters": ("\x00", "\x1b", "\u200b"),
}
# Tried one field at a time where a form accepts the page's own values, as these may pass a form's checks
# and reach the service and the database (a NUL that PostgreSQL refuses, an id wider than an integer).
DEEP_TEXT = ("huge number", "control characters", "zero-width space")
DEEP_DATE = ("huge year", "year 9999", "impossible date")

ROLES = {
    "signed out": None,
    "practitioner": "practitioner.north@example.org",
    "manager": "manager.north@example.org",
    "unit": "unit@example.org",
    "administrator": "admin@example.org",
    "front door": "frontdoor@example.org",
}


# --- The URL patterns


def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin":
                continue
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = ":".join(x for x in (namespace, p.name) if x)
            yield name, prefix + str(p.pattern)


ROUTES = dict(_walk(get_resolver().url_patterns))
CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def _route_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


# --- The records the URLs are filled with


@dataclass
class Demo:
    # The first static segment of a route -> the kwargs to fill it with (one dict per record tried).
    ids: dict[str, list[dict]]
    users: dict[str, User]
    forms: dict[str, list] = field(default_factory=dict)  # route name -> forms posting to it
    links: dict[str, list] = field(default_factory=dict)  # route name -> (url, params) of filter links


def _extra_records(users) -> dict:
    """What the demo lacks: an outcome, a plan action, a meeting, conversations, an audit sample with an
    audit-able enquiry, an export and a notification for each role."""
    from feedback.audits.services import audit_sample_draw
    from outcomes.models import DesiredOutcome
    from tests.enquiries.factories_enquiry import ConversationFactory, MeetingFactory, PlanActionFactory

    unit = users["unit"]
    in_progress = Enquiry.objects.filter(status=Enquiry.Status.IN_PROGRESS, person__is_restricted=False)
    enquiry = in_progress.filter(team__name="North Locality").first()
    PlanActionFactory(enquiry=enquiry)
    MeetingFactory(enquiry=enquiry)
    ConversationFactory(enquiry=enquiry)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from msp_cases.core.actor import Actor
    from msp_cases.documents.services import Upload, document_upload

    document_upload(
        actor=Actor.of(enquiry.lead_practitioner),
        record=enquiry,
        uploads=[
            Upload(name="letter.txt", file=SimpleUploadedFile("letter.txt", b"A letter from the GP.\n"))
        ],
        title="Letter from the GP",
        kind="letter",
    )
    concern = SafeguardingConcern.objects.filter(enquiries__isnull=True, person__is_restricted=False).first()
    ConversationLog.objects.create(
        person=concern.person,
        concern=concern,
        occurred_at=timezone.now(),
        recorded_by=enquiry.lead_practitioner,
        with_person=True,
        method="phone",
        what_matters="To stay at home.",
    )
    DesiredOutcome.objects.create(
        enquiry=enquiry,
        words="I want to feel safe at home",
        expressed_by="person",
        expressed_on=timezone.localdate(),
        created_by=enquiry.lead_practitioner,
    )
    today = timezone.localdate()
    sample = audit_sample_draw(
        user=unit, start=today - datetime.timedelta(days=365), end=today, team=None, size=5, seed=1
    )
    now = timezone.now()
    export = Export.objects.create(
        kind="sac_return_csv",
        params={"from": "2025-04-01", "to": "2026-03-31", "team": None, "suppress": ""},
        requested_by=unit,
        title="SAC return",
        filename="sac.csv",
        content_type="text/csv",
        created_at=now,
        expires_at=now + datetime.timedelta(days=1),
    )
    for user in users.values():
        Notification.objects.create(
            user=user, kind=Notification.Kind.REMINDER, message="A reminder", url="/", created_at=now
        )
    from msp_cases.reports.scope import scope_for
    from msp_cases.reports.submissions.services import sac_submission_create

    # A SAC return marked as submitted: its version, workbook and comparison pages.
    submitted = sac_submission_create(
        actor=Actor.of(unit), scope=scope_for(user=unit), note="", seen_version=0
    )
    return {"sample": sample, "export": export, "sac_submission": submitted}


def _api_client_ids() -> list[dict]:
    """The demo has no partner's system: one made as a unit lead makes it, with a webhook."""
    from msp_cases.api.services import api_client_create
    from msp_cases.partners.models import WebhookSubscription

    client, _ = api_client_create(
        actor=None, name="Hostile input partner", scopes=["referrals:write"], team_names=[]
    )
    webhook = WebhookSubscription.objects.create(
        client=client,
        url="https://partner.example.org/hooks",
        events="concern.decided",
        secret="whsec_hostile",
        created_by=User.objects.get(email="unit@example.org"),
    )
    return [{"pk": client.pk}, {"pk": client.pk, "subscription_pk": webhook.pk}]


def _ids(users) -> dict[str, list[dict]]:
    extra = _extra_records(users)
    people = Person.objects.order_by("is_restricted", "pk")
    enquiries = [
        Enquiry.objects.filter(status=status).order_by("person__is_restricted", "pk").first()
        for status in Enquiry.Status.values
    ]
    concerns = [
        SafeguardingConcern.objects.filter(enquiries__isnull=True).order_by("pk").first(),
        SafeguardingConcern.objects.filter(enquiries__isnull=False).order_by("pk").first(),
    ]
    sample = extra["sample"]
    sampled = sample.items.order_by("position").first()
    from msp_cases.letters.models import LetterTemplate
    from msp_cases.retention.models import Disposal, LegalHold
    from msp_cases.reviews.models import ReviewIndividual
    from outcomes.models import DesiredOutcome

    letter_template = LetterTemplate.objects.filter(is_active=True).order_by("pk").first()

    def pk(objects):
        return [{"pk": o.pk} for o in objects if o is not None]

    return {
        "people": pk([people.first(), people.filter(is_restricted=True).first()]),
        # The partners' API (/api/v1/people/<pk>/, /api/v1/enquiries/<pk>/): bearer tokens; here a 401.
        "api": pk([people.first()]),
        "network": pk([NetworkMember.objects.order_by("pk").first()]),
        "concerns": pk(concerns),
        # A letter is made on an enquiry from a template (msp_cases.letters).
        "enquiries": [*pk(enquiries), {"pk": enquiries[0].pk, "template_pk": letter_template.pk}],
        "letters": pk([letter_template]),
        "plan-actions": pk([PlanAction.objects.order_by("pk").first()]),
        "meetings": pk([Meeting.objects.order_by("pk").first()]),
        "documents": pk([Document.objects.order_by("pk").first()]),
        "conversations": pk(
            [
                ConversationLog.objects.filter(enquiry__isnull=False).order_by("pk").first(),
                ConversationLog.objects.filter(concern__isnull=False, enquiry__isnull=True).first(),
            ]
        ),
        "notifications": pk(Notification.objects.filter(user__in=users.values())),
        # A signed-in session (Your sessions) and an account (the account review): each route takes both.
        "accounts": pk([SignedInSession.objects.order_by("pk").first(), users["practitioner"]]),
        "exports": pk([extra["export"]]),
        "reports": pk([extra["sac_submission"]]),  # a submitted version of the SAC return
        "audits": [{"pk": sample.pk}]
        + ([{"sample_pk": sample.pk, "pk": sampled.enquiry_id}] if sampled else []),
        "outcomes": pk([DesiredOutcome.objects.order_by("pk").first()]),
        "providers": pk([CareProvider.objects.order_by("pk").first()]),
        "transfers": pk([TeamTransfer.objects.order_by("pk").first()]),  # the demo's transfer waiting
        "warnings": pk([PersonWarning.objects.order_by("pk").first()]),  # the demo's warning
        # Retention's pages take a person (their retention, a hold, a proposal), a hold or a disposal.
        "retention": pk([people.first(), LegalHold.objects.first(), Disposal.objects.first()]),
        # The demo's Safeguarding Adults Reviews (msp_cases.reviews), and an individual of one.
        "safeguarding-adults-reviews": [
            {"pk": i.review_id, "individual_pk": i.pk} for i in ReviewIndividual.objects.order_by("pk")[:1]
        ]
        + [{"pk": i.review_id} for i in ReviewIndividual.objects.order_by("pk")[:1]],
        # A partner's API client and its webhook (msp_cases.partners: the unit lead's API clients pages).
        "api-clients": _api_client_ids(),
        # The public form's question pages, one per step of the journey.
        "report-a-concern": [{"slug": step.slug} for step in STEPS],
        # The front door's screening page: the demo's referrals waiting.
        "front-door": pk(Referral.objects.filter(state=Referral.State.WAITING).order_by("pk")[:1]),
        "password-reset": [
            {"uidb64": urlsafe_base64_encode(force_bytes(users["practitioner"].pk)), "token": "not-a-token"},
            {
                "uidb64": urlsafe_base64_encode(force_bytes(users["practitioner"].pk)),
                "token": default_token_generator.make_token(users["practitioner"]),
            },
        ],
    }


def _urls(route: str, ids: dict[str, list[dict]]) -> list[str]:
    """The concrete addresses of a route pattern, filled with each record of its kind."""
    converters = CONVERTER.findall(route)
    if not converters:
        return ["/" + route]
    segment = route.split("/", 1)[0]
    if segment not in ids:
        pytest.fail(f"/{route}: say which records to fill it with in _ids() of the hostile-input test")
    names = {name for _, name in converters}
    urls = []
    for kwargs in ids[segment]:
        if set(kwargs) != names:
            continue
        urls.append("/" + CONVERTER.sub(lambda m, kw=kwargs: str(kw[m.group("name")]), route))
    if not urls:
        pytest.fail(f"/{route}: no record fills {sorted(names)}; add one in _ids() of the hostile-input test")
    return urls


# --- Reading forms and links out of a page


@dataclass
class Form:
    role: str
    page: str
    action: str
    method: str
    fields: list[tuple[str, str]]  # (name, value) in page order, as a browser would send them
    kinds: dict[str, str]  # name -> "text", "select", "choice", "hidden", "date"

    @property
    def key(self) -> tuple:
        return (_route_of(self.action), self.method, tuple(sorted(self.kinds)))


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href") and "?" in a["href"]:
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": [], "kinds": {}}  # fmt: skip
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name") or "disabled" in a:
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit":
                    form["kinds"].setdefault(name, "choice")
                    form.setdefault("submits", []).append((name, a.get("value", "")))
                return
            if kind in ("checkbox", "radio"):
                form["kinds"][name] = "choice"
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
                return
            form["kinds"][name] = "hidden" if kind == "hidden" else "text"
            form["fields"].append((name, a.get("value", "")))
        elif tag == "select":
            form["kinds"][name] = "select"
            self._select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea":
            form["kinds"][name] = "text"
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            for value in self._select["chosen"]:
                self._form["fields"].append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None


def _read_page(role: str, page: str, html: str) -> tuple[list[Form], list[str]]:
    parser = _FormParser()
    parser.feed(html)
    forms = []
    for raw in parser.forms:
        action = raw["action"] or page
        if action.startswith("?"):
            action = urlsplit(page).path + action
        action = urlsplit(action)
        if action.netloc:
            continue
        kinds = dict(raw["kinds"])
        fields = [(n, v) for n, v in raw["fields"]]
        # A submit button's value is sent only when it is pressed: press the first.
        for name, value in raw.get("submits", [])[:1]:
            fields.append((name, value))
        # day / month / year boxes are one date.
        for name in list(kinds):
            if m := re.fullmatch(r"(.+)_0", name):
                base = m.group(1)
                if f"{base}_1" in kinds and f"{base}_2" in kinds:
                    for i in range(3):
                        kinds.pop(f"{base}_{i}")
                    kinds[base] = "date"
        path = action.path + (f"?{action.query}" if action.query and raw["method"] == "post" else "")
        if raw["method"] == "get":
            fields = parse_qsl(action.query, keep_blank_values=True) + fields
        forms.append(
            Form(role=role, page=page, action=path, method=raw["method"], fields=fields, kinds=kinds)
        )
    links = [href for href in parser.links if not urlsplit(href).netloc]
    return forms, links


# --- Sending


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


def _with_value(form: Form, name: str, value) -> list[tuple[str, str]]:
    """The form's fields with `name` set to `value` (a date's three boxes for a date)."""
    kind = form.kinds[name]
    names = [f"{name}_{i}" for i in range(3)] if kind == "date" else [name]
    fields = [(n, v) for n, v in form.fields if n not in names]
    if kind == "date":
        parts = value if isinstance(value, tuple) else (value, value, value)
        fields += list(zip(names, parts, strict=True))
    else:
        fields.append((name, value))
    return fields


def _all_at_once(form: Form, label: str) -> list[tuple[str, str]] | None:
    fields = [(n, v) for n, v in form.fields if n == "csrfmiddlewaretoken"]
    for name, kind in form.kinds.items():
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "date":
            value = HOSTILE_DATE.get(label, (HOSTILE_TEXT.get(label, HUGE),) * 3)
            fields += [(f"{name}_{i}", part) for i, part in enumerate(value)]
        elif label in HOSTILE_TEXT:
            fields.append((name, HOSTILE_TEXT[label]))
        else:
            return None
    return fields


def _send(client: Client, method: str, url: str, fields: list[tuple[str, str]]):
    """One request, in a savepoint rolled back after it, so every request meets the same records."""
    data: dict[str, list[str]] = defaultdict(list)
    for name, value in fields:
        data[name].append(value)
    with transaction.atomic():
        response = client.post(url, data) if method == "post" else client.get(url.split("?", 1)[0], data)
        transaction.set_rollback(True)
    return response


def _attempts(form: Form, deep: bool):
    names = [n for n in form.kinds if n != "csrfmiddlewaretoken"]
    for label in sorted(set(HOSTILE_TEXT) | set(HOSTILE_DATE)):
        fields = _all_at_once(form, label)
        if fields is not None:
            yield f"every field: {label}", fields
    if not deep:
        return
    for name in names:
        kind = form.kinds[name]
        if kind == "date":
            values = {k: HOSTILE_DATE[k] for k in DEEP_DATE}
        elif kind in ("text", "hidden"):
            values = {k: HOSTILE_TEXT[k] for k in DEEP_TEXT}
        else:  # a choice: anything but its options is refused by the field, but an id can overflow
            values = {"huge number": HUGE}
        for label, value in values.items():
            yield f"{name}: {label}", _with_value(form, name, value)


# --- Discovery, once for the module


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        users = {role: User.objects.get(email=email) if email else None for role, email in ROLES.items()}
        demo = Demo(ids=_ids({k: v for k, v in users.items() if v}), users=users)
        clients = {role: _client(user) for role, user in users.items()}
        seen = set()
        for name, route in ROUTES.items():
            if name in SKIPPED_ROUTES:
                continue
            for url in _urls(route, demo.ids):
                for role, client in clients.items():
                    response = _send(client, "get", url, [])
                    assert response.status_code < 500, (role, url)
                    if "html" not in response.get("Content-Type", "") or response.streaming:
                        continue
                    forms, links = _read_page(role, url, response.content.decode())
                    for form in forms:
                        target = _route_of(form.action.split("?", 1)[0])
                        if target is None or target in SKIPPED_ROUTES or form.key in seen:
                            continue
                        seen.add(form.key)
                        demo.forms.setdefault(target, []).append(form)
                    for href in links:
                        parts = urlsplit(href)
                        path = parts.path or urlsplit(url).path
                        target = _route_of(path)
                        params = tuple(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)}))
                        if target is None or not params or (target, params) in seen:
                            continue
                        seen.add((target, params))
                        demo.links.setdefault(target, []).append((role, path, parts.query, params))
        # A page reached only through a link with a query string (a new concern for a person): read it too.
        for target, links in list(demo.links.items()):
            if target in demo.forms:
                continue
            for role, path, query, _ in links:
                response = _send(clients[role], "get", path, parse_qsl(query, keep_blank_values=True))
                if "html" not in response.get("Content-Type", ""):
                    continue
                forms, _ = _read_page(role, f"{path}?{query}", response.content.decode())
                for form in forms:
                    if _route_of(form.action.split("?", 1)[0]) == target and form.key not in seen:
                        seen.add(form.key)
                        demo.forms.setdefault(target, []).append(form)
        yield demo
        transaction.set_rollback(True)


def _try(failures: list[str], client: Client, method: str, url: str, fields, what: str) -> None:
    """Send one hostile request; note a server error or an exception (with the field and value) in
    `failures`, so one test run lists every fault of a URL."""
    try:
        response = _send(client, method, url, fields)
    except Exception as exc:
        failures.append(f"{method.upper()} {url} {what}: {exc!r:.300}")
        return
    if response.status_code >= 500:
        failures.append(f"{method.upper()} {url} {what}: {response.status_code}")


@pytest.mark.parametrize("route_name", [n for n in ROUTES if n not in SKIPPED_ROUTES])
def test_hostile_input_never_makes_a_server_error(demo, route_name):
    failures = []
    clients = {}

    def client_for(role):
        if role not in clients:
            clients[role] = _client(demo.users[role])
        return clients[role]

    for form in demo.forms.get(route_name, []):
        client = client_for(form.role)
        # The page's own values: if they are accepted as they are, each field is also tried alone.
        baseline = _send(client, form.method, form.action, form.fields)
        assert baseline.status_code < 500, (form.role, form.action, "as the page filled it")
        deep = baseline.status_code in (301, 302, 303)
        for label, fields in _attempts(form, deep):
            _try(failures, client, form.method, form.action, fields, f"as {form.role}, {label}")
    for role, path, query, params in demo.links.get(route_name, []):
        base = parse_qsl(query, keep_blank_values=True)
        for label, value in HOSTILE_TEXT.items():
            fields = [(k, value) for k in params] + [(k, v) for k, v in base if k not in params]
            _try(failures, client_for(role), "get", path, fields, f"{','.join(params)} as {role}, {label}")
    assert not failures, "\n".join(failures)


def test_every_form_of_the_product_was_found(demo):
    """The discovery itself works: the forms the product is known to have are among those tried (if this
    fails, the pages changed shape and the test above may be trying less than it claims)."""
    expected = {
        "login", "enquiries:person_search", "enquiries:person_create", "enquiries:person_edit",
        "enquiries:concern_create", "enquiries:concern_decide", "enquiries:enquiry_reopen",
        "enquiries:plan_action_add", "enquiries:plan_action_edit", "enquiries:meeting_add",
        "enquiries:conversation_add_enquiry", "enquiries:conversation_amend", "reports:sac",
        "feedback:audit_sample_draw", "feedback:coproduction_export", "outcomes:outcome_add",
        "exports:request", "notifications:preferences", "front_door:screen",
        "letters:template_add", "letters:template_edit", "letters:choose", "letters:write",
        "subject_access:new", "account_review:account_detail", "accounts:session_end",
        "two_factor:reset",
    }  # fmt: skip
    assert expected <= set(demo.forms), sorted(expected - set(demo.forms))
    assert sum(len(forms) for forms in demo.forms.values()) >= 40


def test_a_nul_in_a_query_string_is_a_bad_request_not_a_server_error(world, client_for):
    """PostgreSQL refuses NUL in text, so a list filter that passes one to the database (the admin's filter
    of periodic tasks by task) was a server error there."""
    admin = client_for(world.users["admin"])
    response = admin.get("/admin/django_celery_beat/periodictask/", {"task": "a\x00b"})
    assert response.status_code == 400
    practitioner = client_for(world.users["practitioner_north"])
    assert practitioner.get("/people/search/", {"q": "Hughes\x00"}).status_code == 400
    assert practitioner.get("/people/search/", {"q": "Hughes"}).status_code == 200
