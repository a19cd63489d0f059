"""django-oauth-toolkit's own admin pages are taken away, on purpose: in them an administrator could make an
application, or change a client's secret, and so give someone API access outside `manage.py api_client`
(docs/api.md). A client is switched off by deactivating its service account ("API client: …") like any other
account; its tokens then open nothing."""

from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

for model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
