"""The test settings with production's database connections: each gunicorn worker keeps its connection for
60 seconds (DATABASE_CONN_MAX_AGE's default) and checks it before reuse (CONN_HEALTH_CHECKS). The suite's own
settings connect afresh for every request; a drill that restarts PostgreSQL under traffic must show that a
kept connection, broken by the restart, is noticed and replaced without restarting the app."""

from msp_cases.settings.test import *  # noqa: F403
from msp_cases.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
