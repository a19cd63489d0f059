"""Writes for two-factor authentication: setting up an authenticator, recovery codes, checking a code at the
second step, and a lost device reset by a unit lead or administrator (recorded as a `RoleChange`).

Every code is checked through django-otp's `verify_token`, which locks the device row while it checks, so two
requests cannot both spend one code; a wrong code grows the device's delay before the next try (django-otp's
throttling: 1, 2, 4, 8 … seconds)."""

from dataclasses import dataclass

import django_otp
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import RoleChange, User
from ..sessions.services import sessions_end_all
from .selectors import authenticator_for, recovery_device_for

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RESET_RECORD_NAME = "Reset for a lost device, authenticator app and recovery codes removed"


class TwoFactorRefused(Exception):
    """A two-factor change nobody may make (such as resetting one's own)."""


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code typed at the second step: the device that accepted it, or why not."""

    device: TOTPDevice | StaticDevice | None
    wait_seconds: int = 0  # > 0: too many wrong codes just now; not checked

    @property
    def accepted(self) -> bool:
        return self.device is not None


def authenticator_setup_begin(*, user: User) -> TOTPDevice:
    """The authenticator a set-up page shows: made once with a new secret, and the same one on reload, so
    the QR code a person has already scanned stays right until they confirm it."""
    device = authenticator_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_setup_confirm(*, user: User, code: str) -> tuple[CodeCheck, list[str]]:
    """Confirm the authenticator being set up with a code it shows, then give the person recovery codes.

    Returns the check and, when the code was right, the new recovery codes (to be shown once). Any earlier
    authenticator of the person goes: one authenticator per person."""
    with transaction.atomic():
        pending = authenticator_for(user, confirmed=False)
        if pending is None:
            return CodeCheck(device=None), []
        check = _check(user=user, device=pending, code=code)
        if not check.accepted:
            return check, []
        device = check.device
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_replace(user=user)
    return CodeCheck(device=device), codes


def recovery_codes_replace(*, user: User) -> list[str]:
    """New recovery codes for `user`; the old ones stop working. Returned to be shown once."""
    with transaction.atomic():
        device = recovery_device_for(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def normalise_recovery_code(typed: str) -> str:
    """A recovery code as stored: lower case, without the space it is shown with or any a person adds."""
    return "".join(ch for ch in typed if ch.isalnum()).lower()


def second_step_check(*, user: User, code: str, recovery: bool = False) -> CodeCheck:
    """Check a code typed at the second step against the person's authenticator (or, with `recovery`, their
    recovery codes, each of which works once)."""
    device = recovery_device_for(user) if recovery else authenticator_for(user)
    if device is None:
        return CodeCheck(device=None)
    if recovery:
        code = normalise_recovery_code(code)
    return _check(user=user, device=device, code=code)


def _check(*, user: User, device, code: str) -> CodeCheck:
    allowed, why = device.verify_is_allowed()
    if not allowed and why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        wait = (why["locked_until"] - timezone.now()).total_seconds()
        return CodeCheck(device=None, wait_seconds=max(1, int(wait + 0.999)))
    if device.confirmed:
        accepted = django_otp.verify_token(user, device.persistent_id, code)
    else:
        # django-otp's verify_token looks up confirmed devices only; the set-up device is checked directly,
        # under the same row lock.
        with transaction.atomic():
            locked = type(device).objects.select_for_update().get(pk=device.pk)
            accepted = locked if locked.verify_token(code) else None
    return CodeCheck(device=accepted)


def two_factor_reset(*, actor: User, user: User, reason: str, ip_address: str | None) -> RoleChange:
    """A lost device: remove `user`'s authenticator and recovery codes, so their next password sign-in sets
    up a new one. Recorded with who did it, why and from where, shown with the role changes.

    Refused for one's own account (a person who has lost their device cannot vouch for themselves), and for
    a superuser's unless the actor is one. Every session of the account is ended: one signed in before the
    reset (in the lost phone's browser, say) would otherwise be sent to set up a new authenticator without
    the password being given again."""
    if actor.pk == user.pk:
        raise TwoFactorRefused("You cannot reset your own two-factor authentication. Ask a unit lead")
    if user.is_superuser and not actor.is_superuser:
        raise TwoFactorRefused("Only a superuser can reset a superuser's two-factor authentication")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record = RoleChange(
            changed_by=actor,
            user=user,
            kind=RoleChange.Kind.TWO_FACTOR,
            name=RESET_RECORD_NAME,
            granted=False,
            reason=reason,
            ip_address=ip_address,
        )
        try:
            record.full_clean()
        except ValidationError as error:
            raise TwoFactorRefused("; ".join(error.messages)) from error
        record.save()
        sessions_end_all(user=user)
    return record
