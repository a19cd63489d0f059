from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from msp_cases.accounts.sso.views import SignOut
from msp_cases.accounts.views import SignInView
from msp_cases.core import views as core_views
from msp_cases.metrics.views import metrics
from msp_cases.shell import views as shell_views
from msp_cases.shell.benchmark.floor import benchmark_floor

# A database that cannot be reached answers 503 "Sorry, the service is unavailable"; any other error, 500.
handler500 = "msp_cases.core.unavailable.server_error"

admin.site.site_header = f"{settings.PRODUCT_NAME} administration"
admin.site.site_title = settings.PRODUCT_NAME

urlpatterns = [
    path("", shell_views.home, name="home"),
    path("sign-in/", SignInView.as_view(), name="login"),
    # The password form even when local passwords are off: for the break-glass accounts (never linked).
    path(
        "sign-in/password/",
        SignInView.as_view(extra_context={"password_form": True}),
        name="password_sign_in",
    ),
    path("sign-out/", SignOut.as_view(), name="logout"),
    path("", include("msp_cases.accounts.sso.urls")),
    path("session/keepalive/", core_views.keepalive, name="keepalive"),
    path("preferences/contrast/", core_views.contrast_toggle, name="contrast_toggle"),
    # Liveness and readiness (docs/operations.md); answered first by msp_cases.core.health.ProbeMiddleware.
    path("healthz/", core_views.healthz, name="healthz"),
    path("readyz/", core_views.readyz, name="readyz"),
    # For the operators' Prometheus only: anyone else gets a 404 (docs/metrics.md).
    path("metrics", metrics, name="metrics"),
    path("access/", include("msp_cases.audit.urls")),
    path("", include("msp_cases.accounts.urls")),
    path("", include("msp_cases.accounts.two_factor.urls")),
    path("notifications/", include("msp_cases.notifications.urls")),
    path("drafts/", include("msp_cases.drafts.urls")),
    path("accounts/review/", include("msp_cases.account_review.urls")),
    path("exports/", include("msp_cases.exports.urls")),
    path("reports/", include("msp_cases.reports.urls")),
    path("admin/", admin.site.urls),
    # The partners' API (docs/api.md): machine clients with bearer tokens, not pages.
    path("api/", include("msp_cases.api.urls")),
    # The public "Report a concern" form: no sign-in.
    path("report-a-concern/", include("msp_cases.frontdoor.urls_public")),
    # The front-door team's queue and screening (staff only).
    path("front-door/", include("msp_cases.frontdoor.urls_queue")),
    path("", include("enquiries.urls")),
    path("", include("feedback.urls")),
    path("", include("outcomes.urls")),
    path("", include("msp_cases.documents.urls")),
    path("", include("msp_cases.letters.urls")),
    path("", include("msp_cases.reviews.urls")),
    path("", include("msp_cases.partners.urls")),
    path("", include("msp_cases.subject_access.urls")),
    path("", include("msp_cases.retention.urls")),
]

# The benchmark's floor (a signed-in request that does nothing): never mounted in production.
if settings.BENCHMARK_FLOOR or settings.DEBUG:
    urlpatterns.append(path("benchmark/floor/", benchmark_floor, name="benchmark_floor"))
