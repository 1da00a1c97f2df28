"""The real server in a background thread on a free port: imageshare.testing.server, shaped as
these tests use it (``running_server(url) as (endpoint, store)``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from imageshare.api.registry import Registry
from imageshare.store.database import Store
from imageshare.testing.server import free_port, serve_in_thread

__all__ = ["free_port", "running_server"]


@contextmanager
def running_server(
    database_url: str, registry: Registry | None = None, **overrides: Any
) -> Iterator[tuple[str, Store]]:
    """Yield ``("127.0.0.1:PORT", store)`` while a server answers there."""
    with serve_in_thread(database_url, registry=registry, **overrides) as server:
        yield server.endpoint, server.store
