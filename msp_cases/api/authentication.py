"""Bearer tokens of machine clients. django-oauth-toolkit checks the token (signature-free: it is looked up,
its expiry checked); a client-credentials token has no user, so the client's own service account is the
request's user, and the pages' access rule (msp_cases/access.py) scopes what it reads."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiClient


class ClientTokenAuthentication(OAuth2Authentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _, token = result
        client = (
            ApiClient.objects.select_related("user")
            .filter(application_id=token.application_id, is_active=True, user__is_active=True)
            .first()
        )
        if client is None:
            raise AuthenticationFailed("This client has been switched off.")
        request._request.api_client = client
        return client.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
