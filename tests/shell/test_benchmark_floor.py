"""The benchmark's floor view: a signed-in request answered 204 with nothing in it, mounted only where the
benchmark settings (or DEBUG) ask for it, so a production deployment has no such URL."""

import importlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import clear_url_caches

import msp_cases.urls

pytestmark = pytest.mark.django_db

FLOOR = "/benchmark/floor/"
SETTINGS = Path(msp_cases.urls.__file__).parent / "settings"


def _remount(settings, *, floor: bool) -> None:
    settings.BENCHMARK_FLOOR = floor
    importlib.reload(msp_cases.urls)
    clear_url_caches()


@pytest.fixture
def floor_mounted(settings):
    _remount(settings, floor=True)
    yield
    _remount(settings, floor=False)


def test_without_the_benchmark_settings_there_is_no_floor(practitioner_client, settings):
    assert settings.BENCHMARK_FLOOR is False and settings.DEBUG is False
    assert practitioner_client.get(FLOOR).status_code == 404


def test_only_the_benchmark_settings_mount_it():
    turned_on = [p.name for p in sorted(SETTINGS.glob("*.py")) if "BENCHMARK_FLOOR = True" in p.read_text()]
    assert turned_on == ["benchmark.py"]
    assert "BENCHMARK_FLOOR = False" in (SETTINGS / "base.py").read_text()


def test_the_floor_answers_a_signed_in_user_with_nothing(floor_mounted, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["practitioner_north"])

    response = client.get(FLOOR)

    assert response.status_code == 204
    assert response.content == b""


def test_the_floor_asks_a_stranger_to_sign_in(floor_mounted):
    response = Client().get(FLOOR)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_post_to_the_floor_needs_the_csrf_token_as_every_form_does(floor_mounted, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["unit"])

    assert client.post(FLOOR).status_code == 403
