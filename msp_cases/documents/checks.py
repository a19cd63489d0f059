"""System checks for the virus scanner. A malformed CLAMAV_URL stops `manage.py check` and every start, not
the first upload hours later; a deployment without one is told that uploads would be served unscanned
(`manage.py check --deploy`, which `make check-deploy` fails on)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured

from .scanner import client_for


@register(Tags.security)
def clamav_url_is_well_formed(app_configs, **kwargs) -> list[Error]:
    if not settings.CLAMAV_URL:
        return []
    try:
        client_for(settings.CLAMAV_URL)
    except ImproperlyConfigured as problem:
        return [Error(str(problem), id="documents.E001")]
    return []


@register(Tags.security, deploy=True)
def clamav_url_is_set_for_production(app_configs, **kwargs) -> list[CheckWarning]:
    if settings.CLAMAV_URL:
        return []
    return [
        CheckWarning(
            "CLAMAV_URL is not set: uploaded documents would be served without a virus scan.",
            hint="Point CLAMAV_URL at clamd, the ClamAV daemon (tcp://host:3310 or "
            "unix:///path/to/clamd.sock), and keep its definitions up to date with freshclam: "
            "docs/documents.md.",
            id="documents.W001",
        )
    ]
