"""ETag and If-Match on the version field (msp_cases.core.models.Versioned): a single-record GET says the
version it shows as a strong ETag, `"3"`, and an update must send it back in If-Match, so a change made since
the client read the record is refused (412), never silently overwritten. The service decides under its row
lock in the end (msp_cases.core.concurrency); this only reads the header.

Strong, because RFC 9110 compares If-Match strongly: a weak tag could never match. A `W/"3"` is taken as
`"3"` all the same (a proxy that compresses responses may weaken the tags it passes on): what is compared is
the version, which changes with every save of the record."""

import re

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from .problems import PreconditionFailed, PreconditionRequired

_TAG = re.compile(r'\s*(?:W/)?"([0-9]{1,10})"\s*')
HEADER_MAX = 1000


def etag_header(*statuses: int) -> OpenApiParameter:
    """The schema's word that these answers carry the record's ETag."""
    return OpenApiParameter(
        "ETag",
        str,
        location=OpenApiParameter.HEADER,
        response=list(statuses),
        description='The record’s version as a strong entity tag, like "3": send it as If-Match to change it',
    )


def etag(record) -> str:
    return f'"{record.version}"'


def stale(record) -> PreconditionFailed:
    refusal = PreconditionFailed()
    refusal.etag = etag(record)
    return refusal


def if_match_version(request, record) -> int:
    """The version the client read, if it is still the record's; else 428 (no If-Match), 400 (not an
    entity tag) or 412 (another version: the record has changed since)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        raise PreconditionRequired(
            "If-Match: * would change the record whatever it holds now: send the ETag of the record as you "
            "read it."
        )
    parts = header.split(",") if len(header) <= HEADER_MAX else []
    matches = [_TAG.fullmatch(part) for part in parts]
    if not matches or not all(matches):
        raise ValidationError({"If-Match": ['Send the ETag of the record as you read it, like "3"']})
    if record.version not in {int(match[1]) for match in matches}:
        raise stale(record)
    return record.version
