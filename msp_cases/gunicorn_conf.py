"""gunicorn's settings for production, loaded with `--config python:msp_cases.gunicorn_conf` as the
Dockerfile, docker-compose.yml and docs/deployment.md's commands do. Bind address and workers stay on the
command line.

gunicorn's own lines are JSON objects, one a line, as the application's are (msp_cases/logs.py): its error log
on standard error, its access log on standard output (the container's log). An access line names the request's
path and never its query string or Referer: both can carry the words of a search for a person
(/people/search/?q=…). The format has no `%(r)s` (the request line), `%(q)s` (the query string), `%(f)s` (the
Referer) or `%({header}i)s` atoms; the line also carries the request id the application returned, to find the
application's own line for the same request. The error log, which names the request when one fails, goes
through the same filter as Django's log."""

import gc
import os
import traceback

from gunicorn.glogging import Logger

from msp_cases.logs import make_formatter
from msp_cases.request_logging import WithoutQueryStrings

accesslog = "-"
# Method, path, protocol, status, bytes sent, seconds taken (the line's own fields hold the client's
# address and the time).
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


class PathOnlyLogger(Logger):
    """gunicorn's logger with query strings taken out of every line it writes, whatever the format: a format
    changed on the command line, or an error that names the request's URI, still logs the path only. Each
    line is written as the application's are (JSON, or LOG_FORMAT=console)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        formatter = make_formatter(os.environ.get("LOG_FORMAT", "json"))
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, WithoutQueryStrings) for f in log.filters):
                log.addFilter(WithoutQueryStrings())
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time) -> None:
        """The line the format makes, with the same facts as fields a log search can filter on."""
        if not self.access_log_enabled:
            return
        atoms = self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time))
        request_id = next((value for name, value in resp.headers if name.lower() == "x-request-id"), None)
        fields = {
            "request_id": request_id,
            "method": atoms["m"],
            "path": atoms["U"],
            "code": resp.status_code,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "remote_addr": atoms["h"],
        }
        try:
            self.access_log.info(self.cfg.access_log_format, atoms, extra=fields)
        except Exception:  # as gunicorn does: a line that cannot be written must not fail the request
            self.error(traceback.format_exc())


logger_class = PathOnlyLogger


def post_worker_init(worker) -> None:
    """Once a worker has loaded the application, its objects (Django, the apps, their modules: about 170,000
    at start) are moved out of reach of Python's garbage collector (`gc.freeze()`, made for long-running
    servers). Left in, a full collection walked all of them in the middle of whichever request set it off:
    at 1,000,000 concerns about one request in twenty to the enquiry page or the unit's dashboard paid
    130-230 ms for it on a quiet 2-core machine, their slowest requests. Frozen, a collection walks only
    what requests themselves keep (3 ms a request)."""
    gc.freeze()
