"""This suite's world is the one the pytest plugin gives users (imageshare.testing.world), so
the tests exercise exactly what users get."""

from __future__ import annotations

from imageshare.testing.world import AccountKeys, World

__all__ = ["AccountKeys", "World"]
