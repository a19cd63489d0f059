"""The load behind `manage.py benchmark_pages`, in a process of its own: locust patches the standard library
with gevent when imported, which must not happen to a Django process (or to the test run that calls the
command).

Reads a plan as JSON on standard input:
    {"base_url": "http://127.0.0.1:PORT", "password": "...", "concurrency": C, "seconds": S,
     "targets": [{"key": "...", "email": "...", "path": "/caseload/", "status": 200}]}
signs each user in once through the sign-in page, then for each target in turn keeps C locust users (one
connection each, no think time) asking for the page: each connection's first request warms up and is not
counted; once all have warmed up, the requests sent in the next S seconds are (those still in flight at the
end are let finish), so even a page slower than S seconds gets a figure. It writes one JSON list to standard
output: per target, the response times of those requests (p50, p95, p99 in
milliseconds, nearest rank), how many, and how many failed (an exception, or a status other than the one
expected: a redirect to the sign-in page is a failure, not a fast page)."""

import json
import math
import sys
import time
from collections import Counter

import gevent
from locust import FastHttpUser, constant, task
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment
from locust.event import EventHook
from signin import FORWARDED, SignInFailed, send_secure_cookies, sign_in

STOP_TIMEOUT_SECONDS = 120


def percentile(sorted_ms: list[float], q: float) -> float | None:
    if not sorted_ms:
        return None
    return round(sorted_ms[max(0, math.ceil(q * len(sorted_ms)) - 1)], 1)


def signed_in_cookies(base_url: str, email: str, password: str) -> list:
    session = FastHttpSession(base_url, request_event=EventHook(), user=None)
    sign_in(session, email, password)
    return list(session.cookiejar)


def measure(base_url: str, target: dict, cookies: list, *, concurrency: int, seconds: float):
    times: list[float] = []
    errors: Counter = Counter()
    warm: list = []
    window = {"from": math.inf, "until": math.inf}
    warm_up = f"{target['key']} (warm-up)"

    class PageUser(FastHttpUser):
        host = base_url
        wait_time = constant(0)

        def on_start(self):
            send_secure_cookies(self.client)
            for cookie in cookies:
                self.client.cookiejar.set_cookie(cookie)
            # Each connection's first request warms what a running server has warm, and is not counted.
            self.client.get(target["path"], headers=FORWARDED, allow_redirects=False, name=warm_up)
            warm.append(self)
            if len(warm) == concurrency:
                window["from"] = time.time()

        @task
        def open_page(self):
            with self.client.get(
                target["path"],
                headers=FORWARDED,
                allow_redirects=False,
                catch_response=True,
                name=target["key"],
            ) as response:
                if response.status_code != target["status"]:
                    response.failure(f"HTTP {response.status_code}")
                else:
                    response.success()

    def on_request(name, start_time, response_time, exception, **_kwargs):
        if name == warm_up or not window["from"] <= start_time <= window["until"]:
            return
        if exception is not None:
            errors[str(exception)[:120]] += 1
        else:
            times.append(response_time)

    # Requests sent in the window are let finish (stop_timeout): a page slower than the window still counts.
    environment = Environment(user_classes=[PageUser], stop_timeout=STOP_TIMEOUT_SECONDS)
    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    runner.start(concurrency, spawn_rate=concurrency)
    deadline = time.time() + STOP_TIMEOUT_SECONDS
    while window["from"] == math.inf and time.time() < deadline:
        gevent.sleep(0.01)
    gevent.sleep(max(0.0, window["from"] + seconds - time.time()))
    window["until"] = time.time()
    runner.quit()  # waits for the requests in flight: those sent in the window count
    times.sort()
    return {
        "key": target["key"],
        "requests": len(times) + sum(errors.values()),
        "errors": sum(errors.values()),
        "error_examples": dict(errors.most_common(3)),
        "p50_ms": percentile(times, 0.50),
        "p95_ms": percentile(times, 0.95),
        "p99_ms": percentile(times, 0.99),
    }


def main() -> None:
    plan = json.load(sys.stdin)
    base_url = plan["base_url"]
    cookies = {}
    try:
        for email in dict.fromkeys(t["email"] for t in plan["targets"]):
            cookies[email] = signed_in_cookies(base_url, email, plan["password"])
    except SignInFailed as e:
        sys.exit(str(e))
    results = [
        measure(
            base_url,
            target,
            cookies[target["email"]],
            concurrency=plan["concurrency"],
            seconds=plan["seconds"],
        )
        for target in plan["targets"]
    ]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
