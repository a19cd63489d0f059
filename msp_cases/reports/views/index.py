from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from .base import reports_required

# Every report, in the order the unit reads them.
CATALOGUE = [
    (
        "reports:sac",
        "SAC return",
        "The statutory Safeguarding Adults Collection tables, with a data-quality list.",
    ),
    (
        "reports:msp",
        "Making Safeguarding Personal",
        "Were people asked about their outcomes, and were they achieved?",
    ),
    (
        "reports:experience",
        "My Safeguarding Experience",
        "What people made of it: Part 2 answers by quarter.",
    ),
    ("reports:timeliness", "Timeliness", "Concern to decision, enquiry durations, drift by rule."),
    ("reports:audits", "Case-file audits", "A sample of closed enquiries scored against the MSP checklist."),
]


def catalogue() -> list[dict]:
    return [
        {"url_name": url_name, "href": reverse(url_name), "title": title, "summary": summary}
        for url_name, title, summary in CATALOGUE
    ]


@require_GET
@reports_required
def index(request):
    return render(request, "reports/index.html", {"reports": catalogue()})


urlpatterns = [path("", index, name="index")]
