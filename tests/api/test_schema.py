"""The OpenAPI schema at /api/schema/ is valid and warning-free, and its docs page is served from the app's
own static files under the app's Content Security Policy (no CDN, no inline script or style)."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/v1/people/", "/api/v1/people/{id}/", "/api/v1/enquiries/{id}/"):
        assert f"{path}:" in text


def test_the_schema_is_served_and_names_the_scopes_and_errors():
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    search = schema["paths"]["/api/v1/people/"]["get"]
    assert {"200", "400", "401", "403", "429"} <= set(search["responses"])
    scheme = schema["components"]["securitySchemes"]
    flows = next(iter(scheme.values()))["flows"]
    assert flows["clientCredentials"]["tokenUrl"].endswith("/api/oauth/token/")
    assert "people:read" in flows["clientCredentials"]["scopes"]


def test_the_docs_page_loads_its_own_files_under_the_csp():
    client = Client()
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
