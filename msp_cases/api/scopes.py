"""The scopes a machine client may hold, and django-oauth-toolkit's scopes backend that gives each client
only the scopes it was created with (the toolkit's default would offer every scope to every client)."""

from oauth2_provider.scopes import BaseScopes

REFERRALS_WRITE = "referrals:write"
PEOPLE_READ = "people:read"
CASES_READ = "cases:read"
CASES_WRITE = "cases:write"
REPORTS_READ = "reports:read"

SCOPES = {
    REFERRALS_WRITE: "Send concerns to the front door",
    PEOPLE_READ: "Search and read the people the client's teams may see",
    CASES_READ: "Read the concerns and enquiries the client's teams may see",
    CASES_WRITE: "Make selected updates to those concerns and enquiries",
    REPORTS_READ: "Read the SAC return and MSP measures",
}


def client_scopes(application) -> list[str]:
    client = getattr(application, "api_client", None)
    if client is None or not client.is_active or not client.user.is_active:
        return []
    return [scope for scope in client.scopes.split() if scope in SCOPES]


class ClientScopes(BaseScopes):
    """A token can carry only the scopes its client was given; asking for none gives all of them."""

    def get_all_scopes(self):
        return SCOPES

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return client_scopes(application) if application is not None else list(SCOPES)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return client_scopes(application) if application is not None else []
