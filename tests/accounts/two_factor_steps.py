"""What a person's authenticator app would show, for the two-factor tests (client and browser)."""

import time
from base64 import b32decode

from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice


def app_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now, or the next one if now's has been used (django-otp accepts
    a code once, and one step either side of the server's clock)."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step)
    counter = max(now, device.last_t + 1)
    return f"{hotp(device.bin_key, counter, device.digits):0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code the app would not show at any step the server accepts now."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step)
    accepted = {f"{hotp(device.bin_key, now + d, device.digits):06d}" for d in range(-2, 4)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 10**6, 1111)) if c not in accepted)


def app_code_from_secret(secret: str) -> str:
    """The code for a set-up key as the page shows it (base32, in groups), as an app typed it would."""
    key = b32decode(secret.replace(" ", "").upper())
    return f"{hotp(key, int(time.time() // 30)):06d}"
