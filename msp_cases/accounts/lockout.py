"""Sign-in lockout (django-axes): what a lockout is keyed on.

The key is the pair (the email as sign-in reads it, the client's address): failures from one address lock
that email from that address only, so a stranger elsewhere cannot lock the real person out, and another
spelling of the same email (capitals, spaces) gets no new guesses. The address comes from
`msp_cases.core.request.client_ip`, the same one the record of access keeps (settings: AXES_*)."""

from django.conf import settings
from django.utils.crypto import salted_hmac

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


def lockout_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """AXES_CLIENT_STR_CALLABLE: how django-axes names the client in its log lines (every wrong password or
    code, every lockout). The email is only a keyed digest, so the logs hold no email address and still show
    repeated failures against one account; the address and the page stay as they are."""
    account = salted_hmac("msp_cases.accounts.lockout", username).hexdigest()[:12] if username else "-"
    return f'{{account: "{account}", ip_address: "{ip_address}", path_info: "{path_info}"}}'
