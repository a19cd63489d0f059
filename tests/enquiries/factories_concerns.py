"""Helpers for the concern and decision tests: a pending concern, and what the forms post."""

import datetime

from django.utils import timezone

from tests.factories import ConcernFactory


def pending_concern(*, person, team, allocated_to=None, received_at=None, risk_types=("neglect",), **kwargs):
    concern = ConcernFactory(
        person=person,
        team=team,
        allocated_to=allocated_to,
        received_at=received_at or timezone.now() - datetime.timedelta(hours=3),
        risk_location="own_home",
        risk_source="known",
        **kwargs,
    )
    concern.risk_types.set(risk_types)
    return concern


def concern_form_data(*, team, received: datetime.datetime | None = None, **overrides) -> dict:
    """A complete, valid concern form as the browser posts it."""
    received = timezone.localtime(received or timezone.now() - datetime.timedelta(days=1))
    data = {
        "received_date_0": str(received.day),
        "received_date_1": str(received.month),
        "received_date_2": str(received.year),
        "received_time": received.strftime("%H:%M"),
        "team": str(team.pk),
        "allocated_to": "",
        "referrer_anonymous": "False",
        "referrer_name": "Sam Referrer",
        "referrer_role": "Warden",
        "referrer_organisation": "Sheltered housing",
        "referrer_contact": "01234 567890",
        "referrer_relationship": "Housing warden",
        "summary": "Bruises on her arm; she said her son pushed her.",
        "risk_types": ["physical", "domestic"],
        "risk_location": "own_home",
        "risk_source": "known",
        "immediate_actions": "GP visit arranged for today.",
        "person_aware": "yes",
        "person_initial_views": "She wants to stay at home.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def decision_form_data(*, concern, **overrides) -> dict:
    data = {
        "criteria_care_needs": "True",
        "criteria_abuse_or_neglect": "True",
        "criteria_unable_to_protect": "True",
        "decision": "section_42",
        "decision_rationale": "All three criteria are met.",
        "decision_person_involvement": "We talked on the phone; she wants it looked into.",
        "no_further_action_response": "",
        "lead_practitioner": "",
        "version": str(concern.version),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
