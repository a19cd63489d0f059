import os

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from .collectors import BrokerCollector, DatabaseCollector
from .gate import may_read_metrics


class _Scrape:
    """Everything one scrape reports: the process's own metrics (or, under gunicorn with
    PROMETHEUS_MULTIPROC_DIR, every worker process's, added up), then the figures read now."""

    def __init__(self):
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            own = CollectorRegistry()
            MultiProcessCollector(own)
        else:
            own = REGISTRY
        self.parts = (own, BrokerCollector(), DatabaseCollector())

    def collect(self):
        for part in self.parts:
            yield from part.collect()


# Exempt from CSRF so that a stranger's POST gets the same 404 as a GET, not a 403 that says it exists.
@csrf_exempt
@login_not_required
def metrics(request: HttpRequest) -> HttpResponse:
    """For the operators' Prometheus only (docs/metrics.md); anyone else is told there is no such page."""
    if not may_read_metrics(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(generate_latest(_Scrape()), content_type=CONTENT_TYPE_LATEST)
