"""A report asked for an invalid period shows what to fix and nothing else: no figures of another period
and no buttons to download them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REPORTS = ["reports:sac", "reports:msp", "reports:experience", "reports:timeliness", "reports:audits"]

END_BEFORE_START = {
    "start_0": "1", "start_1": "4", "start_2": "2025",
    "end_0": "31", "end_1": "3", "end_2": "2025",
}  # fmt: skip
NOT_A_DATE = {**END_BEFORE_START, "start_0": "31", "start_1": "2"}


@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize(
    "period, message",
    [
        (END_BEFORE_START, "The last day of the period must be on or after the first day"),
        (NOT_A_DATE, "The first day of the period must be a real date"),
    ],
    ids=["end before start", "not a date"],
)
def test_an_invalid_period_shows_the_error_and_no_figures(world, unit_client, report, period, message):
    response = unit_client.get(reverse(report), period)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert "Download CSV" not in page
    assert "Download PDF" not in page
    assert "<table" not in page
    assert "Data quality" not in page
    assert "1 April 2025 to 31 March 2026" not in page  # the financial year's figures were shown before
    assert "Show figures" in page  # the form is still there to put it right


@pytest.mark.parametrize("report", REPORTS)
def test_a_valid_period_still_shows_figures_and_downloads(world, unit_client, report):
    period = {**END_BEFORE_START, "end_2": "2026"}
    page = unit_client.get(reverse(report), period).content.decode()
    assert "govuk-error-summary" not in page
    assert "1 April 2025 to 31 March 2026" in page
    if report != "reports:audits":  # the audit report offers downloads only when something was audited
        assert "Download CSV" in page
        assert "<table" in page


def test_audit_results_of_another_period_are_not_shown_under_the_error(world, unit_client, monkeypatch):
    """The audit report lists rows only when there are audits: pretend there always are."""
    import datetime

    from feedback.audits.selectors import ResultRow
    from msp_cases.reports.kinds.audits import checklist_columns
    from msp_cases.reports.views import audits

    row = ResultRow(
        team="North Locality",
        quarter=datetime.date(2025, 4, 1),
        audited=3,
        grades=[("Good", 3)],
        items=[(question, 100) for _short, question in checklist_columns()],
    )
    monkeypatch.setattr(audits, "audit_results", lambda **kwargs: [row])
    assert "Audits and grades" in unit_client.get(reverse("reports:audits")).content.decode()
    page = unit_client.get(reverse("reports:audits"), END_BEFORE_START).content.decode()
    assert "The last day of the period must be on or after the first day" in page
    assert "Audits and grades" not in page
    assert "Download CSV" not in page


@pytest.mark.parametrize(
    "start, end",
    [("9995-01-01", "9999-12-31"), ("0001-01-01", "0001-12-31"), ("2025-04-01", "9" * 30)],
)
def test_an_export_of_a_period_the_form_would_refuse_is_not_found(world, unit_client, start, end):
    """The last day of year 9999 has no next day, so the report could never be worked out."""
    from msp_cases.exports.models import Export

    params = {"kind": "sac_return_csv", "from": start, "to": end}
    response = unit_client.post(reverse("exports:request"), params)
    assert response.status_code == 404
    assert not Export.objects.exists()
