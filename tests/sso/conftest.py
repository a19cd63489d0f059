"""Single sign-on tests run against a real OpenID Connect provider (tests/sso/oidc_provider.py), started once
per run beside Django's live server, with the demo accounts' emails and one email no account has."""

import pytest

from msp_cases.accounts.demo import DEMO_USERS
from tests.browser.conftest import chromium_browser, demo_cases, ui  # noqa: F401 (for the browser tests)

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider

# Signed in at the provider, but no account in the app has this email.
UNKNOWN_EMAIL = "new.starter@example.org"
PROVIDER_NAME = "your Example Council account"  # as OIDC_PROVIDER_NAME defaults to


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    provider = OIDCProvider(
        people=[(u.email, u.full_name) for u in DEMO_USERS] + [(UNKNOWN_EMAIL, "New Starter")],
        app_urls=[live_server.url, "http://testserver"],
    )
    provider.start()
    yield provider
    provider.cleanup()


@pytest.fixture
def sso_settings(settings, oidc_provider):
    """Single sign-on on, pointed at the test provider, as a council's environment would set it."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_DISCOVERY_URL = oidc_provider.discovery_url
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    return settings
