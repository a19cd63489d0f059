"""A real OpenID Connect provider for the single sign-on tests: a throwaway Django project serving
django-oauth-toolkit's provider (authorisation code with PKCE required, RS256 ID tokens, discovery, JWKS,
userinfo, RP-initiated logout), with its own settings module and a SQLite database in a temporary directory.

It lives under tests/ and is started by `tests/sso/oidc_provider.py` in a subprocess; nothing in the app
imports it."""
