"""What the logs say, and what they never say (docs/operations.md "Logs").

Every process (gunicorn's workers and its own log, Celery workers, management commands) writes one JSON object
per line to standard output: a timestamp, the level, the logger and the event; for a request its id
(`request_id`, returned in the X-Request-ID header and carried into the Celery tasks it queues), the user's id
(`user_id`, never an email or a name), the route's name (`route`), its method and path (`request`), the
status (`code`) and how long it took (`duration_ms`). `LOG_FORMAT=console` prints the same lines for people
(make run does).

Never in a line: a query string (search words, ?next=…), the Referer, a client's address or browser, a form's
value, an exception's message (which can carry form values, or SQL with its parameters) or a task's result.
`without_personal_data` enforces that on every line, from structlog and from the standard library alike;
an exception is logged as its type and the files, lines and functions it passed through."""

import logging
import re
import sys
import time
import traceback
import uuid
from typing import Any

import structlog
from django_structlog import signals
from django_structlog.middlewares import RequestMiddleware

from msp_cases.request_logging import without_query_strings

# An id a proxy set (nginx's $request_id, a UUID): hex digits and dashes only, so it can carry neither a
# name nor a line break. Anything else is replaced by an id made here.
SAFE_REQUEST_ID = re.compile(r"[0-9A-Fa-f-]{16,64}")
# Keys django-structlog or a library may add that hold what a person typed, or who and where they are.
DROPPED_KEYS = ("ip", "user_agent", "positional_args", "referer", "result")
# Keys that carry an exception's message: replaced by the exception's type.
MESSAGE_KEYS = ("error", "reason")
# Extra fields a standard-library record may carry into its line: gunicorn's access line sets these.
# (Never "request": Django's own records carry the request object there, whose text has the query string.)
EXTRA_FIELDS = ["request_id", "method", "path", "code", "duration_ms", "bytes", "remote_addr"]


def _exception_type(value: Any) -> str | None:
    kind = value if isinstance(value, type) else type(value) if isinstance(value, BaseException) else None
    if kind is None:
        return None
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _exc_info(value: Any) -> tuple | None:
    if value is True:
        value = sys.exc_info()
    elif isinstance(value, BaseException):
        value = (type(value), value, value.__traceback__)
    return value if isinstance(value, tuple) and value and value[0] is not None else None


def _where(tb) -> list[str]:
    return [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)]


def without_personal_data(logger: Any, method_name: str, event_dict: dict) -> dict:
    """structlog processor: the line without what a person typed, or anything that may hold it."""
    for key in DROPPED_KEYS:
        event_dict.pop(key, None)
    for key, value in event_dict.items():  # the event's text, `request`, and any other text field
        if isinstance(value, str) and "?" in value:
            event_dict[key] = without_query_strings(value)
    exception = event_dict.pop("exception", None)  # django-structlog's task_failed passes the object
    exc_info = _exc_info(event_dict.pop("exc_info", None)) or _exc_info(exception)
    for key in MESSAGE_KEYS:
        if key in event_dict:
            kind = _exception_type(event_dict[key]) or (_exception_type(exc_info[1]) if exc_info else None)
            if kind:
                event_dict[key] = kind
            else:
                del event_dict[key]
    if exc_info:
        _, error, tb = exc_info
        event_dict["exception"] = _exception_type(error)
        event_dict["traceback"] = _where(tb)
        causes = []
        while (error := error.__cause__ or error.__context__) is not None and len(causes) < 5:
            causes.append(_exception_type(error))
        if causes:
            event_dict["caused_by"] = causes
    return event_dict


# Added to every line, whether it came from structlog or from the standard library's logging.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(renderer: str = "json") -> dict:
    """A logging formatter (for LOGGING, or gunicorn's handlers) writing each line as JSON, or for people."""
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            without_personal_data,
            structlog.processors.JSONRenderer(sort_keys=False)
            if renderer == "json"
            else structlog.dev.ConsoleRenderer(
                colors=False, exception_formatter=structlog.dev.plain_traceback
            ),
        ],
        "foreign_pre_chain": [*SHARED_PROCESSORS, structlog.stdlib.ExtraAdder(allow=EXTRA_FIELDS)],
    }


def make_formatter(renderer: str = "json") -> logging.Formatter:
    options = formatter(renderer)
    return options.pop("()")(**options)


def configure_structlog() -> None:
    """structlog's own loggers hand their events to the standard library's, so one LOGGING config (handlers,
    levels, the formatter above) applies to both. Python's warnings are logged too (logger "py.warnings"),
    rather than printed as lines of text among the JSON."""
    logging.captureWarnings(True)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class RequestLogMiddleware(RequestMiddleware):
    """django-structlog's request logging with this project's rules: a request id accepted from a proxy only
    when it is safe (SAFE_REQUEST_ID) and returned in the response, the path without its query string, the
    route's name and the duration. Django is served by sync workers here, so this runs synchronously."""

    async_capable = False

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())
        request.META["HTTP_X_REQUEST_ID"] = request_id  # what django-structlog binds (TRUST_UPSTREAM_…)
        request.log_started_ns = time.monotonic_ns()
        response = super().__call__(request)
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """The route's name and the user's id (known by now), bound for every line the view writes and every
        task it queues."""
        self.bind_user_id(request)
        match = request.resolver_match
        if match is not None:
            structlog.contextvars.bind_contextvars(route=match.view_name)

    @staticmethod
    def format_request(request) -> str:
        return f"{request.method} {request.path}"


def _finished_fields(request, log_kwargs: dict) -> None:
    match = getattr(request, "resolver_match", None)
    log_kwargs["route"] = match.view_name if match is not None else None
    started = getattr(request, "log_started_ns", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic_ns() - started) / 1_000_000, 1)


def _on_request_finished(sender, request, logger, response, log_kwargs, **kwargs) -> None:
    _finished_fields(request, log_kwargs)


def _on_request_failed(sender, request, logger, exception, log_kwargs, **kwargs) -> None:
    _finished_fields(request, log_kwargs)


signals.bind_extra_request_finished_metadata.connect(_on_request_finished, sender=RequestLogMiddleware)
signals.bind_extra_request_failed_metadata.connect(_on_request_failed, sender=RequestLogMiddleware)
