"""Every registered action, in one explicit list."""

from __future__ import annotations

from imageshare.api import regions
from imageshare.api.registry import Registry


def build_registry() -> Registry:
    return Registry([*regions.ACTIONS])
