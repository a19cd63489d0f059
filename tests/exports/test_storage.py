"""Where export files live: a private directory by default; an S3-compatible bucket when configured."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.files.storage import storages

ROOT = Path(__file__).resolve().parents[2]


def test_by_default_exports_go_to_a_private_directory_apart_from_media(settings):
    storage = storages["exports"]
    assert storage.location == settings.EXPORTS_ROOT
    assert storage.file_permissions_mode == 0o600
    assert Path(settings.EXPORTS_ROOT).resolve() != Path(settings.MEDIA_ROOT).resolve()


def test_with_a_bucket_exports_go_to_s3_privately():
    # A fresh process: the storage is chosen when the settings load. Building the backend needs no network.
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['exports'];"
        "print(type(s).__module__, s.bucket_name, s.default_acl, s.querystring_auth, s.file_overwrite)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "msp_cases.settings.test",
        "EXPORTS_S3_BUCKET": "council-exports",
        "EXPORTS_S3_ENDPOINT_URL": "https://s3.example.org",
    }
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["storages.backends.s3", "council-exports", "private", "True", "False"]
