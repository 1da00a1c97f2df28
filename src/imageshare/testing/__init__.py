"""Test your own Alibaba Cloud image automation against imageshare: ``mock_alibabacloud()``
(every official SDK client served in process, whatever it was configured with), a pytest plugin
(``imageshare.testing.plugin``, registered as the ``imageshare`` pytest11 entry point), the
world builder (``World``) and the in-process server (``imageshare.testing.server``).
See docs/testing.md.

This package is imported by every pytest run in an environment where imageshare is installed,
so it imports nothing heavy itself: the names below load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imageshare.testing.mock import MockedCloud, mock_alibabacloud
    from imageshare.testing.server import RunningServer
    from imageshare.testing.swas import SwasImage
    from imageshare.testing.world import AccountKeys, World

__all__ = [
    "AccountKeys",
    "MockedCloud",
    "RunningServer",
    "SwasImage",
    "World",
    "mock_alibabacloud",
]

_HOMES = {
    "AccountKeys": "imageshare.testing.world",
    "World": "imageshare.testing.world",
    "SwasImage": "imageshare.testing.swas",
    "RunningServer": "imageshare.testing.server",
    "MockedCloud": "imageshare.testing.mock",
    "mock_alibabacloud": "imageshare.testing.mock",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'imageshare.testing' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)
