"""/api/: the token endpoint, the OpenAPI schema and its docs page, and version 1's operations."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from . import views

app_name = "api"

urlpatterns = [
    # Client credentials only: the clients this product makes (manage.py api_client) may use no other grant.
    path("oauth/token/", login_not_required(TokenView.as_view()), name="token"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    # Swagger UI from the sidecar's static files, its start-up script a separate file: the CSP holds.
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
        ),
        name="docs",
    ),
    path("v1/people/", views.api_view(views.PersonSearch), name="people"),
    path("v1/people/<int:pk>/", views.api_view(views.PersonDetail), name="person"),
    path("v1/enquiries/<int:pk>/", views.api_view(views.EnquiryDetail), name="enquiry"),
    # Any other address under /api/ (an empty pattern matches whatever is left of the path).
    re_path(r"", views.not_found, name="not_found"),
]
