"""Local development and `make run`: SQLite, eager Celery, console email, demo logins allowed."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")
DEMO_MODE = env.bool("DEMO_MODE", default=True)
# The demo stays two commands: no authenticator app needed (the sign-in page says so). MSP_REQUIRE_2FA=true
# turns it on to try it.
MSP_REQUIRE_2FA = env.bool("MSP_REQUIRE_2FA", default=False)

# Serve static files straight from static/ through WhiteNoise's finders; no collectstatic needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
