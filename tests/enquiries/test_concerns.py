"""Recording a safeguarding concern and changing it while it awaits a decision."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from enquiries.models import SafeguardingConcern
from msp_cases.audit.models import AccessEvent

from .factories_concerns import concern_form_data, decision_form_data, pending_concern

pytestmark = pytest.mark.django_db


def _create_url(person) -> str:
    return reverse("enquiries:concern_create") + f"?person={person.pk}"


@pytest.fixture
def north(world):
    return world.cases["north"][0]


@pytest.fixture
def practitioner(world, client_for):
    return client_for(world.users["practitioner_north"])


def test_a_practitioner_records_a_concern(world, practitioner, north):
    response = practitioner.post(
        _create_url(north),
        concern_form_data(team=world.north, allocated_to=world.users["practitioner_north"].pk),
    )
    concern = SafeguardingConcern.objects.filter(person=north).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == concern.get_absolute_url()
    assert concern.decision == SafeguardingConcern.Decision.PENDING
    assert concern.team == world.north
    assert concern.allocated_to == world.users["practitioner_north"]
    assert concern.recorded_by == world.users["practitioner_north"]
    assert sorted(concern.risk_types.values_list("code", flat=True)) == ["domestic", "physical"]
    assert concern.referrer_name == "Sam Referrer"
    assert AccessEvent.objects.filter(action=AccessEvent.Action.CREATE, object_id=concern.pk).exists()
    page = practitioner.get(response["Location"])
    assert b"Safeguarding concern recorded" in page.content
    assert b"Bruises on her arm" in page.content
    assert b"Physical Abuse, Domestic Abuse" in page.content


def test_the_team_defaults_to_the_users_only_team(world, practitioner, north):
    response = practitioner.get(_create_url(north))
    assert response.context["form"]["team"].value() == world.north.pk
    assert f'value="{world.north.pk}"\n    \n      checked'.encode() in response.content or (
        b'checked="checked"' in response.content
    )


def test_the_form_asks_in_plain_words_with_the_sac_category_as_each_choices_hint(practitioner, north):
    response = practitioner.get(_create_url(north))
    page = response.content.decode()
    assert "A paid care or support provider is one paid, contracted or commissioned" in page
    assert "Neglect and Acts of Omission" in page
    for plain, sac in [
        ("A care home with nursing", "SAC: Care Home - Nursing"),
        ("Someone known to the person", "SAC: Other - Known to individual"),
        ("Someone the person does not know", "SAC: Other - Unknown to individual"),
        ("A paid care or support provider", "SAC: Service Provider"),
    ]:
        hinted = rf"{re.escape(plain)}\s*</label>\s*<span [^>]*govuk-radios__hint[^>]*>\s*{sac}"
        assert re.search(hinted, page), plain
    assert "“Service Provider”" not in page


def test_a_concern_received_in_the_future_is_refused(world, practitioner, north):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    response = practitioner.post(_create_url(north), concern_form_data(team=world.north, received=tomorrow))
    assert response.status_code == 200
    assert b"The date and time the concern was received must be now or in the past" in response.content
    assert b"<title>Error:" in response.content
    assert not SafeguardingConcern.objects.filter(person=north, summary__startswith="Bruises").exists()
    # What the user typed is still there.
    assert b"Bruises on her arm" in response.content


def test_an_impossible_date_is_refused(world, practitioner, north):
    data = concern_form_data(team=world.north, received_date_0="31", received_date_1="2")
    response = practitioner.post(_create_url(north), data)
    assert b"The date the concern was received must be a real date" in response.content


def test_a_time_that_is_not_a_time_is_refused(world, practitioner, north):
    response = practitioner.post(
        _create_url(north), concern_form_data(team=world.north, received_time="25:61")
    )
    assert b"Enter the time the concern was received on the 24-hour clock, like 14:30" in response.content


def test_missing_answers_are_each_named(world, practitioner, north):
    data = concern_form_data(
        team=world.north, summary="", risk_types=[], risk_location="", risk_source="", person_aware=""
    )
    response = practitioner.post(_create_url(north), data)
    for message in [
        "Enter what happened, in the referrer’s words",
        "Select the types of risk",
        "Select the location of risk",
        "Select the source of risk",
        "Select whether the person knows about the concern",
    ]:
        assert message.encode() in response.content
    assert b"Sam Referrer" in response.content  # nothing typed is lost


def test_over_long_text_is_refused_with_a_clear_message(world, practitioner, north):
    response = practitioner.post(
        _create_url(north), concern_form_data(team=world.north, referrer_name="x" * 151)
    )
    assert "Referrer’s name must be 150 characters or fewer".encode() in response.content


def test_an_anonymous_referrer_with_a_name_is_refused(world, practitioner, north):
    response = practitioner.post(
        _create_url(north), concern_form_data(team=world.north, referrer_anonymous="True")
    )
    assert b"The referrer wants to stay anonymous" in response.content
    assert not SafeguardingConcern.objects.filter(person=north, referrer_anonymous=True).exists()


def test_an_anonymous_referrer_keeps_only_their_relationship(world, practitioner, north):
    data = concern_form_data(
        team=world.north,
        referrer_anonymous="True",
        referrer_name="",
        referrer_role="",
        referrer_organisation="",
        referrer_contact="",
        referrer_relationship="Neighbour",
    )
    assert practitioner.post(_create_url(north), data).status_code == 302
    concern = SafeguardingConcern.objects.filter(person=north).latest("pk")
    assert (concern.referrer_anonymous, concern.referrer_relationship) == (True, "Neighbour")
    page = practitioner.get(concern.get_absolute_url())
    assert b"Wants to stay anonymous" in page.content


def test_a_concern_cannot_be_put_in_someone_elses_team(world, practitioner, north):
    response = practitioner.post(_create_url(north), concern_form_data(team=world.south))
    assert response.status_code == 200
    assert b"Select one of your teams" in response.content


def test_the_allocated_worker_must_be_in_the_team(world, practitioner, north):
    data = concern_form_data(team=world.north, allocated_to=world.users["practitioner_south"].pk)
    response = practitioner.post(_create_url(north), data)
    assert response.status_code == 200
    assert b"Select someone in the team the concern is for" in response.content


def test_html_is_kept_as_typed_and_shown_escaped(world, practitioner, north):
    script = "<script>alert('x')</script> & <b>bold</b>"
    practitioner.post(_create_url(north), concern_form_data(team=world.north, summary=script))
    concern = SafeguardingConcern.objects.filter(person=north).latest("pk")
    assert concern.summary == script
    page = practitioner.get(concern.get_absolute_url())
    assert b"<script>alert(" not in page.content
    assert b"&lt;script&gt;alert(" in page.content


# ---- Changing a concern -------------------------------------------------------------------------------


def test_a_practitioner_changes_a_pending_concern(world, practitioner, north):
    concern = pending_concern(person=north, team=world.north)
    url = reverse("enquiries:concern_edit", args=[concern.pk])
    form = practitioner.get(url)
    assert b"can no longer be changed" in form.content  # the page says what happens after a decision
    data = concern_form_data(team=world.north, summary="The warden rang again.", version=str(concern.version))
    response = practitioner.post(url, data)
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.summary, concern.version) == ("The warden rang again.", 2)
    assert AccessEvent.objects.filter(action=AccessEvent.Action.CHANGE, object_id=concern.pk).exists()


def test_a_concern_allocated_across_teams_can_still_be_changed_by_its_worker(world, practitioner):
    _, concern, _ = world.cases["south_allocated_to_north"]
    url = reverse("enquiries:concern_edit", args=[concern.pk])
    data = concern_form_data(
        team=world.south,
        allocated_to=world.users["practitioner_north"].pk,
        summary="Cover visit done.",
        version=str(concern.version),
    )
    assert practitioner.post(url, data).status_code == 302
    concern.refresh_from_db()
    assert concern.summary == "Cover visit done."


def test_the_edit_form_starts_from_what_is_recorded(world, practitioner, north):
    concern = pending_concern(person=north, team=world.north, risk_types=("financial",))
    response = practitioner.get(reverse("enquiries:concern_edit", args=[concern.pk]))
    form = response.context["form"]
    assert form["risk_types"].value() == ["financial"]
    assert form["risk_location"].value() == "own_home"
    assert form["version"].value() == concern.version


def test_two_edits_from_the_same_version_the_second_is_refused(world, client_for, north):
    concern = pending_concern(person=north, team=world.north)
    url = reverse("enquiries:concern_edit", args=[concern.pk])
    first = client_for(world.users["practitioner_north"])
    second = client_for(world.users["manager_north"])
    version = str(concern.version)
    assert (
        first.post(
            url, concern_form_data(team=world.north, summary="First words", version=version)
        ).status_code
        == 302
    )
    response = second.post(url, concern_form_data(team=world.north, summary="Second words", version=version))
    assert response.status_code == 409
    assert b"Someone else changed this record" in response.content
    assert b"Second words" in response.content  # the second user's input is kept
    assert b"First words" in response.content  # and the first user's change is shown
    concern.refresh_from_db()
    assert concern.summary == "First words"


def test_a_decided_concern_can_no_longer_be_changed(world, practitioner, north):
    concern = pending_concern(person=north, team=world.north)
    practitioner.post(
        reverse("enquiries:concern_decide", args=[concern.pk]),
        decision_form_data(concern=concern, decision="no_further_action", no_further_action_response="GP"),
    )
    url = reverse("enquiries:concern_edit", args=[concern.pk])
    response = practitioner.post(
        url, concern_form_data(team=world.north, summary="Too late", version="2"), follow=True
    )
    assert b"can no longer be changed" in response.content
    concern.refresh_from_db()
    assert concern.summary != "Too late"
    assert reverse("enquiries:concern_edit", args=[concern.pk]).encode() not in response.content


def test_after_a_refused_edit_saving_again_applies_to_the_newer_version(world, client_for, north):
    concern = pending_concern(person=north, team=world.north)
    url = reverse("enquiries:concern_edit", args=[concern.pk])
    first = client_for(world.users["practitioner_north"])
    second = client_for(world.users["manager_north"])
    loaded = concern.version
    data = concern_form_data(team=world.north, version=str(loaded))
    assert first.post(url, {**data, "summary": "First words"}).status_code == 302

    refused = second.post(url, {**data, "summary": "Second words"})
    assert refused.status_code == 409
    # Having seen the other change, the form carries the newer version, so saving again is deliberate.
    assert f'name="version" value="{loaded + 1}"' in refused.content.decode()
    again = second.post(url, {**data, "summary": "Second words", "version": str(loaded + 1)})
    assert again.status_code == 302
    concern.refresh_from_db()
    assert concern.summary == "Second words"
