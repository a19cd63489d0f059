"""A deployment check: production with two-factor authentication turned off is told so by `manage.py check
--deploy` (which `make check-deploy` fails on), rather than finding out from a leaked password."""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def two_factor_is_on_for_production(app_configs, **kwargs) -> list[CheckWarning]:
    if settings.MSP_REQUIRE_2FA:
        return []
    return [
        CheckWarning(
            "MSP_REQUIRE_2FA is off: a password alone opens every page of case data its account may see.",
            hint="Unset MSP_REQUIRE_2FA (it is on by default) so every password sign-in asks for a code from "
            "an authenticator app: docs/two-factor.md.",
            id="accounts.W001",
        )
    ]
