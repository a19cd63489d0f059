"""Draft keys and the signed tokens that carry them. A form's page, having checked that this user may edit
the record, issues a token for the key (`draft_token`); the save endpoint accepts only a token it issued to
this same user (`draft_key_from_token`), so a draft can never be filed under a key the user made up."""

import datetime
import re

from django.conf import settings
from django.core import signing

# "<form>:<kind>:<id>", e.g. "conversation-add:enquiry:123", "conversation-amend:conversation:45".
KEY_PATTERN = re.compile(r"^[a-z0-9-]{1,40}(:[a-z0-9-]{1,40}){0,3}$")
_SALT = "msp_cases.drafts.key"


class BadDraftKey(Exception):
    """A token not issued by this server to this user, expired, or for a malformed key."""


def draft_token(*, user, key: str) -> str:
    if not KEY_PATTERN.match(key):
        raise ValueError(f"Malformed draft key: {key!r}")
    return signing.dumps([user.pk, key], salt=_SALT, compress=False)


def draft_key_from_token(*, user, token: str) -> str:
    try:
        user_pk, key = signing.loads(
            token, salt=_SALT, max_age=datetime.timedelta(days=settings.DRAFT_KEEP_DAYS)
        )
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BadDraftKey from error
    if user_pk != user.pk or not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise BadDraftKey
    return key
