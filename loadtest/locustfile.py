"""A working day of casework for locust: practitioners, managers and unit staff reading and writing at human
pace (5–15 s between actions), each signed in through the sign-in page.

    python manage.py loadtest_staff > /tmp/staff.json       # who signs in (the synthetic data's staff)
    LOADTEST_STAFF=/tmp/staff.json LOADTEST_PASSWORD=... \\
        locust -f loadtest/locustfile.py --headless -u 50 -r 5 -t 5m --host http://127.0.0.1:8000

against gunicorn serving the app as production does (docs/performance.md "Pages under load"). Six in nine
users are practitioners (their caseload, enquiry pages, a conversation recorded, a person search, their
notifications), two managers (the team dashboard, the sign-off queue, enquiry pages, a supervision note
recorded) and one unit staff (the unit-wide dashboard and sign-off queue, the SAC return, MSP measures, a
search). Every write is checked: a form shown again with an error counts as a failure, with its message.

Here, not in the app's packages: locust patches the standard library with gevent when imported."""

import itertools
import json
import os
import random
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from forms import enquiry_ids, first_error, form_fields
from locust import FastHttpUser, between, task
from signin import FORWARDED, post_headers, sign_in

STAFF = json.loads(open(os.environ.get("LOADTEST_STAFF", "loadtest/staff.json")).read())  # noqa: SIM115
PASSWORD = os.environ.get("LOADTEST_PASSWORD") or os.environ.get("SYNTHETIC_STAFF_PASSWORD", "")
# Each simulated user signs in as the next account of its role; several may share one, as on shared desks.
_ACCOUNTS = {role: itertools.cycle(STAFF[role]) for role in ("practitioners", "managers", "unit")}
# The synthetic data's surnames, each with one letter wrong, as typed in a hurry.
MISSPELT = ["Ashwerth", "Gallagher", "Holoway", "Lindqvest", "Pickerin", "Rowntre", "Whitfeld", "Zielinsky"]
TIME_ZONE = ZoneInfo(os.environ.get("DJANGO_TIME_ZONE", "Europe/London"))


class Caseworker(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(5, 15)

    def on_start(self):
        self.email = next(_ACCOUNTS[self.role])
        sign_in(self.client, self.email, PASSWORD)
        self.enquiries: list[int] = []

    def page(self, path: str, name: str | None = None):
        with self.client.get(
            path, headers=FORWARDED, allow_redirects=False, catch_response=True, name=name or path
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    def submit(self, form_path: str, must_have: str, name: str, **values) -> None:
        """Open a form, fill it as the page offers it with `values` on top, post it: a redirect is success."""
        page = self.page(form_path, name=f"{name} (form)")
        if page.status_code != 200:
            return
        fields = form_fields(page.text, must_have, **values)
        with self.client.post(
            form_path,
            data=urlencode(fields, doseq=True),
            headers=post_headers(self.client.base_url),
            allow_redirects=False,
            catch_response=True,
            name=name,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}: {first_error(response.text)}")

    def remember_enquiries(self, html: str) -> None:
        self.enquiries = enquiry_ids(html) or self.enquiries

    def an_enquiry(self) -> int | None:
        return random.choice(self.enquiries) if self.enquiries else None  # noqa: S311 (not security)

    def search(self) -> None:
        self.page(f"/people/search/?q={random.choice(MISSPELT)}", name="/people/search/?q=…")  # noqa: S311


class Practitioner(Caseworker):
    role = "practitioners"
    weight = 6

    def on_start(self):
        super().on_start()
        self.caseload()

    @task(4)
    def caseload(self):
        self.remember_enquiries(self.page("/caseload/").text)

    @task(4)
    def open_enquiry(self):
        if (pk := self.an_enquiry()) is not None:
            self.page(f"/enquiries/{pk}/", name="/enquiries/[id]/")

    @task(1)
    def record_conversation(self):
        pk = self.an_enquiry()
        if pk is None:
            return
        now = datetime.now(TIME_ZONE) - timedelta(minutes=5)
        self.submit(
            f"/enquiries/{pk}/conversations/new/",
            "occurred_time",
            "/enquiries/[id]/conversations/new/",
            occurred_on_0=str(now.day),
            occurred_on_1=str(now.month),
            occurred_on_2=str(now.year),
            occurred_time=now.strftime("%H:%M"),
            with_whom=["with_person"],
            method="phone",
            what_matters="I want to stay in my own home and see my grandchildren.",
            wants_to_happen="For the visits to stop.",
            decisions="Agreed to talk again next week.",
        )

    @task(1)
    def person_search(self):
        self.search()

    @task(1)
    def notifications(self):
        self.page("/notifications/")


class Manager(Caseworker):
    role = "managers"
    weight = 2

    def on_start(self):
        super().on_start()
        self.team_dashboard()

    @task(3)
    def team_dashboard(self):
        self.remember_enquiries(self.page("/team/").text)

    @task(2)
    def sign_off_queue(self):
        self.page("/team/sign-off/")

    @task(2)
    def open_enquiry(self):
        if (pk := self.an_enquiry()) is not None:
            self.page(f"/enquiries/{pk}/", name="/enquiries/[id]/")

    @task(1)
    def review_enquiry(self):
        if (pk := self.an_enquiry()) is not None:
            self.submit(
                f"/enquiries/{pk}/manager-review/",
                "note",
                "/enquiries/[id]/manager-review/",
                note="Reviewed in supervision: plan on track, next contact agreed with the person.",
            )


class UnitStaff(Caseworker):
    role = "unit"
    weight = 1

    @task(2)
    def unit_dashboard(self):
        self.page("/team/")

    @task(1)
    def sign_off_queue(self):
        self.page("/team/sign-off/")

    @task(1)
    def sac_return(self):
        self.page("/reports/sac/")

    @task(1)
    def msp_measures(self):
        self.page("/reports/msp/")

    @task(1)
    def person_search(self):
        self.search()
