"""A web worker's peak memory while it serves the heaviest pages, as production serves them.

Starts gunicorn with ONE sync worker (msp_cases/gunicorn_conf.py and the benchmark settings, as
`benchmark_pages` does) against the database DATABASE_URL names, signs in through the sign-in page as the
practitioner, manager and unit staff `benchmark_pages` chooses, and asks for each page in turn (`--repeat`
times), then for the reports of the current and the last financial year. After each page it reads the
worker's VmRSS (now) and VmHWM (its peak since it started) from /proc. One worker serves every request, so
its peak is what the heaviest page cost on top of the process itself.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/msp_cases \\
        .venv/bin/python scripts/measure_worker_rss.py --password "$SYNTHETIC_STAFF_PASSWORD"

Prints one JSON line per page (path, role, status, ms, rss_mb, peak_mb) and a last line with the peak.
Exits 1 if a page did not answer 200 or the peak passed --budget-mb (default 250)."""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "loadtest"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msp_cases.settings.dev")


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def _worker_pid(timeout: float = 30) -> int:
    """The one gunicorn worker: the child of the master, which is this process's child."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for master in _children(os.getpid()):
            workers = _children(master)
            if len(workers) == 1:
                return workers[0]
        time.sleep(0.2)
    raise RuntimeError("no gunicorn worker found")


def _cookies(session) -> dict[str, str]:
    """The Cookie header a browser would send over TLS. requests copies the session's jar into one with the
    default policy for each request, which withholds `Secure` cookies from http://, so they are sent here."""
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in session.cookies)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--password", default=os.environ.get("SYNTHETIC_STAFF_PASSWORD", ""))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--budget-mb", type=float, default=250.0)
    args = parser.parse_args()

    import django

    django.setup()
    import requests
    from django.urls import reverse
    from signin import FORWARDED, csrf_token, post_headers

    from msp_cases.core.periods import financial_year
    from msp_cases.shell.benchmark.pages import choose_pages
    from msp_cases.shell.benchmark.server import gunicorn_server

    _floor, pages = choose_pages()
    this_year = financial_year(datetime.date.today())
    last_year = financial_year(this_year[0] - datetime.timedelta(days=1))
    unit = next(p.user for p in pages if p.role == "unit")
    manager = next(p.user for p in pages if p.role == "manager")
    paths = [(p.role, p.user, p.path) for p in pages]
    for start, end in (this_year, last_year):
        period = (
            f"?start_0={start.day}&start_1={start.month}&start_2={start.year}"
            f"&end_0={end.day}&end_1={end.month}&end_2={end.year}"
        )
        for url_name in ("reports:sac", "reports:msp", "reports:experience", "reports:timeliness"):
            for role, user in (("manager", manager), ("unit", unit)):
                paths.append((role, user, reverse(url_name) + period))

    failed = False
    with gunicorn_server(workers=1) as base_url:
        worker = _worker_pid()
        sessions: dict[int, requests.Session] = {}
        start_kb = _status(worker)
        print(json.dumps({"worker_started_rss_mb": round(start_kb["VmRSS"] / 1024, 1)}), flush=True)
        for role, user, path in paths:
            session = sessions.get(user.pk)
            if session is None:
                session = sessions[user.pk] = requests.Session()
                page = session.get(base_url + "/sign-in/", headers=FORWARDED)
                fields = {"username": user.email, "password": args.password}
                fields["csrfmiddlewaretoken"] = csrf_token(page.text)
                signed = session.post(
                    base_url + "/sign-in/",
                    data=fields,
                    headers={**post_headers(base_url), **_cookies(session)},
                    allow_redirects=False,
                )
                if signed.status_code != 302:
                    print(f"signing in as {user.email} failed ({signed.status_code})", file=sys.stderr)
                    return 1
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = session.get(
                    base_url + path, headers={**FORWARDED, **_cookies(session)}, allow_redirects=False
                )
                ms = (time.perf_counter() - started) * 1000
                kb = _status(worker)
                failed |= response.status_code != 200
                line = {
                    "path": path.split("?")[0],
                    "period": path.partition("?")[2] or None,
                    "role": role,
                    "status": response.status_code,
                    "ms": round(ms),
                    "bytes": len(response.content),
                    "rss_mb": round(kb["VmRSS"] / 1024, 1),
                    "peak_mb": round(kb["VmHWM"] / 1024, 1),
                }
                print(json.dumps(line), flush=True)
        peak = _status(worker)["VmHWM"] / 1024
    ok = peak <= args.budget_mb and not failed
    print(json.dumps({"worker_peak_mb": round(peak, 1), "budget_mb": args.budget_mb, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
