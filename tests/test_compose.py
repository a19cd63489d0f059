"""docker-compose.yml, Dockerfile and .dockerignore agree with the project they package.

No Docker engine runs where the suite runs, so nothing here starts a container. Each test checks a fact that,
if wrong, someone running `docker compose up` would hit: a missing service or volume, a command naming a
module that is not there, a variable the settings never read, a file the build copies that does not exist.
"""

import os
import re
import secrets
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
WORKERS = ["worker-interactive", "worker-long"]
APP_SERVICES = ["web", *WORKERS, "beat"]

# env("NAME"), env.bool("NAME", ...), env.db("NAME", ...), env.email_url("NAME", ...) and so on.
ENV_READ = re.compile(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"")


def settings_env_names() -> set[str]:
    names = set()
    for path in (ROOT / "msp_cases" / "settings").glob("*.py"):
        names |= set(ENV_READ.findall(path.read_text()))
    return names


def command_words(service: str) -> list[str]:
    command = SERVICES[service]["command"]
    if isinstance(command, str):
        return shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return shlex.split(command[2])
    return list(command)


def healthcheck_text(service: str) -> str:
    test = SERVICES[service]["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def dockerfile_instructions(keyword: str) -> list[str]:
    """The arguments of every `keyword` instruction, with continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(f"{keyword} ")]


# ---- docker-compose.yml --------------------------------------------------------------------------------


def test_the_six_services_are_defined():
    assert {"db", "redis", "web", *WORKERS, "beat"} <= set(SERVICES)


def test_database_is_postgresql_15_and_keeps_its_data_in_a_named_volume():
    db = SERVICES["db"]
    assert db["image"] == "postgres:15"
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in db["volumes"]}
    data_volume = mounts["/var/lib/postgresql/data"]
    # A named volume (declared at the top level), not a bind mount of some host path.
    assert data_volume in (COMPOSE.get("volumes") or {})


def test_database_and_redis_report_healthy_only_when_they_answer():
    assert SERVICES["redis"]["image"] == "redis:7"
    db_check = healthcheck_text("db")
    assert "pg_isready" in db_check
    # Checked against the user and database the app connects as, not just "a server is up".
    env = SERVICES["db"]["environment"]
    assert env["POSTGRES_USER"] in db_check
    assert env["POSTGRES_DB"] in db_check
    assert "redis-cli ping" in healthcheck_text("redis")


def test_web_health_check_asks_an_endpoint_that_exists_and_needs_no_sign_in():
    from django.urls import resolve

    check = healthcheck_text("web")
    match = re.search(r"http://(localhost|127\.0\.0\.1):8000(/[^'\"\s]*)", check)
    assert match, "the web health check does not request the app on port 8000"
    host, path = match.groups()
    view = resolve(path).func
    # LoginRequiredMiddleware would answer a redirect to the sign-in page instead.
    assert getattr(view, "login_required", True) is False
    # The host the check sends must be allowed by default, or the app answers 400 Bad Request.
    assert host in SERVICES["web"]["environment"]["DJANGO_ALLOWED_HOSTS"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_wait_for_a_healthy_database_and_redis(service):
    depends_on = SERVICES[service]["depends_on"]
    for dependency in ("db", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", [*WORKERS, "beat"])
def test_worker_and_beat_start_after_web_has_migrated(service):
    # beat's DatabaseScheduler and the worker's tasks read tables that web's `migrate` creates.
    assert SERVICES[service]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "migrate" in command_words("web")


def test_web_migrates_then_serves_the_wsgi_application_with_gunicorn():
    from gunicorn.util import import_app

    words = command_words("web")
    assert (ROOT / "manage.py").is_file()
    assert words[:3] == ["python", "manage.py", "migrate"]
    gunicorn = words.index("gunicorn")
    target = words[gunicorn + 1]
    assert target == "msp_cases.wsgi:application"
    assert (ROOT / "msp_cases" / "wsgi.py").is_file()
    # Exactly what gunicorn does with the argument.
    assert callable(import_app(target))
    assert "0.0.0.0:8000" in words
    published = SERVICES["web"]["ports"]
    assert any(str(port).endswith(":8000") for port in published)


@pytest.mark.parametrize(
    "service,subcommand", [("worker-interactive", "worker"), ("worker-long", "worker"), ("beat", "beat")]
)
def test_celery_commands_find_the_project_app(service, subcommand):
    from celery import Celery
    from celery.app.utils import find_app

    words = command_words(service)
    assert words[0] == "celery"
    app_name = words[words.index("-A") + 1]
    assert words[words.index("-A") + 2] == subcommand
    # What `celery -A msp_cases` resolves: msp_cases/celery.py's `app`.
    app = find_app(app_name)
    assert isinstance(app, Celery)
    assert app.main == "msp_cases"


def _worker_options(service: str) -> dict[str, str]:
    words = command_words(service)
    return {word: words[i + 1] for i, word in enumerate(words[:-1]) if word.startswith("-")}


def test_every_queue_has_its_own_worker_with_the_settings_for_its_work():
    from django.conf import settings

    queues = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    consumed = {service: _worker_options(service).get("-Q") for service in WORKERS}
    assert sorted(consumed.values()) == sorted(queues) == ["interactive", "long"]
    interactive = _worker_options("worker-interactive")
    assert interactive["-Q"] == "interactive" and interactive["--prefetch-multiplier"] == "4"
    # Long jobs: one in hand per process, given to a free process (a long export never holds a short one).
    long = _worker_options("worker-long")
    assert long["-Q"] == "long" and long["-O"] == "fair" and long["--prefetch-multiplier"] == "1"
    # Distinct node names, so both can run on one host and `celery inspect` tells them apart.
    assert interactive["-n"] != long["-n"]


def test_beat_uses_the_database_scheduler():
    from msp_cases.celery import app

    # Schedules edited in the admin (django_celery_beat) are the ones beat runs.
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_every_variable_given_to_the_app_is_one_the_settings_read():
    environment = SERVICES["web"]["environment"]
    read = settings_env_names()
    unread = sorted(name for name in environment if name != "DJANGO_SETTINGS_MODULE" and name not in read)
    assert unread == [], f"set in docker-compose.yml but never read by msp_cases/settings: {unread}"
    module = environment["DJANGO_SETTINGS_MODULE"]
    assert module == "msp_cases.settings.production"
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file()


@pytest.mark.parametrize("service", [*WORKERS, "beat"])
def test_worker_and_beat_run_with_the_same_configuration_as_web(service):
    # Otherwise a task could write to a different database than the page that queued it.
    assert SERVICES[service]["environment"] == SERVICES["web"]["environment"]
    assert SERVICES[service]["image"] == SERVICES["web"]["image"]


def test_compose_refuses_to_start_without_a_secret_key():
    environment = SERVICES["web"]["environment"]
    # ${VAR:?message} stops `docker compose up` with the message; production settings would refuse anyway,
    # but only once the container is running.
    assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert not re.search(r"SECRET_KEY.*:-", (ROOT / "docker-compose.yml").read_text())


def test_compose_serves_plain_http_on_loopback_without_redirecting_to_https():
    environment = SERVICES["web"]["environment"]
    assert re.fullmatch(
        r"\$\{DJANGO_SECURE_SSL_REDIRECT:-false\}|false", environment["DJANGO_SECURE_SSL_REDIRECT"]
    )
    # Plain HTTP is published on this machine only, never on every interface.
    assert all(str(port).startswith("127.0.0.1:") for port in SERVICES["web"]["ports"])


def test_database_url_and_broker_point_at_the_compose_services():
    environment = SERVICES["web"]["environment"]
    db_env = SERVICES["db"]["environment"]
    url = environment["DATABASE_URL"]
    assert url.startswith(f"postgres://{db_env['POSTGRES_USER']}:")
    assert url.endswith(f"@db:5432/{db_env['POSTGRES_DB']}")
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")


def test_web_and_worker_share_the_private_exports_volume():
    # The worker writes the PDF; web serves the download: both must see the same directory, which must not be
    # lost when a container is recreated.
    environment = SERVICES["web"]["environment"]
    root = environment["EXPORTS_ROOT"]
    for service in ("web", "worker-long"):
        assert f"exports-data:{root}" in SERVICES[service]["volumes"]
    assert "exports-data" in COMPOSE["volumes"]
    # The image creates it for the unprivileged user, readable by nobody else.
    assert f"chmod 700 {root}" in (ROOT / "Dockerfile").read_text()


def test_web_and_the_workers_share_the_private_documents_volume():
    # Web stores an upload; worker-long reads it to stream it to the virus scanner.
    root = SERVICES["web"]["environment"]["DOCUMENTS_ROOT"]
    for service in ("web", "worker-long"):
        assert f"documents-data:{root}" in SERVICES[service]["volumes"]
    assert "documents-data" in COMPOSE["volumes"]
    assert re.search(rf"chmod 700 .*{re.escape(root)}", (ROOT / "Dockerfile").read_text())


def test_uploads_are_scanned_by_clamav_official_image_with_kept_definitions():
    from django.conf import settings

    from msp_cases.documents.scanner import client_for

    clamav = SERVICES["clamav"]
    assert clamav["image"].startswith("clamav/clamav:")
    # The definitions freshclam downloads survive a restart, in a named volume.
    [definitions] = [mount for mount in clamav["volumes"] if mount.endswith(":/var/lib/clamav")]
    assert definitions.split(":")[0] in COMPOSE["volumes"]
    # A URL the app accepts, naming the service and clamd's port.
    client = client_for(SERVICES["web"]["environment"]["CLAMAV_URL"])
    assert (client.host, client.port) == ("clamav", 3310)
    # clamd's stream limit is above the largest upload, so every file is scanned, none refused.
    limit = clamav["environment"]["CLAMD_CONF_StreamMaxLength"]
    assert limit.endswith("M") and int(limit[:-1]) * 1024 * 1024 > settings.DOCUMENT_MAX_BYTES


# ---- Dockerfile and .dockerignore ----------------------------------------------------------------------


def test_dockerfile_runs_python_3_11_as_pyproject_requires():
    requires = re.search(r'requires-python = "([^"]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert ">=3.11" in requires
    assert "python:3.11-slim-bookworm" in dockerfile_instructions("FROM")


def test_dockerfile_files_exist():
    # Every file or directory the build copies from the context (not from another stage).
    sources = []
    for args in dockerfile_instructions("COPY"):
        if args.startswith("--from"):
            continue
        sources += args.split()[:-1]
    sources = [source for source in sources if source != "."]
    assert sources
    missing = [source for source in sources if not (ROOT / source).exists()]
    assert missing == []
    for needed in (
        "requirements/constraints.txt",
        "scripts/build-assets.sh",
        "scripts/build-css.mjs",
        "package.json",
        "package-lock.json",
    ):
        assert needed in DOCKERFILE
        assert (ROOT / needed).is_file()


def test_dockerfile_installs_pinned_dependencies_and_weasyprint_libraries():
    run = " ".join(dockerfile_instructions("RUN"))
    assert "-c requirements/constraints.txt" in run
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert library in run
    assert "npm ci" in run
    assert "bash scripts/build-assets.sh" in run


def test_dockerfile_collects_static_files_under_production_settings():
    run = " ".join(dockerfile_instructions("RUN"))
    assert "manage.py collectstatic" in run
    assert "DJANGO_SECRET_KEY=" in run
    # The build-time key lives only in that RUN; an ENV would leave it in the image for anyone to read.
    assert not any("DJANGO_SECRET_KEY" in args for args in dockerfile_instructions("ENV"))
    assert "DJANGO_SETTINGS_MODULE=msp_cases.settings.production" in " ".join(dockerfile_instructions("ENV"))


def test_image_runs_as_an_unprivileged_user():
    users = dockerfile_instructions("USER")
    assert users, "no USER instruction: the app would run as root"
    assert users[-1].strip() not in {"root", "0", "0:0"}


def test_dockerignore_keeps_secrets_and_local_files_out_of_the_image():
    patterns = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    patterns.discard("")
    for path in (".env", ".venv", "node_modules", "static/dist", "db.sqlite3", ".git"):
        assert path in patterns or f"**/{path}" in patterns, f"{path} would be copied into the image"


def test_collectstatic_succeeds_with_production_storage(tmp_path):
    """The image runs collectstatic with the manifest storage production uses; a CSS url() to a file that was
    not built fails the whole `docker build`."""
    if not (ROOT / "static" / "dist" / "application.css").exists():
        reason = "the front end is not built: run `make assets` (make test builds it first)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    backend = re.search(
        r'"staticfiles": \{"BACKEND": "([^"]+)"\}', (ROOT / "msp_cases/settings/production.py").read_text()
    ).group(1)
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": backend},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, SECRET_KEY=secrets.token_hex()):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert "Manifest" in backend
    assert (tmp_path / "staticfiles.json").is_file()
