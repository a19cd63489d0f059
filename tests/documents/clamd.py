"""A real ClamAV daemon for the tests: Debian's `clamd` (package clamav-daemon), started in the foreground
with its own configuration in a temporary directory and a signature database generated here, since virus
definitions cannot be downloaded on the machines that run the suite (production runs freshclam:
docs/documents.md).

The database is one ClamAV body signature (`.ndb`: name, any target type, any offset, hex) for the EICAR
test file, the string every antivirus product detects by agreement and which is harmless. It is assembled
from two halves at run time, so no file of this repository is the EICAR file itself (a developer's own
antivirus would quarantine it). clamd reports unsigned local signatures with ".UNOFFICIAL" appended.

The daemon listens on a Unix socket (short path: sun_path allows 108 bytes) and on a free TCP port of
127.0.0.1, so both forms of CLAMAV_URL are used for real. `stop()` and `start()` again stand for clamd
going away and coming back. Without clamd installed the tests skip, saying why; in CI (CI=true) they fail:
.ci/run installs clamav-daemon."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"

# The EICAR test file (68 bytes), in two halves.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-" + b"STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
EICAR_SIGNATURE = "Eicar-Test-Signature"


def clamd_binary() -> str:
    binary = shutil.which("clamd") or ("/usr/sbin/clamd" if os.access("/usr/sbin/clamd", os.X_OK) else None)
    if binary is None:
        message = "clamd is not installed: apt-get install clamav-daemon (Debian's ClamAV daemon)"
        if IN_CI:
            pytest.fail(f"CI must have the real virus scanner. {message}")
        pytest.skip(message)
    return binary


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Clamd:
    """A private clamd. `unix_url` and `tcp_url` are what CLAMAV_URL is set to."""

    def __init__(self, *, stream_max_length: str = "30M"):
        self.binary = clamd_binary()
        self.workdir = Path(tempfile.mkdtemp(prefix="clamd-"))
        self.socket_path = self.workdir / "clamd.sock"
        self.port = _free_port()
        self.log_path = self.workdir / "clamd.log"
        self.process: subprocess.Popen | None = None
        database = self.workdir / "db"
        database.mkdir()
        (database / "eicar.ndb").write_text(f"{EICAR_SIGNATURE}:0:*:{EICAR.hex()}\n")
        self.config = self.workdir / "clamd.conf"
        self.config.write_text(
            "\n".join(
                [
                    "Foreground yes",
                    f"LocalSocket {self.socket_path}",
                    f"TCPSocket {self.port}",
                    "TCPAddr 127.0.0.1",
                    f"DatabaseDirectory {database}",
                    f"TemporaryDirectory {self.workdir}",
                    # Uploads are at most DOCUMENT_MAX_BYTES (20 MB); production sets the same margin.
                    f"StreamMaxLength {stream_max_length}",
                    "MaxThreads 2",
                    "SelfCheck 0",  # no reloading of the database behind the tests' backs
                    "",
                ]
            )
        )

    @property
    def unix_url(self) -> str:
        return f"unix://{self.socket_path}"

    @property
    def tcp_url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _pong(self) -> bool:
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(1)
                s.connect(str(self.socket_path))
                s.sendall(b"nPING\n")
                return s.recv(16) == b"PONG\n"
        except OSError:
            return False

    def start(self, *, timeout: float = 60) -> "Clamd":
        self.log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [self.binary, "--config-file", str(self.config)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not self._pong():
            if self.process.poll() is not None:
                pytest.fail(f"clamd exited with {self.process.returncode}:\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"clamd did not answer PING within {timeout}s:\n{self.output()}")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        """clamd going away (a deploy, a crash): it stops listening at once."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.log.close()
            self.process = None
        self.socket_path.unlink(missing_ok=True)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""


@pytest.fixture(scope="session")
def clamd_daemon() -> Iterator[Clamd]:
    """One clamd for the session (per pytest-xdist process), never stopped by a test."""
    daemon = Clamd().start()
    try:
        yield daemon
    finally:
        daemon.close()


@pytest.fixture
def private_clamd() -> Iterator[Clamd]:
    """A clamd of this test's own, which it may stop and start again."""
    daemon = Clamd().start()
    try:
        yield daemon
    finally:
        daemon.close()
