"""Liveness and readiness, for load balancers, Kubernetes probes and the compose health check
(docs/operations.md "Health and readiness").

- /healthz/ (liveness): the process answers. It touches no database, Redis or disk, so a restart is never
  ordered because PostgreSQL is down: restarting the app would not bring PostgreSQL back.
- /readyz/ (readiness): each thing a request may need answers: the database, the Celery broker (when tasks
  are queued, not run eagerly), the cache (when it is Redis) and the exports' and documents' storage. Any
  that fails makes it 503, naming which one, never a host, address or error text.

Both are answered by `ProbeMiddleware`, first in MIDDLEWARE, before host validation, the HTTPS redirect,
sessions, sign-in and two-factor: a kubelet probes the pod's own address over plain HTTP, with a Host header
no ALLOWED_HOSTS names; and a probe every few seconds should neither open a session nor fill the logs."""

import os
from collections.abc import Callable
from pathlib import Path

import structlog
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = structlog.get_logger(__name__)

OK, FAILED = "ok", "failed"
# Seconds each network check may take before it counts as failed: a probe must answer before its own
# timeout (compose waits 10 s; Kubernetes 1 s by default, so set timeoutSeconds to 5 there).
CHECK_TIMEOUT_SECONDS = 2


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=CHECK_TIMEOUT_SECONDS) as connection:
        # One attempt, no retry loop: an unreachable broker fails this probe now, not in a minute.
        connection.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT_SECONDS)


def check_cache() -> None:
    caches["default"].get("readyz-probe")


def _writable(location: str) -> bool:
    """The directory, or the nearest existing one above it (the storage makes the rest on first save)."""
    path = Path(location)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def _check_storage(alias: str) -> Callable[[], None]:
    def check() -> None:
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            if not _writable(storage.location):
                raise PermissionError("not writable")
        else:  # an S3-compatible bucket: one HEAD request, which needs the bucket and the credentials
            storage.exists("readyz-probe")

    return check


def readiness_checks() -> dict[str, Callable[[], None]]:
    """The checks that apply to this configuration, by the name /readyz/ reports."""
    checks: dict[str, Callable[[], None]] = {"database": check_database}
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = check_broker
    if "redis" in caches["default"].__class__.__module__:
        checks["cache"] = check_cache
    checks["exports_storage"] = _check_storage("exports")
    checks["documents_storage"] = _check_storage("documents")
    return checks


def readiness() -> tuple[bool, dict[str, str]]:
    results = {}
    for name, check in readiness_checks().items():
        try:
            check()
            results[name] = OK
        except Exception as error:
            # The kind of error for the operator, not its message (which names hosts and addresses).
            logger.warning("readiness_check_failed", check=name, error_type=type(error).__name__)
            results[name] = FAILED
    return all(result == OK for result in results.values()), results


def _probe_response(body: dict, status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return _probe_response({"status": "ok"}, 200)


def readyz(request: HttpRequest) -> HttpResponse:
    ready, results = readiness()
    if ready:
        return _probe_response({"status": "ok", "checks": results}, 200)
    return _probe_response({"status": "unavailable", "checks": results}, 503)


# Both spellings, so a probe configured as /healthz (Kubernetes' habit) gets its answer, not a redirect.
PROBES = {"/healthz/": healthz, "/healthz": healthz, "/readyz/": readyz, "/readyz": readyz}


class ProbeMiddleware:
    """Answers GET and HEAD to the probe paths before any other middleware runs (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
