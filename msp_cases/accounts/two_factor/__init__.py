"""Two-factor authentication for local-password sign-ins (docs/two-factor.md).

django-otp keeps the devices: a TOTP device (the person's authenticator app) and a static device (their
recovery codes). With MSP_REQUIRE_2FA on, a session signed in with a password reaches no page of case data
until a code from one of them is accepted (`middleware.SecondStepRequiredMiddleware`); a session signed in
through the council's identity provider ("sso") is not asked, as the provider does its own.

- selectors: whether a request still needs the second step, a person's two-factor state, who may reset it;
- services: set-up, recovery codes, checking a code, and a lost device reset (recorded as a `RoleChange`);
- middleware, forms, views, urls: the pages.

Passkeys (WebAuthn) are not offered: django-otp has no WebAuthn device, and adding one means a second
library and its own ceremony pages, which is not "straightforward with the library"."""
