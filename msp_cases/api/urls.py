"""/api/: the token endpoint, the OpenAPI schema and its docs page, and version 1's operations."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider.views import TokenView

from . import case_views, report_views, views
from .concern_views import ConcernDetail
from .referral_views import ReferralCreate, ReferralDetail

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
    path("v1/concerns/<int:pk>/", views.api_view(ConcernDetail), name="concern"),
    path("v1/referrals/", views.api_view(ReferralCreate), name="referrals"),
    path("v1/referrals/<int:pk>/", views.api_view(ReferralDetail), name="referral"),
    # An enquiry's parts, the documents on a case, and the reports (case_views.py, report_views.py).
    path(
        "v1/enquiries/<int:pk>/conversations/",
        views.api_view(case_views.EnquiryConversations),
        name="enquiry_conversations",
    ),
    path("v1/conversations/<int:pk>/", views.api_view(case_views.ConversationDetail), name="conversation"),
    path(
        "v1/enquiries/<int:pk>/outcomes/", views.api_view(case_views.EnquiryOutcomes), name="enquiry_outcomes"
    ),
    path(
        "v1/enquiries/<int:pk>/experience/",
        views.api_view(case_views.EnquiryExperience),
        name="enquiry_experience",
    ),
    path(
        "v1/enquiries/<int:pk>/documents/",
        views.api_view(case_views.EnquiryDocuments),
        name="enquiry_documents",
    ),
    path(
        "v1/concerns/<int:pk>/documents/",
        views.api_view(case_views.ConcernDocuments),
        name="concern_documents",
    ),
    path(
        "v1/documents/<int:pk>/content/", views.api_view(case_views.DocumentContent), name="document_content"
    ),
    path("v1/reports/sac/", views.api_view(report_views.SacReturnRead), name="report_sac"),
    path("v1/reports/msp/", views.api_view(report_views.MspMeasuresRead), name="report_msp"),
    # Any other address under /api/ (an empty pattern matches whatever is left of the path).
    re_path(r"", views.not_found, name="not_found"),
]
