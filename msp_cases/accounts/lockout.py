"""Sign-in lockout (django-axes): what a lockout is keyed on.

The key is the pair (the email as sign-in reads it, the client's address): failures from one address lock
that email from that address only, so a stranger elsewhere cannot lock the real person out, and another
spelling of the same email (capitals, spaces) gets no new guesses. The address comes from
`msp_cases.core.request.client_ip`, the same one the record of access keeps (settings: AXES_*)."""

from django.conf import settings

from .models import UserManager


def sign_in_email(value: str) -> str:
    """The one normalisation of a typed email address, used by the sign-in form and the lockout key: the
    account's email is stored the same way (UserManager) and found without regard to case."""
    return UserManager.normalize_email((value or "").strip()).lower()


def lockout_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the email half of the lockout key, normalised as sign-in normalises it."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        typed = getattr(request, "POST", {}).get(field) if request is not None else None
    return sign_in_email(typed) if typed else None
