"""The virus scanner: clamd, the ClamAV daemon, at `CLAMAV_URL` (`tcp://host:3310` or `unix:///path`).

The file is streamed to clamd (INSTREAM), so clamd needs no access to the documents' storage. Three answers
and two refusals, each handled differently by the caller (`scanning.document_scan`):

- `Clean()` / `Infected(name)`: clamd's verdict.
- `ScannerUnavailable`: clamd could not be reached, or went away mid-scan. Nothing is known about the file:
  it waits, and is scanned again when clamd is back.
- `ScanError`: clamd answered but could not scan this file (larger than its StreamMaxLength, a read error).
  Asked again a few times, then the file is "scan failed" and never served.

The protocol is clamav-client's (Artefactual's maintained fork of python-clamd); this module only maps its
outcomes to those above."""

import logging
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from clamav_client import clamd
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Clean:
    pass


@dataclass(frozen=True)
class Infected:
    name: str  # clamd's signature name ("Eicar-Test-Signature"): for unit staff and the logs


ScanOutcome = Clean | Infected


class ScannerUnavailable(Exception):
    """clamd could not be reached (or stopped answering): the file must wait, not be guessed at."""


class ScanError(Exception):
    """clamd answered, but with an error about this file."""


Client = clamd.ClamdNetworkSocket | clamd.ClamdUnixSocket


def is_configured() -> bool:
    """Whether uploads are scanned at all (`make run` has no scanner: files are "not scanned")."""
    return bool(settings.CLAMAV_URL)


def client_for(url: str, *, timeout: float | None = None) -> Client:
    """A clamd client for `tcp://host:port` or `unix:///path/to/clamd.sock`."""
    timeout = settings.CLAMAV_TIMEOUT if timeout is None else timeout
    parts = urlsplit(url)
    if parts.scheme == "tcp" and parts.hostname and parts.port:
        return clamd.ClamdNetworkSocket(host=parts.hostname, port=parts.port, timeout=timeout)
    if parts.scheme == "unix" and parts.path and not parts.netloc:
        return clamd.ClamdUnixSocket(path=unquote(parts.path), timeout=timeout)  # type: ignore[arg-type]
    raise ImproperlyConfigured(
        f"CLAMAV_URL must be tcp://host:port or unix:///path/to/clamd.sock, not {url!r}"
    )


def _client() -> Client:
    if not is_configured():
        raise ImproperlyConfigured("CLAMAV_URL is not set: documents are not scanned")
    return client_for(settings.CLAMAV_URL)


def ping() -> bool:
    """True when clamd answers PONG."""
    try:
        return _client().ping() == "PONG"
    except (clamd.ClamdError, OSError):
        return False


def scan(stream: BinaryIO) -> ScanOutcome:
    """Stream `stream` to clamd and return its verdict; raise ScannerUnavailable or ScanError."""
    client = _client()
    try:
        report = client.instream(stream)
    except clamd.BufferTooLongError as error:
        raise ScanError("larger than clamd's StreamMaxLength") from error
    except clamd.CommunicationError as error:
        # Connecting failed, or the answer never came (timeout, daemon gone).
        raise ScannerUnavailable(str(error)) from error
    except clamd.ResponseError as error:
        raise ScanError(f"clamd: {error}") from error
    except OSError as error:
        # Writing the stream failed (broken pipe, reset). clamd closes the connection itself when a stream
        # passes its StreamMaxLength: if it still answers a ping, it refused this file; if not, it is down.
        if ping():
            raise ScanError(f"clamd closed the stream: {error}") from error
        raise ScannerUnavailable(str(error)) from error
    if not report:
        # The connection closed without a verdict: clamd stopped mid-scan.
        raise ScannerUnavailable("clamd closed the connection without an answer")
    status, detail = report.get("stream") or next(iter(report.values()))
    if status == "OK":
        return Clean()
    if status == "FOUND":
        return Infected(name=detail or "unnamed signature")
    raise ScanError(f"clamd: {detail or status}")
