"""The demo shows a transfer waiting for South's manager, made through the services, once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from enquiries.models import TeamTransfer

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_transfer_waiting_for_south(client, settings):
    call_command("seed_demo")
    call_command("seed_demo")
    (transfer,) = TeamTransfer.objects.all()
    assert transfer.status == "pending" and transfer.to_team.name == "South Locality"
    assert transfer.person.local_identifier == "DEMO-001" and transfer.concern.team.name == "North Locality"
    client.post(
        reverse("login"), {"username": "manager.south@example.org", "password": settings.DEMO_PASSWORD}
    )
    page = client.get(reverse("enquiries:transfer_list")).content.decode()
    assert "Margaret Hughes" in page and "North Locality" in page
    assert "Accept and allocate" in client.get(transfer.get_absolute_url()).content.decode()
