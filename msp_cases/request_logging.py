"""Request paths in logs, never their query strings.

A query string can carry what a user typed (the search words of /people/search/?q=…; the page they came from,
in ?next=… and the Referer), so every log line the servers write keeps the path and drops from the `?` on.
gunicorn's access and error logs (msp_cases.gunicorn_conf) and Django's console handler (settings LOGGING,
which carries runserver's request lines) use the filter below; docs/security.md says how to keep
the reverse proxy's log the same."""

import logging
import re

# In a request line ("GET /people/search/?q=a b HTTP/1.1"): everything from "?" to the protocol, even spaces.
_REQUEST_LINE_QUERY = re.compile(r"\?[^\"'\r\n]*?(?=\s+HTTP/\d)")
# Anywhere else: a path (or URL) followed by a query string, up to the next space or quote.
_QUERY = re.compile(r"(/[^\s?\"'#]*)\?[^\s\"']*")


def without_query_strings(text: str) -> str:
    """`text` with the query string of every path or URL in it removed."""
    return _QUERY.sub(r"\1", _REQUEST_LINE_QUERY.sub("", text))


class WithoutQueryStrings(logging.Filter):
    """Rewrites a record's message (and its traceback, where there is one) without query strings."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the message: keep the bare format
            message = str(record.msg)
        record.msg, record.args = without_query_strings(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = without_query_strings(logging.Formatter().formatException(record.exc_info))
        return True
