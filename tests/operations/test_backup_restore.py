"""A backup is only a backup once it has been restored: the demo data, backed up with scripts/backup.sh and
restored with scripts/restore.sh into a new database and new file stores, is all there, byte for byte, and
the app runs on it: a practitioner signs in, opens a person's page and downloads the document kept on it."""

import hashlib
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from .conftest import (
    Browser,
    app_env,
    create_database,
    database_url,
    drop_database,
    manage,
    person_id,
    run,
    server_url,
    table_contents,
)

pytestmark = pytest.mark.integration


def _tables(conn) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def restored(demo_backup, tmp_path):
    server = server_url()
    name = create_database(server, "msp_backup_restored")
    try:
        env = app_env(db_url=database_url(server, name), files=tmp_path / "files")
        output = run(["bash", "scripts/restore.sh", str(demo_backup.path)], env)
        yield env, output
    finally:
        drop_database(server, name)


def test_every_record_and_file_comes_back(demo_backup, restored):
    env, output = restored
    assert "database restored" in output

    before, after = demo_backup.contents, table_contents(env["DATABASE_URL"])
    assert len(before) > 50  # every app's tables, not an empty schema
    assert sum(count for count, _digest in before.values()) > 1000
    assert after == before  # the same tables, the same number of rows, the same values in every row

    # A few of the demo's records, by what a person would look for.
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        assert conn.execute(
            "SELECT preferred_name FROM enquiries_person"
            " WHERE given_name = 'Margaret' AND family_name = 'Hughes'"
        ).fetchone() == ("Peggy",)
        assert (
            conn.execute("SELECT count(*) FROM accounts_user WHERE email LIKE '%%@example.org'").fetchone()[0]
            >= 7
        )
        assert conn.execute(
            "SELECT original_name, size FROM documents_document WHERE title = 'Letter from the GP'"
        ).fetchone() == ("gp-letter.txt", 40)

    # The file stores, byte for byte: the document and the rendered export.
    for store in ("documents", "exports"):
        source = _files(demo_backup.source_files / store)
        assert source, f"the demo left no {store} to back up"
        assert _files(Path(env[f"{store.upper()}_ROOT"])) == source


def test_the_app_runs_on_the_restored_database(demo_backup, restored, app_server):
    env, _output = restored
    assert "no issues" in manage("check", env=env)  # Django's system checks pass against it
    manage("migrate", "--check", env=env)  # nothing left to apply: the schema is the release's

    server = app_server(env)
    browser = Browser(server.url)
    home = browser.sign_in("practitioner.north@example.org")
    assert "Priya Shah" in home

    margaret = person_id(env["DATABASE_URL"], "DEMO-001")
    status, _url, page = browser.request(f"/people/{margaret}/")
    assert status == 200
    page = page.decode()
    assert "Margaret" in page and "Hughes" in page
    assert "Letter from the GP" in page

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        document = conn.execute(
            "SELECT id FROM documents_document WHERE title = 'Letter from the GP'"
        ).fetchone()[0]
    status, _url, content = browser.request(f"/documents/{document}/download/")
    assert status == 200
    assert content == b"Dear colleague, Margaret was seen today."


def test_a_damaged_backup_is_refused_before_anything_is_restored(demo_backup, tmp_path):
    server = server_url()
    damaged = tmp_path / "damaged"
    shutil.copytree(demo_backup.path, damaged)
    with (damaged / "database.dump").open("r+b") as dump:
        dump.seek(2000)
        dump.write(b"\0" * 16)
    name = create_database(server, "msp_backup_damaged")
    try:
        env = app_env(db_url=database_url(server, name), files=tmp_path / "files")
        done = subprocess.run(
            ["bash", "scripts/restore.sh", str(damaged)], env=env, capture_output=True, text=True
        )
        assert done.returncode != 0
        assert "damaged" in done.stderr
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            assert _tables(conn) == []
    finally:
        drop_database(server, name)


def test_a_restore_never_overwrites_a_database_in_use(demo_backup, restored):
    env, _output = restored
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("UPDATE enquiries_person SET preferred_name = 'Peg' WHERE local_identifier = 'DEMO-001'")
    done = subprocess.run(
        ["bash", "scripts/restore.sh", str(demo_backup.path)], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "restore into a new, empty database" in done.stderr
    with psycopg.connect(env["DATABASE_URL"]) as conn:  # the change made since is still there
        assert conn.execute(
            "SELECT preferred_name FROM enquiries_person WHERE local_identifier = 'DEMO-001'"
        ).fetchone() == ("Peg",)
