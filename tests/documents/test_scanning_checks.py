"""The virus scanner's system checks: a malformed CLAMAV_URL is an error at start; a deployment without one
is warned that uploads would be served unscanned (`make check-deploy` fails on warnings)."""

import pytest
from django.core.checks import run_checks


def _ids(*, deploy: bool) -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=deploy)}


@pytest.mark.parametrize("url", ["clamav:3310", "tcp://clamav", "http://clamav:3310"])
def test_a_malformed_clamav_url_stops_the_app_at_start(settings, url):
    settings.CLAMAV_URL = url
    errors = [m for m in run_checks() if m.id == "documents.E001"]
    assert [m.is_serious() for m in errors] == [True]
    assert "CLAMAV_URL must be tcp://host:port or unix:///path" in errors[0].msg


@pytest.mark.parametrize("url", ["tcp://clamav:3310", "unix:///run/clamav/clamd.ctl"])
def test_a_well_formed_clamav_url_passes_both_checks(settings, url):
    settings.CLAMAV_URL = url
    assert not {"documents.E001", "documents.W001"} & _ids(deploy=True)


def test_a_deployment_without_a_scanner_is_warned_and_development_is_not(settings):
    settings.CLAMAV_URL = ""
    assert "documents.W001" in _ids(deploy=True)
    assert not {"documents.E001", "documents.W001"} & _ids(deploy=False)  # make run: files "not scanned"
