from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The partners' API under /api/v1/: each machine client acts as its own service account, a member of the
    teams it is bound to, so msp_cases/access.py scopes what it reads as it scopes a person's pages."""

    name = "msp_cases.api"
    label = "api"
    verbose_name = "Partners' API"

    def ready(self) -> None:
        from oauth2_provider.signals import app_authorized

        # The schema's description of the token authentication: drf-spectacular finds extensions by
        # subclassing, so importing the module registers it.
        from . import schema  # noqa: F401

        # django-oauth-toolkit's one event for a token issued: the client's sign-in.
        app_authorized.connect(_token_issued, dispatch_uid="msp_cases.api.token_issued")


def _token_issued(sender, request, token, **kwargs) -> None:
    from .services import api_client_token_issued  # models load once the app registry is ready

    api_client_token_issued(application_id=token.application_id)
