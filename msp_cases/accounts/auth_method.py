"""How a session was signed in, kept in the session by the sign-in paths: "password" at the sign-in page (the
two-factor step then asks for a code), "sso" when the council's identity provider signed the person in (it
does its own second factor). Read by two-factor authentication and by "Your sessions"."""

SESSION_KEY = "msp_auth_method"
PASSWORD = "password"  # noqa: S105 (the name of a sign-in method, not a password)
SSO = "sso"
