"""gunicorn's settings for production, loaded with `--config python:msp_cases.gunicorn_conf` as the
Dockerfile, docker-compose.yml and docs/deployment.md's commands do. Bind address and workers stay on the
command line.

The access log goes to standard output (the container's log) with the request's path and never its query
string or Referer: both can carry the words of a search for a person (/people/search/?q=…). The format has
no `%(r)s` (the request line), `%(q)s` (the query string), `%(f)s` (the Referer) or `%({header}i)s` atoms.
The error log, which names the request when one fails, goes through the same filter as Django's log."""

import gc

from gunicorn.glogging import Logger

from msp_cases.request_logging import WithoutQueryStrings

accesslog = "-"
# Client address, time, method, path, protocol, status, bytes sent, seconds taken.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


class PathOnlyLogger(Logger):
    """gunicorn's logger with query strings taken out of every line it writes, whatever the format: a format
    changed on the command line, or an error that names the request's URI, still logs the path only."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, WithoutQueryStrings) for f in log.filters):
                log.addFilter(WithoutQueryStrings())


logger_class = PathOnlyLogger


def post_worker_init(worker) -> None:
    """Once a worker has loaded the application, its objects (Django, the apps, their modules: about 170,000
    at start) are moved out of reach of Python's garbage collector (`gc.freeze()`, made for long-running
    servers). Left in, a full collection walked all of them in the middle of whichever request set it off:
    at 1,000,000 concerns about one request in twenty to the enquiry page or the unit's dashboard paid
    130-230 ms for it on a quiet 2-core machine, their slowest requests. Frozen, a collection walks only
    what requests themselves keep (3 ms a request)."""
    gc.freeze()
