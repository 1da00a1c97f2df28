"""imageshare in a background thread on a free port: the production ASGI app under uvicorn, on a
real database. The pytest plugin starts one per test session; imageshare's own tests use it too.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

from imageshare.api.registry import Registry
from imageshare.app import create_app
from imageshare.config import Settings, duration_setting
from imageshare.domain.operations import Operation
from imageshare.domain.times import utcnow
from imageshare.http.guarded import KEEP_ALIVE_SECONDS, GuardedHttpToolsProtocol
from imageshare.services import state
from imageshare.store import migrate
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.values import frozen

if TYPE_CHECKING:
    from imageshare.http.tls import TlsFiles

START_TIMEOUT_SECONDS = 10
# An idle keep-alive TLS connection closes only when its client answers close_notify, and
# asyncio waits 30 s for that: stopping must not wait on the clients a test still holds
# (each HTTPS server's teardown took the whole 10 s join before this).
STOP_TIMEOUT_SECONDS = 1


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@frozen
class RunningServer:
    """A server answering at ``endpoint`` (``127.0.0.1:PORT``), and the store behind it."""

    endpoint: str
    store: Store
    settings: Settings
    # Set when started with ``tls``: the HTTPS port (same app, same store) and the CA to trust.
    https_port: int | None = None
    ca_file: Path | None = None

    @property
    def host(self) -> str:
        return self.endpoint.rsplit(":", 1)[0]

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}"

    @property
    def https_endpoint(self) -> str:
        """``127.0.0.1:HTTPS_PORT``.

        :raises RuntimeError: started without ``tls``.
        """
        if self.https_port is None:
            raise RuntimeError("this server was started without tls")
        return f"{self.host}:{self.https_port}"

    @property
    def admin_token(self) -> str | None:
        return self.settings.admin_token

    def reset(self, *, keep_demo: bool = False) -> None:
        """Empty the state (a few milliseconds; the server keeps running)."""
        state.reset(self.store, keep_demo=keep_demo)

    def export(self) -> dict[str, Any]:
        """The whole state as the JSON document ``GET /_imageshare/state`` returns."""
        return state.export(self.store)

    def import_state(self, document: Any) -> None:
        """Replace the whole state with an exported document.

        :raises imageshare.services.state.StateError: a malformed or mismatched document.
        """
        state.import_(self.store, document)

    def snapshot(self, name: str, *, replace: bool = True) -> None:
        """Save the state as ``name`` (replacing an earlier one, unless told not to)."""
        now = utcnow()
        state.save_snapshot(self.store, name, now=now, replace=replace)

    def restore(self, name: str) -> None:
        """Bring back the state saved as ``name``, idempotency records and all."""
        state.restore_snapshot(self.store, name)


@contextmanager
def serve_in_thread(
    database_url: str,
    *,
    registry: Registry | None = None,
    tls: TlsFiles | None = None,
    **settings: Any,
) -> Iterator[RunningServer]:
    """Migrate the database, serve it on a free port until the block ends.

    Args:
        database_url: SQLAlchemy URL of the database to serve (created if missing).
        registry: the actions to serve; every product's by default.
        tls: also serve HTTPS, with these certificates, on a second free port.
        settings: other ``Settings`` fields, e.g. ``admin_token``.

    :raises RuntimeError: the server did not answer within START_TIMEOUT_SECONDS.
    """
    # Tests want what they make ready at once; a test of "Creating" passes its own duration
    # and moves the clock (docs/testing.md, "Operations that take time").
    for operation in Operation:
        settings.setdefault(duration_setting(operation), 0)
    settings.setdefault("ecs_instance_settle_seconds", 0)
    config = Settings(database_url=database_url, **settings)
    store = Store(make_engine(database_url))
    try:
        migrate.upgrade(store.engine)
        app = create_app(config, store=store, registry=registry)
        with _uvicorn_thread(app) as port, _maybe_https(app, tls) as https_port:
            ca = tls.ca if tls else None
            yield RunningServer(f"127.0.0.1:{port}", store, config, https_port, ca)
    finally:
        store.dispose()


@contextmanager
def _maybe_https(app: Any, tls: TlsFiles | None) -> Iterator[int | None]:
    if tls is None:
        yield None
        return
    with _uvicorn_thread(app, tls) as port:
        yield port


@contextmanager
def _uvicorn_thread(app: Any, tls: TlsFiles | None = None) -> Iterator[int]:
    # Bind first and hand uvicorn the socket: no window for another process to take the port.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            lifespan="on",
            access_log=False,
            # proxy_headers off, as `serve` has it unless --forwarded-allow-ips names proxies.
            proxy_headers=False,
            ssl_certfile=tls.cert if tls else None,
            ssl_keyfile=tls.key if tls else None,
            http=GuardedHttpToolsProtocol,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            timeout_graceful_shutdown=STOP_TIMEOUT_SECONDS,
        )
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"imageshare-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"imageshare did not start on 127.0.0.1:{port}")
        time.sleep(0.005)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
