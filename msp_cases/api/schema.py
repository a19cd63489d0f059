"""How the schema describes the API's authentication: OAuth 2 client credentials at /api/oauth/token/, and on
each operation the one scope it needs (the view's `required_scope`)."""

from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .scopes import SCOPES


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "msp_cases.api.authentication.ClientTokenAuthentication"
    name = "clientCredentials"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "A machine client's token: POST client_id and client_secret (HTTP Basic) with "
            "grant_type=client_credentials to the token URL. See docs/api.md.",
            "flows": {"clientCredentials": {"tokenUrl": reverse("api:token"), "scopes": dict(SCOPES)}},
        }

    def get_security_requirement(self, auto_schema):
        scope = getattr(auto_schema.view, "required_scope", None)
        return {self.name: [scope] if scope else []}
