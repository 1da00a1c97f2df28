"""HTTPS for ``imageshare serve``: ``--tls`` (a generated local CA, kept beside the database),
``--tls-cert/--tls-key`` (your own), ``--https-port`` (HTTP and HTTPS at once). docs/https.md."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
import uvicorn

from imageshare.http.guarded import KEEP_ALIVE_SECONDS, GuardedHttpToolsProtocol
from imageshare.values import frozen

F = TypeVar("F", bound=Callable[..., Any])
APP_FACTORY = "imageshare.app:create_app_from_env"
GRACEFUL_SHUTDOWN_SECONDS = 3


@frozen
class Listeners:
    """Where the server listens: plain HTTP (None: not at all), HTTPS (None: not at all)."""

    http_port: int | None
    https_port: int | None
    cert: Path | None = None
    key: Path | None = None
    ca: Path | None = None  # the generated CA clients must trust (None: the user's own cert)


def tls_options(func: F) -> F:
    options = [
        click.option(
            "--tls",
            is_flag=True,
            help="Serve HTTPS (on --port, or on --https-port beside HTTP) with a certificate "
            "from a local CA imageshare makes and keeps beside the database; prints its path.",
        ),
        click.option(
            "--tls-cert",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Serve HTTPS with this PEM certificate (chain) instead; needs --tls-key.",
        ),
        click.option(
            "--tls-key",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="The PEM private key of --tls-cert.",
        ),
        click.option(
            "--https-port",
            type=click.IntRange(1, 65535),
            help="Serve HTTPS on this port as well as HTTP on --port (one worker).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def plan_listeners(
    port: int,
    database_url: str,
    tls: bool,
    tls_cert: Path | None,
    tls_key: Path | None,
    https_port: int | None,
) -> Listeners:
    """:raises click.BadParameter: a certificate without its key, or the reverse."""
    if (tls_cert is None) != (tls_key is None):
        raise click.BadParameter("give --tls-cert and --tls-key together", param_hint="--tls-key")
    if not (tls or tls_cert or https_port):
        return Listeners(http_port=port, https_port=None)
    http_port = port if https_port is not None else None
    served_https = https_port if https_port is not None else port
    if tls_cert is not None:
        return Listeners(http_port, served_https, tls_cert, tls_key)
    from imageshare.http.tls import ensure_files, tls_directory

    files = ensure_files(tls_directory(database_url))
    return Listeners(http_port, served_https, files.cert, files.key, files.ca)


def describe(host: str, listeners: Listeners) -> str:
    """The banner's HTTPS lines (empty when there is no HTTPS)."""
    if listeners.https_port is None:
        return ""
    lines = [f"  HTTPS            {host}:{listeners.https_port}"]
    if listeners.http_port is None:
        lines.append("                   (HTTPS only: use protocol='https'; no plain HTTP port)")
    if listeners.ca is not None:
        lines.append(f"  CA certificate   {listeners.ca}")
        lines.append("                   (trust it: SSL_CERT_FILE for the Python tea SDKs, ")
        lines.append("                   NODE_EXTRA_CA_CERTS for Node; docs/https.md)")
    return "\n".join(lines) + "\n"


def run(
    host: str, workers: int, listeners: Listeners, forwarded_allow_ips: str | None = None
) -> None:
    """Serve until interrupted.

    :raises click.UsageError: both listeners asked of several worker processes.
    """
    common: dict[str, Any] = {
        "host": host,
        "loop": "uvloop",
        "http": GuardedHttpToolsProtocol,  # a deadline for each request to arrive whole
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "access_log": False,
        "log_level": "warning",
        # uvicorn trusts X-Forwarded-* from 127.0.0.1 by default: a local client could then
        # forge the address and scheme RAM conditions read. Off unless proxies are named.
        "proxy_headers": forwarded_allow_ips is not None,
        "forwarded_allow_ips": forwarded_allow_ips,
    }
    https: dict[str, Any] = {
        "ssl_certfile": listeners.cert,
        "ssl_keyfile": listeners.key,
        # An idle keep-alive TLS connection closes only when the client answers close_notify
        # (asyncio waits 30 s for it); stopping the server must not wait on its clients.
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
    }
    if listeners.https_port is None or listeners.http_port is None:
        port = listeners.http_port or listeners.https_port or 0
        extra = https if listeners.https_port is not None else {}
        uvicorn.run(APP_FACTORY, factory=True, port=port, workers=workers, **common, **extra)
        return
    if workers != 1:
        raise click.UsageError(
            "--https-port serves HTTP and HTTPS from one process: use --workers 1, or run "
            "HTTPS as a second `imageshare serve --tls` on the same database."
        )
    from imageshare.app import create_app_from_env

    app = create_app_from_env()  # one app, one store, both listeners
    configs = [
        uvicorn.Config(app, port=listeners.http_port, **common),
        uvicorn.Config(app, port=listeners.https_port, **common, **https),
    ]
    asyncio.run(_serve_all([_Listener(config) for config in configs]))


class _Listener(uvicorn.Server):
    """One of several servers in a process: the signals are handled once, for all of them
    (each uvicorn server would take the handler from the one before)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _serve_all(servers: list[_Listener]) -> None:
    def stop_all() -> None:
        for server in servers:
            server.should_exit = True

    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stop_all)
    await asyncio.gather(*(server.serve() for server in servers))
