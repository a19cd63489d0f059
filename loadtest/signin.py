"""Signing in through the real sign-in page, shared by `measure.py` (benchmark_pages) and `locustfile.py`.

The server runs with production's settings behind no proxy, so the client says what production's
TLS-terminating proxy says: `X-Forwarded-Proto: https`. Django then treats the request as secure — its
cookies are `Secure` and `__Host-` prefixed, and a POST must carry an `Origin` of https://host — and the
client's cookie jar is told to send secure cookies over the plain loopback connection."""

import re
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlencode, urlsplit

FORWARDED = {"X-Forwarded-Proto": "https"}
SIGN_IN = "/sign-in/"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignInFailed(Exception):
    pass


def csrf_token(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    if match is None:
        raise SignInFailed("no CSRF token on the page")
    return match.group(1)


def post_headers(base_url: str) -> dict[str, str]:
    """Headers of a form POST: CSRF's origin check compares Origin with https://<host> under HTTPS."""
    return {
        **FORWARDED,
        "Origin": f"https://{urlsplit(base_url).netloc}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def post_form(client, path: str, fields: dict | list, *, name: str | None = None):
    """POST a form as a browser does, without following the redirect, so the caller sees it."""
    return client.post(
        path,
        data=urlencode(fields, doseq=True),
        headers=post_headers(client.base_url),
        allow_redirects=False,
        name=name or path,
    )


def send_secure_cookies(client) -> None:
    """Let a locust FastHttpSession's cookie jar send `Secure` cookies over http://, as TLS would."""
    client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))


def sign_in(client, email: str, password: str) -> None:
    """Sign `client` (a locust FastHttpSession) in as `email`; its cookie jar then holds the session."""
    send_secure_cookies(client)
    page = client.get(SIGN_IN, headers=FORWARDED, name="sign in")
    fields = {"username": email, "password": password, "csrfmiddlewaretoken": csrf_token(page.text)}
    response = post_form(client, SIGN_IN, fields, name="sign in")
    location = response.headers.get("Location") or ""
    if response.status_code != 302 or location.startswith(SIGN_IN):
        raise SignInFailed(
            f"signing in as {email} answered {response.status_code}: is the password right? "
            "(generate_synthetic --staff-password sets it for the synthetic staff)"
        )
