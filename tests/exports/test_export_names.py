"""Exports name the person ("Case summary: Joseph Wright") to whoever may see them, on the export's page, in
My exports and in the "ready" notification, read from the record when shown; the file's name never does. A
download reads the export's "ready" notification."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.exports.models import Export
from msp_cases.notifications.models import Notification

from .conftest import download

pytestmark = pytest.mark.django_db


def test_the_export_and_its_notification_name_the_person_but_the_file_name_does_not(
    world, client_for, request_export, filled_case
):
    user = world.users["practitioner_north"]
    client = client_for(user)
    request_export(client, "case_summary", filled_case)
    export = Export.objects.get(requested_by=user)
    assert export.status == Export.Status.READY
    name = escape(filled_case.person.display_name)
    named = f"Case summary: {name}"

    assert named in client.get(reverse("exports:detail", args=[export.pk])).content.decode()
    assert named in client.get(reverse("exports:list")).content.decode()
    assert named in client.get(reverse("notifications:list")).content.decode()
    # Nothing stored holds the name: not the notification, not the export's title or file name.
    note = Notification.objects.get(export=export)
    for stored in (note.message, export.title, export.filename):
        assert filled_case.person.family_name not in stored
    response, _ = download(client, export)
    disposition = response["Content-Disposition"]
    assert filled_case.person.family_name not in disposition
    assert filled_case.person.given_name not in disposition


def test_downloading_an_export_reads_its_ready_notification(world, client_for, request_export, filled_case):
    user = world.users["practitioner_north"]
    client = client_for(user)
    request_export(client, "case_summary", filled_case)
    export = Export.objects.get(requested_by=user)
    note = Notification.objects.get(export=export, kind=Notification.Kind.EXPORT_READY)
    assert note.read_at is None
    assert "Unread (1)" in client.get(reverse("notifications:list")).content.decode()

    response, body = download(client, export)

    assert response.status_code == 200 and body.startswith(b"%PDF")
    note.refresh_from_db()
    assert note.read_at is not None
    assert "Unread (0)" in client.get(reverse("notifications:list")).content.decode()


def test_someone_who_lost_sight_of_the_case_sees_no_name(world, client_for, request_export):
    user = world.users["practitioner_north"]
    person, concern, enquiry = world.cases["south_allocated_to_north"]
    client = client_for(user)
    request_export(client, "case_summary", enquiry)
    assert escape(person.display_name) in client.get(reverse("exports:list")).content.decode()
    # The South case goes back to South's own practitioner: North's no longer sees it.
    south = world.users["practitioner_south"]
    Enquiry.objects.filter(pk=enquiry.pk).update(lead_practitioner=south)
    SafeguardingConcern.objects.filter(pk=concern.pk).update(allocated_to=south)

    for page in ("exports:list", "notifications:list"):
        html = client.get(reverse(page)).content.decode()
        assert person.family_name not in html and person.given_name not in html
    assert "Case summary" in client.get(reverse("exports:list")).content.decode()
