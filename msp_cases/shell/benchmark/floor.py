"""The framework's floor for `benchmark_pages`: a signed-in request that reads nothing and renders nothing.

It goes through every middleware a page goes through (session, CSRF for a POST, authentication, the session
renewal), so a page's time divided by the floor's is what the page itself costs. It answers 204 with no body:
no personal data, no state changed beyond the session renewal every request makes. msp_cases/urls.py mounts
it only when settings.BENCHMARK_FLOOR (set by msp_cases.settings.benchmark alone) or DEBUG is true, so a
production deployment has no such URL (docs/performance.md)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

FLOOR_PATH = "/benchmark/floor/"


@require_http_methods(["GET", "POST"])
def benchmark_floor(request: HttpRequest) -> HttpResponse:
    # Signing in is required by LoginRequiredMiddleware, as for every view not marked login_not_required.
    return HttpResponse(status=204)
