"""The security baseline: sign-in, lockout, timeout, headers, production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def _sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.9")


def test_sign_in_by_email_is_not_case_sensitive(world, client):
    user = world.users["practitioner_north"]
    response = _sign_in(client, user.email.upper(), "a-long-test-password")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_the_error_summary(world, client):
    response = _sign_in(client, world.users["practitioner_north"].email, "wrong")
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter a correct email address and password" in content
    assert "<title>Error: Sign in" in content


def test_empty_sign_in_says_what_to_enter(db, client):
    content = client.post(reverse("login"), {}).content.decode()
    assert "Enter your email address" in content
    assert "Enter your password" in content


def test_repeated_failures_lock_the_account_even_with_the_right_password(world, client):
    email = world.users["practitioner_north"].email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, email, "wrong")
    response = _sign_in(client, email, "a-long-test-password")
    assert response.status_code == 429
    assert "Your account is locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sessions_end_after_thirty_minutes_without_a_request_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Each request the person makes restarts the clock (SessionActivityMiddleware); a page's own polling
    # does not (tests/test_session_activity.py).
    assert "msp_cases.core.middleware.SessionActivityMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_WARNING_SECONDS == 2 * 60


def test_signed_in_pages_carry_the_timeout_for_the_warning(practitioner_client):
    content = practitioner_client.get(reverse("enquiries:caseload")).content.decode()
    assert 'data-session-timeout="1800"' in content
    assert 'data-session-warning="120"' in content
    assert 'id="session-timeout-dialog"' in content


def test_stay_signed_in_needs_a_session_and_a_post(practitioner_client, client):
    assert practitioner_client.post(reverse("keepalive")).status_code == 204
    assert practitioner_client.get(reverse("keepalive")).status_code == 405
    assert client.post(reverse("keepalive")).status_code == 302  # anonymous: to sign-in


def test_sign_out_is_a_post(practitioner_client):
    assert practitioner_client.get(reverse("logout")).status_code == 405
    response = practitioner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert practitioner_client.get(reverse("enquiries:caseload")).status_code == 302


def test_pages_carry_a_content_security_policy_with_a_nonce_for_the_one_inline_script(practitioner_client):
    response = practitioner_client.get(reverse("enquiries:caseload"))
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert scripts, "the page should have its inline bootstrap script"
    assert all(f'nonce="{nonce}"' in attrs for attrs in scripts)


def test_case_pages_are_not_cached(world, practitioner_client):
    enquiry = world.cases["north"][2]
    response = practitioner_client.get(reverse("enquiries:enquiry_detail", args=[enquiry.pk]))
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_contrast_toggle_never_redirects_off_site(db, client):
    response = client.post(reverse("contrast_toggle"), {"next": "https://evil.example/phish"})
    assert response["Location"] == "/"
    response = client.post(reverse("contrast_toggle"), {"next": "/caseload/?show=open"})
    assert response["Location"] == "/caseload/?show=open"


def test_contrast_toggle_turns_on_and_off_and_persists_in_a_cookie(db, client):
    client.post(reverse("contrast_toggle"), {"next": "/sign-in/"})
    assert client.cookies["msp_contrast"].value == "high"
    assert client.cookies["msp_contrast"]["max-age"] == 365 * 24 * 3600
    assert 'class="govuk-template app-high-contrast"' in client.get(reverse("login")).content.decode()
    client.post(reverse("contrast_toggle"), {"next": "/sign-in/"})
    assert "app-high-contrast" not in client.get(reverse("login")).content.decode()


def test_short_and_common_passwords_are_refused(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short", "password1234", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak, world.users["practitioner_north"])


def test_health_check_answers_without_signing_in(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_accounts_cannot_be_deleted_in_the_admin(world, client_for):
    admin_client = client_for(world.users["admin"])
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    victim = world.users["practitioner_south"]
    assert admin_client.get(reverse("admin:accounts_user_delete", args=[victim.pk])).status_code == 403


def test_case_staff_cannot_use_the_admin(world, client_for):
    response = client_for(world.users["manager_north"]).get(reverse("admin:index"))
    assert response.status_code == 302  # to the admin's own sign-in: not staff


def _manage(*args, env_extra, settings_module="msp_cases.settings.production"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    # The subprocess must not pick up a developer's .env either.
    env.update({"DJANGO_SETTINGS_MODULE": settings_module, "DJANGO_READ_DOT_ENV": "false", **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-of-enough-length-1234567890",
            "DJANGO_ALLOWED_HOSTS": "cases.example.org",
            "CLAMAV_URL": "tcp://clamav:3310",  # uploads are scanned (docs/documents.md)
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_fail_fast_without_a_secret_key():
    result = _manage("check", env_extra={"DJANGO_ALLOWED_HOSTS": "cases.example.org"})
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_no_secrets_in_the_repository():
    tracked = subprocess.run(
        ["git", "ls-files"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert ".env" not in tracked
    assert not [f for f in tracked if f.endswith((".sqlite3", ".pem", ".key"))]


def test_navigation_marks_the_most_specific_item_current(practitioner_client):
    response = practitioner_client.get(reverse("enquiries:person_search"))
    current = [item["text"] for item in response.context["nav_items"] if item["current"]]
    assert current == ["Find a person"]
    response = practitioner_client.get(reverse("enquiries:caseload"))
    assert [i["text"] for i in response.context["nav_items"] if i["current"]] == ["Caseload"]
