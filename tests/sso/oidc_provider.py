"""Starts the test identity provider (tests/sso/provider) for the single sign-on tests, as
tests/documents/clamd.py starts clamd: a subprocess on a free port of 127.0.0.1, its own SQLite database and
a fresh RS256 key in a temporary directory, stopped at the end of the run. Nothing extra to install: the
provider is django-oauth-toolkit, pinned with the app, so CI (.ci/run) needs no new step."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .provider.clients import MISISSUED_CLIENT_ID

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_PASSWORD = "provider-password"
CLIENT_ID = "msp-cases"
CLIENT_SECRET = "msp-cases-secret"
MISISSUED_CLIENT_SECRET = "misissued-secret"
# Seconds an ID token lasts: short, so a clock moved past it shows an expired token.
ID_TOKEN_SECONDS = 300
CALLBACK_PATH = "/sign-in/sso/callback/"
POST_LOGOUT_PATH = "/sign-out/provider/done/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


class OIDCProvider:
    """The running provider. `discovery_url` is what OIDC_DISCOVERY_URL is set to."""

    def __init__(self, *, people: list[tuple[str, str]], app_urls: list[str]):
        self.workdir = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base_url}/o"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"
        self.log_path = self.workdir / "provider.log"
        clients = [
            {
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uris": [url + CALLBACK_PATH for url in app_urls],
                "post_logout_redirect_uris": [url + POST_LOGOUT_PATH for url in app_urls],
            }
            for client_id, secret in [
                (CLIENT_ID, CLIENT_SECRET),
                (MISISSUED_CLIENT_ID, MISISSUED_CLIENT_SECRET),
            ]
        ]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
            "PYTHONPATH": str(REPO_ROOT),
            "PROVIDER_DATABASE": str(self.workdir / "provider.sqlite3"),
            "PROVIDER_RSA_PRIVATE_KEY": _private_key_pem(),
            "PROVIDER_ID_TOKEN_SECONDS": str(ID_TOKEN_SECONDS),
            "PROVIDER_SEED": json.dumps(
                {
                    "password": PROVIDER_PASSWORD,
                    "people": [{"email": email, "name": name} for email, name in people],
                    "clients": clients,
                }
            ),
        }
        for name in ("DATABASE_URL", "DJANGO_READ_DOT_ENV"):
            self.env.pop(name, None)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "tests.sso.provider.seed"], env=self.env, cwd=REPO_ROOT, check=True
        )
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
                env=self.env,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the test identity provider exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.discovery_url, timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the test identity provider did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)
