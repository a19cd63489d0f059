"""The demo's Safeguarding Adults Reviews: the unit's register is not empty, this year's return counts the one
arranged, North's practitioner sees it on Sandra's enquiry, and seeding again adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from enquiries.models import Person
from msp_cases.accounts.models import User
from msp_cases.core.periods import financial_year
from msp_cases.reports.sac.reviews import sg5_tables
from msp_cases.reports.scope import scope_for
from msp_cases.reviews.models import SafeguardingAdultsReview

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_reviews_and_this_years_return_counts_the_arranged_one(client):
    call_command("seed_demo")
    call_command("seed_demo")
    assert sorted(SafeguardingAdultsReview.objects.values_list("name", "decision")) == [
        ("Adult S", "arranged"),
        ("Adult T", "pending"),
    ]
    unit = User.objects.get(email="unit@example.org")
    start, end = financial_year(timezone.localdate())
    sg5a, sg5b = sg5_tables(scope_for(user=unit, start=start, end=end))
    assert sg5a.cells == ((0,), (1,))
    assert sg5b.cells == ((0,), (1,))

    sandra = Person.objects.get(local_identifier="DEMO-007")
    client.force_login(User.objects.get(email="practitioner.north@example.org"))
    page = client.get(sandra.enquiries.get().get_absolute_url()).content.decode()
    assert "Adult S" in page and "Suffered serious harm and survived" in page
