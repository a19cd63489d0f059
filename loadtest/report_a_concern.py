"""The public "Report a concern" form under load, as people use it: each simulated reporter opens the start
page, answers every question on its own page (reading the CSRF token and the form from the page, as a
browser does), checks their answers, sends, and reads the reference on the confirmation page. One in four is
a professional (work details, an acknowledgement email); the others are members of the public who give no
details of their own.

Each report comes from a new person: a fresh cookie jar and its own client address, an IPv6 documentation
address (2001:db8::/32, RFC 3849) written by the one trusted proxy (`X-Forwarded-For`, the server run with
`TRUSTED_PROXY_COUNT=1`), so the per-address rate limits see 100 reports a minute as 100 people. Each report's
"what happened" ends with a marker naming the run and the report, so the references shown can be checked
against the database afterwards: none lost, none made twice (`manage.py benchmark_report_a_concern`).

With locust's own command line (against a server started with TRUSTED_PROXY_COUNT=1 and a shared cache):

    LOADTEST_REFERENCES=/tmp/references.tsv LOADTEST_RUN=1a2b3c4d locust -f loadtest/report_a_concern.py \\
        --headless -u 10 -r 10 -t 5m --host http://127.0.0.1:8000   # 10 reporters, one report each 6 s
    python manage.py frontdoor_check_references /tmp/references.tsv --run 1a2b3c4d

(LOADTEST_RUN: eight hex digits, random when not given.)

or as `benchmark_report_a_concern` runs it, one phase at a time, a JSON plan on standard input and one JSON
object on standard output:

    {"phase": "load", "base_url": ..., "run": "1a2b3c4d", "per_minute": 100, "minutes": 5,
     "references": "/tmp/references.tsv"}
    {"phase": "flood", "base_url": ..., "run": "1a2b3c4d", "submit_limit": 10, "pages_limit": 300}
    {"phase": "cap", "base_url": ..., "run": "1a2b3c4d", "journeys": 4}

Here, not in the app's packages: locust patches the standard library with gevent when imported."""

import itertools
import json
import math
import os
import re
import secrets
import sys
import time
from collections import Counter
from urllib.parse import urlencode

import gevent
from forms import first_error, form_fields
from locust import FastHttpUser, constant_pacing, task
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment
from locust.event import EventHook
from locust.exception import StopUser
from signin import FORWARDED, post_headers, send_secure_cookies

START = "/report-a-concern/"
CHECK = "/report-a-concern/check-your-answers/"
SENT = "/report-a-concern/sent/"
# How often each simulated reporter starts a report: the number of reporters sets the rate.
PACING_SECONDS = 6.0
TOO_MANY = "Nothing you just sent has been saved"
FULL_SEND = "Please phone us"
FULL_START = "We cannot take reports online right now"
_REFERENCE = re.compile(r'class="govuk-panel__body">.*?<strong>([A-Z0-9]{8})</strong>', re.S)

PUBLIC_ANSWERS = {
    "danger": {"immediate_danger": "no"},
    "reporter": {"referrer_type": "public"},
    "adult": {"adult_name": "", "adult_description": "The woman who lives at number 4, Mill Lane"},
    "address": {"adult_address": "4 Mill Lane"},
    "age": {"adult_age": "about 85"},
    "communication": {"adult_communication_needs": "She is hard of hearing: speak slowly and face her."},
    "what-happened": {"what_happened": "Her carer takes money from her purse when she visits."},
    "when-where": {"when_happened": "Most weeks since the summer", "where_happened": "At her home"},
    "who-caused-harm": {"alleged_cause": "Her carer", "alleged_cause_relationship": "Paid carer"},
    "adult-knows": {"adult_knows": "no"},
    "adult-wishes": {"adult_wishes": ""},
    "contact": {"safe_to_contact": "yes", "contact_how": "Visit her", "contact_when": "Mornings"},
    "your-details": {},
}
PROFESSIONAL_ANSWERS = {
    **{slug: answers for slug, answers in PUBLIC_ANSWERS.items() if slug != "your-details"},
    "reporter": {"referrer_type": "professional"},
    "adult": {"adult_name": "Margaret Load", "adult_description": ""},
    "age": {"adult_date_of_birth_0": "3", "adult_date_of_birth_1": "4", "adult_date_of_birth_2": "1941"},
    "adult-knows": {"adult_knows": "yes"},
    "adult-wishes": {"adult_wishes": "For the carer to stop coming."},
    "your-work-details": {
        "referrer_name": "Sam District",
        "referrer_organisation": "Mill Lane Surgery",
        "referrer_role": "District nurse",
        "referrer_email": "sam.district@nhs.example",
        "referrer_phone": "01632 960001",
        "police_crime_number": "",
    },
}
QUESTION_NAME = "/report-a-concern/[question]/"


class JourneyFailed(Exception):
    pass


def address(run: str, number: int) -> str:
    """A client address of its own for report `number` of run `run` (eight hex digits: two runs in the same
    hour do not share an address, so one run's counts never hold up another's reporters)."""
    return f"2001:db8:{run[:4]}:{run[4:8]}:{number >> 16:x}::{number & 0xFFFF:x}"


def reference_on(html: str) -> str | None:
    match = _REFERENCE.search(html)
    return match.group(1) if match else None


def marker(run: str, number: int) -> str:
    return f"[load test {run} report {number}]"


class Journey:
    """One person's report through `client` (a locust FastHttpSession) from `client_address`."""

    def __init__(self, client, client_address: str):
        self.client = client
        send_secure_cookies(client)
        client.cookiejar.clear()
        self.get_headers = {**FORWARDED, "X-Forwarded-For": client_address}
        self.post_extra = {"X-Forwarded-For": client_address}

    def get(self, path: str, name: str):
        return self.client.get(path, headers=self.get_headers, allow_redirects=False, name=name)

    def post(self, path: str, fields: dict, name: str):
        """A form POST as a browser sends it (signin.post_headers), from this person's address."""
        return self.client.post(
            path,
            data=urlencode(fields, doseq=True),
            headers={**post_headers(self.client.base_url), **self.post_extra},
            allow_redirects=False,
            name=name,
        )

    def page(self, path: str, name: str) -> str:
        response = self.get(path, name)
        if response.status_code != 200:
            raise JourneyFailed(f"{name}: HTTP {response.status_code}")
        return response.text

    def start(self) -> None:
        page = self.page(START, "start")
        if FULL_START in page:
            raise JourneyFailed("start: the form says to phone (the cap on referrals waiting)")
        response = self.post(START, form_fields(page, "csrfmiddlewaretoken"), "start")
        if response.status_code != 302:
            raise JourneyFailed(f"start: HTTP {response.status_code}")

    def answer(self, answers: dict) -> str:
        """Every question in turn, following the form's own redirects, to the check answers page."""
        path = f"{START}danger/"
        for _ in range(len(answers) + 1):
            slug = path.rstrip("/").rsplit("/", 1)[-1]
            html = self.page(path, QUESTION_NAME)
            fields = form_fields(html, "csrfmiddlewaretoken", **answers[slug])
            response = self.post(path, fields, QUESTION_NAME)
            if response.status_code != 302:
                raise JourneyFailed(f"{slug}: HTTP {response.status_code}: {first_error(response.text)}")
            path = response.headers["Location"]
            if path == CHECK:
                return self.page(CHECK, "check answers")
        raise JourneyFailed(f"the questions did not lead to check answers (last: {path})")

    def send(self, check_page: str):
        return self.post(CHECK, form_fields(check_page, "website"), "send")

    def reference(self) -> str:
        html = self.page(SENT, "sent")
        found = reference_on(html)
        if found is None:
            raise JourneyFailed("sent: no reference on the confirmation page")
        return found


def answers_for(number: int, run: str) -> dict:
    professional = number % 4 == 3
    answers = {
        slug: dict(given)
        for slug, given in (PROFESSIONAL_ANSWERS if professional else PUBLIC_ANSWERS).items()
    }
    answers["what-happened"]["what_happened"] += f" {marker(run, number)}"
    return answers


# ---- The scenario, for locust's command line and the load phase -------------------------------------------

RUN = os.environ.get("LOADTEST_RUN") or secrets.token_hex(4)
REFERENCES_PATH = os.environ.get("LOADTEST_REFERENCES", "")
_numbers = itertools.count()
_plan = {"total": math.inf, "pacing": PACING_SECONDS, "users": 1}
_outcome = {"accepted": 0, "finished": 0, "failures": Counter()}


def _record(reference: str, number: int) -> None:
    _outcome["accepted"] += 1
    if REFERENCES_PATH:
        with open(REFERENCES_PATH, "a") as out:
            out.write(f"{reference}\t{marker(RUN, number)}\n")


class Reporter(FastHttpUser):
    """A stream of people, each sending one report: a new one every PACING_SECONDS from this user."""

    _spawned = itertools.count()

    def on_start(self):
        # Spread the reporters over one pacing interval, so reports arrive evenly rather than in bursts.
        position = next(Reporter._spawned) % _plan["users"]
        gevent.sleep(_plan["pacing"] * position / _plan["users"])

    def wait_time(self):
        # PACING_SECONDS, or the plan's pacing when benchmark_report_a_concern runs it.
        return constant_pacing(_plan["pacing"])(self)

    @task
    def report(self):
        number = next(_numbers)
        if number >= _plan["total"]:
            raise StopUser
        try:
            journey = Journey(self.client, address(RUN, number))
            journey.start()
            check_page = journey.answer(answers_for(number, RUN))
            response = journey.send(check_page)
            if response.status_code != 302 or response.headers.get("Location") != SENT:
                raise JourneyFailed(f"send: HTTP {response.status_code}")
            _record(journey.reference(), number)
        except (JourneyFailed, LookupError) as failed:  # LookupError: a page without the form expected
            _outcome["failures"][str(failed)[:120]] += 1
            self.environment.events.request.fire(
                request_type="JOURNEY",
                name="report",
                response_time=0,
                response_length=0,
                exception=failed,
                context={},
            )
        finally:
            _outcome["finished"] += 1


def percentile(sorted_ms: list[float], q: float) -> float | None:
    if not sorted_ms:
        return None
    return round(sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)], 1)


def load(plan: dict) -> dict:
    global RUN, REFERENCES_PATH
    RUN, REFERENCES_PATH = plan["run"], plan["references"]
    total = round(plan["per_minute"] * plan["minutes"])
    users = max(1, math.ceil(plan["per_minute"] * PACING_SECONDS / 60))
    _plan.update(total=total, users=users, pacing=users * 60 / plan["per_minute"])
    times: list[float] = []
    send_times: list[float] = []
    by_name: dict[str, list[float]] = {}
    statuses: Counter = Counter()
    errors: Counter = Counter()

    def on_request(request_type, name, response_time, exception, response=None, **_kwargs):
        if request_type == "JOURNEY":
            return
        status = getattr(response, "status_code", 0) or 0
        statuses[f"{status // 100}xx" if status else "none"] += 1
        if exception is not None and status not in (302, 200):
            errors[f"{name}: {str(exception)[:100]}"] += 1
        times.append(response_time)
        by_name.setdefault(f"{request_type} {name}", []).append(response_time)
        if name == "send":
            send_times.append(response_time)

    environment = Environment(user_classes=[Reporter], host=plan["base_url"], stop_timeout=60)
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    began = time.time()
    runner.start(users, spawn_rate=users)
    deadline = began + plan["minutes"] * 60 + 120
    while _outcome["finished"] < total and time.time() < deadline:
        gevent.sleep(0.2)
    runner.quit()
    times.sort()
    send_times.sort()
    return {
        "reports": total,
        "finished": _outcome["finished"],
        "accepted": _outcome["accepted"],
        "seconds": round(time.time() - began, 1),
        "requests": len(times),
        "statuses": dict(statuses),
        "failed_reports": sum(_outcome["failures"].values()),
        "failure_examples": dict(_outcome["failures"].most_common(3)),
        "request_errors": sum(errors.values()),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
        "send_p50_ms": percentile(send_times, 0.50),
        "send_p95_ms": percentile(send_times, 0.95),
        "max_ms": round(times[-1], 1) if times else None,
        "by_request": {
            name: {"n": len(ms), "p50_ms": percentile(ms, 0.50), "p95_ms": percentile(ms, 0.95)}
            for name, ms in ((name, sorted(ms)) for name, ms in by_name.items())
        },
    }


# ---- The flood and the cap: one client at a time, in order ------------------------------------------------


def _session(base_url: str) -> FastHttpSession:
    return FastHttpSession(base_url, request_event=EventHook(), user=None)


def flood(plan: dict) -> dict:
    """One address sends more reports than FRONT_DOOR_RATE_SUBMIT allows, then another answers a question
    more often than FRONT_DOOR_RATE_PAGES allows. Every request past a limit must get the 429 page with its
    message; the answer sent past the limit must not replace the one given before it."""
    run, base_url = plan["run"], plan["base_url"]
    sender = address(run, 0xFFFF0001)
    sent, refused, unclear = 0, 0, 0
    for number in range(plan["submit_limit"] + plan.get("extra", 3)):
        journey = Journey(_session(base_url), sender)
        journey.start()
        check_page = journey.answer(answers_for(number, f"{run}flood"))
        response = journey.send(check_page)
        if response.status_code == 302 and reference_on(journey.page(SENT, "sent")):
            sent += 1
        elif response.status_code == 429 and TOO_MANY in response.text:
            refused += 1
        else:
            unclear += 1
    # Answers past the pages limit: count how many are taken before the first 429.
    journey = Journey(_session(base_url), address(run, 0xFFFF0002))
    journey.start()
    danger = f"{START}danger/"
    taken, pages_refused, pages_unclear = 1, 0, 0  # the start page's POST counts as one
    for _ in range(plan["pages_limit"] + 5):
        html = journey.page(danger, QUESTION_NAME)
        choice = "no" if pages_refused == 0 else "yes"  # past the limit, try to change the answer
        response = journey.post(
            danger, form_fields(html, "csrfmiddlewaretoken", immediate_danger=choice), "x"
        )
        if response.status_code == 302 and pages_refused == 0:
            taken += 1
        elif response.status_code == 429 and TOO_MANY in response.text:
            pages_refused += 1
        else:
            pages_unclear += 1
    radios = re.findall(r'<input[^>]*name="immediate_danger"[^>]*>', journey.page(danger, QUESTION_NAME))
    kept = next((re.search(r'value="(\w+)"', tag) for tag in radios if " checked" in tag), None)
    return {
        "submit_accepted": sent,
        "submit_refused_429": refused,
        "submit_unclear": unclear,
        "pages_accepted": taken,
        "pages_refused_429": pages_refused,
        "pages_unclear": pages_unclear,
        "answer_kept": kept.group(1) if kept else None,
    }


def cap(plan: dict) -> dict:
    """`journeys` people answer every question; then, one by one, they send. Past FRONT_DOOR_MAX_WAITING the
    send says to phone; afterwards the start page says so too and starts nothing."""
    run, base_url = plan["run"], plan["base_url"]
    ready = []
    for number in range(plan["journeys"]):
        journey = Journey(_session(base_url), address(run, 0xFFFE0000 + number))
        journey.start()
        ready.append((journey, journey.answer(answers_for(number, f"{run}cap"))))
    sent, told_to_phone, other = 0, 0, []
    for journey, check_page in ready:
        response = journey.send(check_page)
        if response.status_code == 302:
            sent += 1
        elif response.status_code == 503 and FULL_SEND in response.text:
            told_to_phone += 1
        else:
            other.append(response.status_code)
    late = Journey(_session(base_url), address(run, 0xFFFE1000))
    start_page = late.page(START, "start")
    return {
        "sent": sent,
        "told_to_phone": told_to_phone,
        "other_statuses": other,
        "start_says_phone": FULL_START in start_page and "Start now" not in start_page,
    }


def main() -> None:
    plan = json.load(sys.stdin)
    phase = {"load": load, "flood": flood, "cap": cap}[plan["phase"]]
    try:
        result = phase(plan)
    except (JourneyFailed, LookupError) as failed:
        sys.exit(f"{plan['phase']}: {failed}")
    json.dump({"phase": plan["phase"], **result}, sys.stdout)


if __name__ == "__main__":
    main()
