# One image for the three processes of MSP Cases: the web app (gunicorn), the Celery worker and Celery beat.
# docker-compose.yml builds it and says which command each service runs; see docs/deployment.md "With
# Docker Compose". Build on its own with `docker build -t msp-cases .`.

# ---- Front end: GOV.UK Frontend and MOJ Frontend from npm, built into static/dist ----------------------
# A separate stage, so Node.js and node_modules stay out of the image that runs.
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/build-assets.sh scripts/build-css.mjs scripts/
COPY static/src static/src
RUN bash scripts/build-assets.sh

# ---- The application ----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

# PYTHONPATH: the code runs from /app (see the pip step for why it is not installed into site-packages).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=msp_cases.settings.production

# WeasyPrint's runtime libraries (Pango, HarfBuzz subsetting) and Liberation Sans, which has Arial's metrics,
# for PDFs; libmagic1 for python-magic, which finds an uploaded document's type from its content. The same
# packages .ci/run installs for the test suite.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation libmagic1 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The runtime dependencies declared in pyproject.toml at the versions pinned in requirements/constraints.txt
# (the dev extras — pytest, Playwright, ruff — are left out). In a layer of their own, so changing the code
# does not reinstall them. The project itself is not pip-installed: settings find templates/ and static/
# relative to the source tree (BASE_DIR), so a second copy in site-packages would only cause confusion.
COPY pyproject.toml ./
COPY requirements/constraints.txt requirements/
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install -c requirements/constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /build/static/dist static/dist

# Production settings refuse to load without a secret key, so collectstatic gets a random one that exists
# only for this command; it is not stored in the image. The real key comes from the environment at run time.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --no-input --verbosity 0

# Run as an unprivileged user. The code stays owned by root, so the app cannot change it; only media/ is
# writable, and the exports and documents directories (a named volume in docker-compose.yml takes this owner
# and mode when it is first created). The home directory gives fontconfig (used by WeasyPrint) somewhere to
# keep its cache.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin msp \
    && mkdir -p /app/media /var/lib/msp-cases/exports /var/lib/msp-cases/documents \
    && chown msp:msp /app/media /var/lib/msp-cases/exports /var/lib/msp-cases/documents \
    && chmod 700 /var/lib/msp-cases/exports /var/lib/msp-cases/documents
USER msp

EXPOSE 8000
# msp_cases/gunicorn_conf.py: the access log names each request's path, never its query string (search words).
CMD ["gunicorn", "msp_cases.wsgi:application", "--config", "python:msp_cases.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "3"]
