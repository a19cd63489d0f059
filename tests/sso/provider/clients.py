"""Names shared by the provider and the tests that start it (importable without django-oauth-toolkit)."""

# A client registered with the provider whose ID tokens name another audience: a provider set up wrongly, or
# a token meant for another service. The token is still the provider's own, signed with its key.
MISISSUED_CLIENT_ID = "msp-cases-misissued"
OTHER_AUDIENCE = "another-service"
