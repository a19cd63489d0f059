"""A malformed METRICS_ALLOWED_IPS stops `manage.py check` and every start, rather than quietly shutting
Prometheus out (or letting it in from somewhere unintended)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .gate import allowed_networks


@register(Tags.security)
def metrics_allowed_ips_are_addresses(app_configs, **kwargs) -> list[Error]:
    problems = []
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            allowed_networks([entry])
        except ValueError:
            problems.append(
                Error(
                    f"METRICS_ALLOWED_IPS: {entry!r} is not an IP address or network.",
                    hint="Comma-separated addresses or CIDR networks, e.g. 10.0.0.0/8,192.0.2.7.",
                    id="metrics.E001",
                )
            )
    return problems
