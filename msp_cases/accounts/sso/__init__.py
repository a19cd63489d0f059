"""Single sign-on with the council's identity provider by OpenID Connect (docs/single-sign-on.md).

Built on mozilla-django-oidc (the authorisation code flow with PKCE, state and nonce kept in the session);
what is ours: the provider's endpoints read from its discovery document (`provider`), the ID token checked
for issuer, audience and expiry and the account found by email, never made (`backends`), a page that says
why a sign-in was refused (`views`), and local passwords switched off except for break-glass accounts."""
