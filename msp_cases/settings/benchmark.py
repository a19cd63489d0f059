"""Production settings for the gunicorn server `manage.py benchmark_pages` starts on loopback.

Everything production does (DEBUG off, persistent connections, secure cookies, the SSL redirect, HSTS,
whitenoise, gunicorn's access log) with two differences: the framework's floor view is mounted
(BENCHMARK_FLOOR), and `{% static %}` needs no collectstatic manifest, so a development checkout can be
measured as it is. The load client speaks plain HTTP on loopback with `X-Forwarded-Proto: https`, as the
TLS-terminating proxy in front of production does. Never deploy with these settings."""

from .production import *  # noqa: F403
from .production import STORAGES

BENCHMARK_FLOOR = True
# The load client signs in through the password page alone, as the synthetic staff have no authenticator.
MSP_REQUIRE_2FA = False

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
