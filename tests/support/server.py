"""The real server (uvicorn, the production ASGI app) in a background thread on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from imageshare.api.all import build_registry
from imageshare.api.registry import Registry
from imageshare.app import create_app
from imageshare.config import Settings
from imageshare.store import migrate
from imageshare.store.engine import make_engine
from imageshare.store.uow import Store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(
    database_url: str, registry: Registry | None = None, **overrides: object
) -> Iterator[tuple[str, Store]]:
    """Yield ``("127.0.0.1:PORT", store)`` while a server answers there."""
    settings = Settings(database_url=database_url, **overrides)  # type: ignore[arg-type]
    store = Store(make_engine(database_url))
    migrate.upgrade(store.engine)
    app = create_app(settings, store=store, registry=registry or build_registry())
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}", store
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.dispose()
