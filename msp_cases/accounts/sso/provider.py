"""The identity provider's endpoints, read from its discovery document (OIDC_DISCOVERY_URL).

mozilla-django-oidc wants each endpoint as a setting; reading them from the provider instead means a council
sets one URL, and a provider that moves an endpoint (or rolls its keys' URL) needs no redeploy. The document
is fetched when first needed, never while settings load (so `check --deploy` and the tests need no network),
and kept in the cache for an hour. An endpoint set explicitly (OIDC_OP_TOKEN_ENDPOINT, say) wins."""

import hashlib
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from mozilla_django_oidc.utils import import_from_settings

DISCOVERY_SECONDS = 60 * 60

# mozilla-django-oidc's setting name -> the discovery document's key.
ENDPOINT_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
    "OIDC_OP_ISSUER": "issuer",
}


class ProviderUnavailable(Exception):
    """The discovery document could not be read: the provider is down or the URL is wrong."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None
    end_session_endpoint: str | None


def sso_enabled() -> bool:
    return bool(settings.OIDC_ENABLED)


def _discovery() -> dict:
    url = settings.OIDC_DISCOVERY_URL
    key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(str(error)) from error
        if not isinstance(document, dict) or not {"issuer", "authorization_endpoint"} <= document.keys():
            raise ProviderUnavailable("the discovery document has no issuer or authorisation endpoint")
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def oidc_setting(name: str, *default):
    """A mozilla-django-oidc setting, with the provider's endpoints filled in from discovery."""
    explicit = getattr(settings, name, None)
    if explicit or name not in ENDPOINT_KEYS:
        return import_from_settings(name, *default)
    value = _discovery().get(ENDPOINT_KEYS[name])
    if value is None and default:
        return default[0]
    return value


def provider() -> Provider:
    return Provider(
        issuer=oidc_setting("OIDC_OP_ISSUER"),
        authorization_endpoint=oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT"),
        token_endpoint=oidc_setting("OIDC_OP_TOKEN_ENDPOINT"),
        jwks_uri=oidc_setting("OIDC_OP_JWKS_ENDPOINT"),
        userinfo_endpoint=oidc_setting("OIDC_OP_USER_ENDPOINT", None),
        end_session_endpoint=oidc_setting("OIDC_OP_LOGOUT_ENDPOINT", None),
    )
