"""Fixtures for the front door's tests: the screener and their client (queue_scene.py)."""

from .queue_scene import front_door, front_door_client  # noqa: F401
