"""What a database connection costs a request, under each way the app can hold its connections.

Serves N requests for /readyz/ (one `SELECT 1`; a look at the exports' and documents' directories) through
Django's WSGI handler in this process, exactly as a gunicorn sync worker does (request_started and
request_finished fire, so Django opens, keeps, checks or returns connections as it would in production), once
per mode, each in a fresh interpreter since the settings read the environment at start-up:

  new        DATABASE_CONN_MAX_AGE=0: a new connection for every request
  persistent DATABASE_CONN_MAX_AGE=60 (the default): one connection per process, health-checked before reuse
  pool       DATABASE_POOL_MAX_SIZE=2: psycopg's pool in the process (Django's "pool" option)

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/msp_cases \\
        .venv/bin/python scripts/measure_db_connections.py

Prints one JSON line per mode: requests, connections opened, median and 95th percentile per request (ms).
The database needs no tables: /readyz/ only runs `SELECT 1` (no broker is checked: tasks run eagerly here)."""

import json
import os
import statistics
import subprocess
import sys
import time

MODES = {
    "new": {"DATABASE_CONN_MAX_AGE": "0", "DATABASE_POOL_MAX_SIZE": "0"},
    "persistent": {"DATABASE_CONN_MAX_AGE": "60", "DATABASE_POOL_MAX_SIZE": "0"},
    "pool": {"DATABASE_POOL_MAX_SIZE": "2"},
}


def measure(requests: int) -> dict:
    import django
    import psycopg

    # Count connections made to the server, whoever makes them: Django (psycopg.connect) or the pool
    # (Connection.connect).
    opened = []
    real_connect = psycopg.Connection.connect

    def counting_connect(*args, **kwargs):
        opened.append(1)
        return real_connect(*args, **kwargs)

    psycopg.connect = psycopg.Connection.connect = counting_connect

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    handler = WSGIHandler()
    environ = RequestFactory().get("/readyz/", HTTP_HOST="127.0.0.1").environ

    def one() -> float:
        started = time.perf_counter()
        response = handler(dict(environ), lambda status, headers: None)
        if response.status_code != 200:
            raise RuntimeError(f"/readyz/ answered {response.status_code}: {response.content.decode()}")
        response.close()  # request_finished: the connection is closed, kept or returned to the pool here
        return (time.perf_counter() - started) * 1000

    for _ in range(20):  # warm up imports, URL resolution and the pool
        one()
    opened.clear()
    times = sorted(one() for _ in range(requests))
    return {
        "requests": requests,
        "connections_opened": len(opened),
        "p50_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
        "total_s": round(sum(times) / 1000, 2),
    }


def main() -> None:
    requests = int(os.environ.get("REQUESTS", "1000"))
    if len(sys.argv) > 1:  # the child: one mode
        print(json.dumps({"mode": sys.argv[1], **measure(requests)}))
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    for mode, env in MODES.items():
        child_env = {
            **os.environ,
            **env,
            "DJANGO_SETTINGS_MODULE": "msp_cases.settings.dev",
            "DJANGO_DEBUG": "false",  # DEBUG keeps every query in memory
            "DJANGO_READ_DOT_ENV": "false",
            "CELERY_BROKER_URL": "",  # the database's cost alone: /readyz/ checks no broker
            "CACHE_URL": "locmemcache://",
        }
        subprocess.run([sys.executable, __file__, mode], env=child_env, check=True)  # noqa: S603 (this file)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
