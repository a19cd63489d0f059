"""Settings shared by every environment.

Every deploy-specific value comes from the environment (django-environ); the typed defaults here are the
embedded ones `make run` uses: a SQLite file, no Redis (Celery tasks run eagerly in the web process).
The table in docs/configuration.md lists each variable.
"""

import logging
import os
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from kombu import Exchange, Queue

from msp_cases import logs

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DJANGO_DEBUG=(bool, False),
    DJANGO_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    DJANGO_CSRF_TRUSTED_ORIGINS=(list, []),
    DJANGO_TIME_ZONE=(str, "Europe/London"),
    SESSION_TIMEOUT_MINUTES=(int, 30),
    SESSION_WARNING_MINUTES=(int, 2),
    AXES_FAILURE_LIMIT=(int, 5),
    AXES_COOLOFF_MINUTES=(int, 15),
    MSP_REQUIRE_2FA=(bool, True),
    CELERY_BROKER_URL=(str, ""),
    DEMO_PASSWORD=(str, "safeguarding-demo-2026"),
    ORGANISATION_NAME=(str, "Example Council"),
)
# A .env file beside manage.py is read when present (never committed). The test settings turn this off so a
# developer's .env (say, a production-like secret or DATABASE_URL for docker compose) never reaches the suite.
if os.environ.get("DJANGO_READ_DOT_ENV", "true") == "true":
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DJANGO_DEBUG")
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("DJANGO_CSRF_TRUSTED_ORIGINS")
ORGANISATION_NAME = env("ORGANISATION_NAME")
PRODUCT_NAME = "MSP Cases"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # pg_trgm search on PostgreSQL; harmless on SQLite
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "django_structlog",  # request ids carried into Celery tasks (msp_cases/logs.py)
    # Two-factor: TOTP devices (authenticator apps) and static devices (recovery codes) for password sign-ins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "msp_cases.accounts",
    "msp_cases.audit",
    "msp_cases.core",
    "msp_cases.notifications",
    "msp_cases.drafts",  # server-side drafts of long forms, kept through the inactivity timeout
    "msp_cases.exports",
    "msp_cases.reports",
    "enquiries",
    "outcomes",
    "feedback",
    "msp_cases.frontdoor",  # the online "Report a concern" form and the front-door queue
    "msp_cases.documents",  # letters, photos, reports and minutes kept on a case record
    "msp_cases.letters",  # letters from templates the unit keeps, filed on the record as documents
    "msp_cases.reviews",  # the unit's register of Safeguarding Adults Reviews (SAC SG5a, SG5b)
    "msp_cases.subject_access",  # everything held about a person, for a subject access request
    "msp_cases.retention",  # closed cases kept RETENTION_YEARS, then reviewed; legal holds; recorded disposal
    "msp_cases.account_review",  # every account for unit leads and administrators; unused ones deactivated
    "msp_cases.imports",  # case records from an earlier system's extract (manage.py import_cases)
    # The partners' API (docs/api.md): Django REST framework, its OpenAPI schema and docs page (served from
    # the sidecar's static files), and django-oauth-toolkit's token endpoint for machine clients.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "msp_cases.api",
    "msp_cases.partners",  # unit leads' API clients in the app, and webhooks to partners' systems
    "msp_cases.metrics",  # figures for the operators' Prometheus at /metrics (docs/metrics.md)
    "msp_cases.shell",  # demo and synthetic data: the top layer, imported by no app
]

MIDDLEWARE = [
    # /healthz/ and /readyz/, answered before host checks, the HTTPS redirect and sign-in (docs/operations.md)
    "msp_cases.core.health.ProbeMiddleware",
    # django-prometheus: the time from here to its partner below, by route (the URL pattern's name).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A line for each request (id, user id, route, status, duration), and its id in X-Request-ID.
    "msp_cases.logs.RequestLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A query string with a NUL is a 400 before any filter can pass it to PostgreSQL (which refuses NUL).
    "msp_cases.core.input_guard.RefuseNulInQueryStringMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second step (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the password alone (MSP_REQUIRE_2FA), only the second step's pages, sign-out and public pages.
    "msp_cases.accounts.two_factor.middleware.SecondStepRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "msp_cases.core.middleware.NoStoreMiddleware",
    # Every request a person makes renews the session; a page's own polling (views marked @passive) does not.
    "msp_cases.core.middleware.SessionActivityMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "msp_cases.urls"
WSGI_APPLICATION = "msp_cases.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "msp_cases.core.context_processors.layout",
            ],
        },
    },
]

# ---- Database: SQLite file by default, PostgreSQL (psycopg 3) from DATABASE_URL --------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Covering indexes (INCLUDE columns) serve PostgreSQL's index-only scans; SQLite (make run) builds the same
# indexes without those columns, which is all W040 says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Connections (docs/deployment.md "Database connections"). By default each process (a gunicorn sync worker, a
# Celery pool process) keeps one connection for DATABASE_CONN_MAX_AGE seconds, checked before reuse. With
# DATABASE_POOL_MAX_SIZE > 0 each process keeps a psycopg pool instead (for threaded servers); Django refuses
# both at once, so the pool turns CONN_MAX_AGE off. Many machines: put PgBouncer in front (transaction mode).
DATABASE_POOL_MAX_SIZE = env.int("DATABASE_POOL_MAX_SIZE", default=0)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASE_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(env.int("DATABASE_POOL_MIN_SIZE", default=1), DATABASE_POOL_MAX_SIZE),
        "max_size": DATABASE_POOL_MAX_SIZE,
        # Seconds a request waits for a free connection before it fails (rather than hanging).
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10),
    }
# PgBouncer in transaction mode cannot keep a server-side cursor across transactions (QuerySet.iterator()).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_BEHIND_PGBOUNCER", default=False)
# Session settings of the app's PostgreSQL connections (docs/performance.md "Indexes and plans"): no JIT
# compiling (it spent seconds compiling queries that then ran in milliseconds), and the word similarity at
# which person search's `%>` counts a typed word as a name (pg_trgm's default 0.6 misses "Margret").
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c jit=off -c pg_trgm.word_similarity_threshold=0.5"
    )

# Reports and report exports read their figures from a PostgreSQL read replica when REPORTS_DATABASE_URL is
# set (msp_cases/core/replica.py); casework, writes and everyone's access stay on the primary.
REPORTS_DATABASE_URL = env("REPORTS_DATABASE_URL", default="")
if REPORTS_DATABASE_URL:
    _replica = env.db("REPORTS_DATABASE_URL")
    # Connected to as the primary is (persistence or pool, server-side cursors, session options).
    for _key in ("ATOMIC_REQUESTS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "DISABLE_SERVER_SIDE_CURSORS"):
        _replica[_key] = DATABASES["default"][_key]
    _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    DATABASES["reports"] = _replica
REPORTS_DATABASE = "reports" if REPORTS_DATABASE_URL else "default"
# The case records a report counts; users, teams and permissions are always read from the primary.
REPORTS_REPLICA_APPS = frozenset({"enquiries", "outcomes", "feedback"})
DATABASE_ROUTERS = ["msp_cases.core.replica.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- Cache: report figures kept between requests (msp_cases/reports/cache.py) ----------------------
# Redis in production (CACHE_URL=redis://host:6379/1, Django's own RedisCache), so every web worker shares
# one entry and "Recalculate now" reaches them all; without it each process keeps its own in memory.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How long computed report figures are shown before they are counted again (the page says "as at").
REPORT_CACHE_SECONDS = env.int("REPORT_CACHE_SECONDS", default=600)
# After that, how long they are still shown ("as at 10:42, being counted again") while a worker counts them
# again, instead of the page counting them itself (docs/reports.md "Figures kept between requests").
REPORT_STALE_SECONDS = env.int("REPORT_STALE_SECONDS", default=24 * 60 * 60)
# Figures never counted, or "Recalculate now": how long the request waits for the worker's count before the
# page says they are being counted (a team's figures arrive within it; a unit's year may not).
REPORT_COUNT_WAIT_SECONDS = env.float("REPORT_COUNT_WAIT_SECONDS", default=2.0)

# ---- Accounts, sign-in and sessions ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked-out account is refused before checking
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, refusing passwords when they are switched off (MSP_LOCAL_PASSWORDS).
    "msp_cases.accounts.sso.backends.LocalPasswordBackend",
    # Signs in only from the single sign-on callback, never from a typed password.
    "msp_cases.accounts.sso.backends.SingleSignOnBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Inactivity timeout: the session lasts SESSION_TIMEOUT_MINUTES from the last request the person made; the
# page warns SESSION_WARNING_MINUTES before (static/src/app.js) and offers to stay signed in. Which requests
# renew it is decided by msp_cases.core.middleware.SessionActivityMiddleware: all but a page's own polling
# (views marked @passive), so SESSION_SAVE_EVERY_REQUEST, which would count those too, is off.
SESSION_TIMEOUT_MINUTES = env("SESSION_TIMEOUT_MINUTES")
SESSION_WARNING_MINUTES = env("SESSION_WARNING_MINUTES")
SESSION_COOKIE_AGE = SESSION_TIMEOUT_MINUTES * 60
SESSION_WARNING_SECONDS = SESSION_WARNING_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
# What someone was typing into a long form is kept on the server as a draft (msp_cases.drafts) for this many
# days, so the timeout never loses it; then the nightly drafts.delete_expired deletes it.
DRAFT_KEEP_DAYS = 7
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the timeout dialog's "stay signed in" reads it to POST
# An account nobody has signed in to for this many days (counted from when it was opened or last
# reactivated, if later) is deactivated by the nightly task, and its team's managers told (docs/accounts.md).
MSP_ACCOUNT_INACTIVE_DAYS = env.int("MSP_ACCOUNT_INACTIVE_DAYS", default=90)

# django-axes: lock an account after repeated failures, keyed on the pair (email, client address): failures
# from one address lock that email from that address only, so a stranger elsewhere cannot lock the real
# person out. The email is normalised as sign-in normalises it (any spelling of it shares one count) and the
# address is the one the record of access keeps, through TRUSTED_PROXY_COUNT proxies (msp_cases/accounts/
# lockout.py). django-axes has one failure limit for every key, so there is no separate, higher per-address
# limit across all emails.
AXES_FAILURE_LIMIT = env("AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env("AXES_COOLOFF_MINUTES"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "msp_cases.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "msp_cases.core.request.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Never put what someone typed into the access log: only the email they signed in with is kept.
AXES_SENSITIVE_PARAMETERS = ["password"]
# Its log lines (each wrong password or code, each lockout) name the account by a digest, never the email.
AXES_CLIENT_STR_CALLABLE = "msp_cases.accounts.lockout.lockout_client_str"

# ---- Single sign-on: OpenID Connect (mozilla-django-oidc; docs/single-sign-on.md) ------------------
# On when a client id and the provider's discovery URL are set. Accounts and roles stay in
# the app: a person signs in by SSO only if an active account has the email the provider vouches for.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
# The issuer's /.well-known/openid-configuration, read once and kept (msp_cases/accounts/sso/provider.py).
OIDC_DISCOVERY_URL = env("OIDC_DISCOVERY_URL", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_DISCOVERY_URL)
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default=f"your {ORGANISATION_NAME} account")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
# The claims that carry the work email, tried in order (Entra ID: OIDC_EMAIL_CLAIM=email,upn).
OIDC_EMAIL_CLAIMS = env.list("OIDC_EMAIL_CLAIM", default=["email"])
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = False  # the provider sign-out names this client, not the token (see sso/views.py)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
# With SSO on, MSP_LOCAL_PASSWORDS=false switches password sign-in off for everyone except the break-glass
# accounts listed (emails), who sign in at /sign-in/password/ when the provider is down.
MSP_LOCAL_PASSWORDS = env.bool("MSP_LOCAL_PASSWORDS", default=True)
MSP_BREAK_GLASS_ACCOUNTS = [e.strip().lower() for e in env.list("MSP_BREAK_GLASS_ACCOUNTS", default=[])]

# Two-factor authentication (docs/two-factor.md): every local-password sign-in asks for a code from an
# authenticator app (or a recovery code) before any page of case data. Single sign-on sessions are not asked:
# the council's identity provider does its own. On unless turned off (the demo and the tests turn it off).
MSP_REQUIRE_2FA = env("MSP_REQUIRE_2FA")
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = PRODUCT_NAME
# Codes tried at the second step, per account, whatever the address (django-ratelimit, in the cache): on top
# of django-otp's growing delay after each wrong code and the lockout each wrong code counts towards.
MSP_2FA_RATE = env("MSP_2FA_RATE", default="10/h")

# ---- Content Security Policy (django-csp 4): no inline script without the per-request nonce ----------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# ---- The partners' API (docs/api.md) ---------------------------------------------------------------
# Machine clients only: an OAuth 2 bearer token from /api/oauth/token/ (client credentials), never a session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["msp_cases.api.authentication.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["msp_cases.api.permissions.ClientHasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["msp_cases.api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"client": env("API_THROTTLE_RATE", default="600/m")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "msp_cases.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
    # Lists page by cursor (stable under inserts); a search, best match first (msp_cases/api/pagination.py).
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PRODUCT_NAME} partners' API",
    "DESCRIPTION": "People and enquiries for partners' systems, each client seeing what its teams may see. "
    "A token: POST grant_type=client_credentials with the client's id and secret (HTTP Basic) to "
    "/api/oauth/token/. Errors are RFC 9457 problem details.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Access tokens last an hour by default (a client asks again with its credentials; no refresh tokens).
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "msp_cases.api.scopes.ClientScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_TOKEN_SECONDS", default=3600),
    "PKCE_REQUIRED": True,
    # The OAuth 2.0 Security BCP (RFC 9700) in full, ahead of the toolkit's 4.0 defaults: tokens stored
    # hashed, none accepted in a query string, no implicit or password grant, https redirects only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# Named for migrations that point at the toolkit's (swappable) application model: the API's clients do.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# ---- Webhooks to partners' systems (docs/api.md "Webhooks") ----------------------------------------
# Plain http:// to this machine (localhost, 127.0.0.1) as a webhook's address: for development and the tests
# only; otherwise every address is https:// on a public host. Production always turns it off.
WEBHOOK_HTTP_LOOPBACK = env.bool("WEBHOOK_HTTP_LOOPBACK", default=False)
# Tries of one delivery before it is marked failed, the first wait before trying again (doubled each time,
# at most WEBHOOK_RETRY_MAX_SECONDS), and how long one try waits for the partner's server to answer.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=30)
WEBHOOK_RETRY_MAX_SECONDS = 1800  # under the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)

# ---- Metrics for Prometheus at /metrics (docs/metrics.md) -------------------------------------------
# Readable only from these addresses or networks (the client's address as the record of access takes it,
# through TRUSTED_PROXY_COUNT proxies) or with this bearer token; anyone else gets a 404. Neither set: nobody.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# The counts read from the database (reminders, exports, documents, lockouts) are kept this long between
# scrapes, so several scrapers count them once.
METRICS_CACHE_SECONDS = 30

# ---- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("DJANGO_TIME_ZONE")
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

# ---- Static files: built front end in static/dist, served by WhiteNoise -----------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Exports (PDFs, CSVs) are kept apart from anything public: a private directory by default, or an
# S3-compatible bucket (django-storages) when EXPORTS_S3_BUCKET is set. Never served as static or media.
EXPORTS_ROOT = env("EXPORTS_ROOT", default=str(BASE_DIR / "var" / "exports"))
EXPORTS_S3_BUCKET = env("EXPORTS_S3_BUCKET", default="")
if EXPORTS_S3_BUCKET:
    _exports_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EXPORTS_S3_BUCKET,
            "endpoint_url": env("EXPORTS_S3_ENDPOINT_URL", default=None),
            "region_name": env("EXPORTS_S3_REGION", default=None),
            "access_key": env("EXPORTS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("EXPORTS_S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _exports_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EXPORTS_ROOT, "base_url": None, "file_permissions_mode": 0o600},
    }
# Documents on case records (msp_cases.documents): private like exports, in DOCUMENTS_ROOT (files 0600,
# directories 0700) or an S3-compatible bucket when DOCUMENTS_S3_BUCKET is set; never served by the web
# server, only through the access rule.
DOCUMENTS_ROOT = env("DOCUMENTS_ROOT", default=str(BASE_DIR / "var" / "documents"))
DOCUMENTS_S3_BUCKET = env("DOCUMENTS_S3_BUCKET", default="")
if DOCUMENTS_S3_BUCKET:
    _documents_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": env("DOCUMENTS_S3_ENDPOINT_URL", default=None),
            "region_name": env("DOCUMENTS_S3_REGION", default=None),
            "access_key": env("DOCUMENTS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("DOCUMENTS_S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _documents_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": DOCUMENTS_ROOT,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
# The largest file accepted, and how many files one upload may carry.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
DOCUMENT_MAX_FILES = env.int("DOCUMENT_MAX_FILES", default=10)
# The ClamAV daemon that scans every uploaded document ("tcp://clamav:3310"). Unset (as under `make run`),
# documents are stored "not scanned for viruses"; set, a file is served only once scanned clean.
CLAMAV_URL = env("CLAMAV_URL", default="")
# Seconds to wait for clamd to connect, take a chunk or answer: a daemon that does not answer in this time is
# treated as unreachable (the file waits and is scanned again), never as "clean".
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=60.0)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": _exports_storage,
    "documents": _documents_storage,
}
# Days an export stays downloadable before the beat task deletes its file.
EXPORTS_EXPIRE_DAYS = env.int("EXPORTS_EXPIRE_DAYS", default=7)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# ---- Celery: Redis broker from CELERY_BROKER_URL; without one, tasks run eagerly in-process ---------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# No result backend: tasks record their outcome in the database (e.g. an export row), not in Redis.
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Two queues, so a burst of exports never delays a reminder or an email (docs/background-work.md "Queues"):
# "interactive" for short work someone is waiting on (emails, notifications, the drift scan's reminders),
# "long" for jobs that take seconds to minutes (PDF and CSV exports; imports and file scans when they come).
# Every task names its queue here (tests/test_celery_queues.py refuses one that does not); run a worker per
# queue: `celery -A msp_cases worker -Q interactive --prefetch-multiplier 4` and
# `celery -A msp_cases worker -Q long -O fair --prefetch-multiplier 1`. A worker given no -Q takes both.
CELERY_TASK_DEFAULT_QUEUE = "interactive"
# Each queue with its own exchange and routing key: a Queue without them is bound by Celery to the default
# queue's routing key, and its messages would land on "interactive".
CELERY_TASK_QUEUES = [Queue(name, Exchange(name), routing_key=name) for name in ("interactive", "long")]
CELERY_TASK_ROUTES = {
    "msp_cases.ping": {"queue": "interactive"},
    "notifications.send_email": {"queue": "interactive"},
    "notifications.send_digest": {"queue": "interactive"},
    "notifications.send_pending_emails": {"queue": "interactive"},
    "notifications.send_daily_digests": {"queue": "interactive"},
    "enquiries.scan_drift": {"queue": "interactive"},
    # Only publishes the exports Redis missed: quick, and what unblocks them.
    "exports.requeue_unsent": {"queue": "interactive"},
    "exports.render": {"queue": "long"},
    # Deletes up to a thousand files (each a request to S3): housekeeping nobody waits for.
    "exports.delete_expired": {"queue": "long"},
    # Counts a report's figures again (seconds for a unit's year at national scale) while the page shows
    # the figures counted before.
    "reports.recount": {"queue": "long"},
    # The public form's emails (a reference, a return link's code) and its one nightly delete.
    "frontdoor.send_acknowledgement": {"queue": "interactive"},
    "frontdoor.delete_expired_drafts": {"queue": "interactive"},
    "frontdoor.notify_outcomes": {"queue": "interactive"},
    "frontdoor.notify_outcome": {"queue": "interactive"},
    # Streams an uploaded file to clamd (seconds for a 20 MB file); the periodic task only publishes.
    "documents.scan": {"queue": "long"},
    "documents.rescan_waiting": {"queue": "interactive"},
    "documents.clear_held": {"queue": "interactive"},
    # Deactivates the few accounts unused for MSP_ACCOUNT_INACTIVE_DAYS and tells their managers, nightly.
    "account_review.deactivate_unused": {"queue": "interactive"},
    # Deletes drafts of long forms past DRAFT_KEEP_DAYS, nightly: one DELETE.
    "drafts.delete_expired": {"queue": "interactive"},
    # One signed request to a partner's server, waiting up to WEBHOOK_TIMEOUT_SECONDS for its answer: never
    # ahead of a reminder or an email. The sweep only publishes.
    "webhooks.deliver": {"queue": "long"},
    "webhooks.requeue_pending": {"queue": "interactive"},
    # Retention (docs/retention.md): the nightly review dates are one pass over every person's records, and a
    # disposal empties many rows and deletes files: both long. The monthly notice is a count and a few rows.
    "retention.refresh_schedule": {"queue": "long"},
    "retention.carry_out_disposal": {"queue": "long"},
    "retention.notify_due": {"queue": "long"},
}
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A worker killed mid-task (OOM, deploy): the message goes back on the queue and runs again. Tasks are
# idempotent by construction (unique constraints, row locks), so running again is safe.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis keeps an unacknowledged message invisible for this long before another worker may take it: longer
# than the task time limit, so a running task is never handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# When Redis is down, don't hang the web request retrying: the caller records the work as not yet queued and a
# periodic job sends it later (msp_cases.exports.tasks.requeue_unsent).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# ---- Email ----------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds before an unreachable mail server counts as a failed send (then retried), not a hung worker.
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="msp-cases@example.org")
# The service's address, for links in emails (emails carry only a link, never a name or case detail).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# ---- Security headers common to every environment -------------------------------------------------
X_FRAME_OPTIONS = "DENY"
# Behind N reverse proxies that append to X-Forwarded-For, the client's address is the Nth from the right.
# 0 (the default) trusts only REMOTE_ADDR: right for runserver and for gunicorn without a proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# ---- Logging: one JSON object a line on stdout, never personal data (msp_cases/logs.py) -------------
# LOG_FORMAT=console prints the same lines for people (the dev settings' default).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": logs.formatter(LOG_FORMAT)},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "structured"}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's request logger prints URLs and, on errors, request data; keep it at ERROR and let
        # error reports carry only what the filter keeps (see SafeExceptionReporterFilter).
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO with the email used; keep only lockouts and failures.
        "axes": {"level": "WARNING"},
        # runserver's request lines, through the console handler so their query strings are dropped.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Celery's own task lines hold a task's result and its exception's message ("raised unexpected:
        # ValueError('…')"): django-structlog's task_started, task_succeeded and task_failed say the same
        # with the request id, the duration and the exception's type only.
        "celery.app.trace": {"level": "CRITICAL"},
    },
}
logs.configure_structlog()
# django-structlog: a request id on every line of a request and of the tasks it queues; no client address.
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True  # only a safe one: msp_cases.logs.RequestLogMiddleware
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
# One line a request (request_finished, with its status and duration), not two.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG

# ---- Case work --------------------------------------------------------------------------------------
# Working days (Mon–Fri; bank holidays not yet excluded) from receipt by which a concern's decision is due.
CONCERN_DECISION_WORKING_DAYS = env.int("CONCERN_DECISION_WORKING_DAYS", default=2)

# ---- The front door: the online "Report a concern" form (docs/front-door.md) ------------------------
# Past this many referrals waiting for screening the form stops taking reports and asks people to phone
# FRONT_DOOR_PHONE; front-door staff are alerted (at most once an hour). A flood cannot fill the queue unseen.
FRONT_DOOR_MAX_WAITING = env.int("FRONT_DOOR_MAX_WAITING", default=500)
FRONT_DOOR_PHONE = env("FRONT_DOOR_PHONE", default="0300 123 4567")
# Rate limits (django-ratelimit, in the cache: set CACHE_URL to Redis so every web worker shares the counts).
FRONT_DOOR_RATE_SUBMIT = env("FRONT_DOOR_RATE_SUBMIT", default="10/h")  # reports sent, per client address
FRONT_DOOR_RATE_PAGES = env("FRONT_DOOR_RATE_PAGES", default="300/h")  # answers given, per client address
FRONT_DOOR_RATE_EMAIL = env("FRONT_DOOR_RATE_EMAIL", default="5/h")  # return links and codes, per email
# A professional's saved report: kept this many days after it was last saved, then deleted (beat, nightly).
FRONT_DOOR_DRAFT_KEEP_DAYS = env.int("FRONT_DOOR_DRAFT_KEEP_DAYS", default=30)
FRONT_DOOR_CODE_MINUTES = env.int("FRONT_DOOR_CODE_MINUTES", default=15)  # a one-time code is good for
FRONT_DOOR_CODE_ATTEMPTS = env.int("FRONT_DOOR_CODE_ATTEMPTS", default=5)  # wrong codes before a new one
# A professional referrer's link to what became of their referral works for this many days.
FRONT_DOOR_OUTCOME_LINK_DAYS = env.int("FRONT_DOOR_OUTCOME_LINK_DAYS", default=14)

# ---- Retention of closed cases (docs/retention.md) -----------------------------------------------------
# A person's safeguarding record is kept this many years after their last concern or enquiry closed, then
# reviewed by the unit leads (the council's retention schedule).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=6)

# Demo accounts (seed_demo) share this password; only usable in DEBUG/demo mode.
DEMO_PASSWORD = env("DEMO_PASSWORD")
DEMO_MODE = env.bool("DEMO_MODE", default=False)

# The framework's floor for `manage.py benchmark_pages` (/benchmark/floor/, in msp_cases/shell/benchmark/):
# mounted only when this is true (msp_cases.settings.benchmark) or DEBUG; never read from the environment.
BENCHMARK_FLOOR = False
