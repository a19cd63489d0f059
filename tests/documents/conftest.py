"""Fixtures for the documents' tests: a real ClamAV daemon (clamd.py)."""

from .clamd import clamd_daemon, private_clamd  # noqa: F401
