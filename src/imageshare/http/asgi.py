"""A plain ASGI callable: one RPC endpoint plus /metrics. No framework: the pipeline does the
work, and every microsecond here is paid on every call of every user's test suite. Each call
is counted in the metrics and written to the request log (docs/observability.md)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST

from imageshare.domain.faults import Effect
from imageshare.errors import (
    PathNotFound,
    RequestBodyTooLarge,
    ServiceError,
    UnsupportedHTTPMethod,
)
from imageshare.http.admin import ADMIN_PREFIX, AdminApp
from imageshare.http.admin_wire import AdminRequestError, send_error
from imageshare.http.console import PREFIX as CONSOLE_PREFIX
from imageshare.http.console import ConsoleApp
from imageshare.http.guarded import hold_then_close
from imageshare.http.metrics import RequestMetrics
from imageshare.http.requestlog import RequestEntry, log_entry
from imageshare.pipeline.handle import Pipeline
from imageshare.pipeline.trace import Trace
from imageshare.pipeline.wire import JSON_CONTENT_TYPE, RawRequest, WireResponse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MAX_BODY_BYTES = 1 << 20
# The console's live request log: this process's last calls.
RECENT_REQUESTS = 500
RPC_METHODS = frozenset({"GET", "POST"})
_DRAIN_BYTES = 16 * MAX_BODY_BYTES


class RpcApp:
    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.admin = AdminApp(
            pipeline.store,
            pipeline.settings.admin_token,
            pipeline.database_problem,
            pipeline.registry.ram_actions(),
        )
        self.metrics = RequestMetrics()
        self.recent: deque[RequestEntry] = deque(maxlen=RECENT_REQUESTS)
        self.console = ConsoleApp(pipeline.store, pipeline.settings.admin_token, self.recent)
        self._metrics_need_token = pipeline.settings.metrics_require_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, self.pipeline.store.trail.close)
            return
        if scope["type"] != "http":
            return
        if scope["path"] == "/metrics":
            await self._send_metrics(scope, send)
            return
        if scope["path"].startswith(ADMIN_PREFIX):  # docs/admin.md; never reaches the pipeline
            await self.admin(scope, receive, send)
            return
        if scope["path"].startswith(CONSOLE_PREFIX):  # docs/console.md
            await self.console(scope, receive, send)
            return
        try:
            raw, refusal = await _read_rpc(scope, receive)
        except _ClientGone:  # closed mid-request (or cut for stalling): no one to answer
            return
        # Deliberately synchronous: each call is a short transaction, so running it in the event
        # loop beats a thread hop; throughput scales with worker processes (docs/performance.md).
        started = time.perf_counter()
        trace = Trace()
        if refusal is None:
            response = self.pipeline.handle(raw, trace)
        else:
            response = self.pipeline.refuse(raw, refusal, trace)
        if trace.fault is not None and trace.fault.effect == Effect.DELAY:
            await asyncio.sleep(trace.fault.delay_ms / 1000)  # the event loop serves others
        seconds = time.perf_counter() - started
        self.metrics.observe(trace, seconds)
        entry = RequestEntry.of(trace, raw.client_ip, seconds)
        self.recent.append(entry)
        # Logged before the answer is sent: a test that fails on it finds the line written.
        log_entry(entry)
        if trace.fault is not None and trace.fault.effect == Effect.TIMEOUT:
            await hold_then_close(scope, receive, trace.fault.delay_ms / 1000)
            return
        await _send_wire(send, response)

    async def _send_metrics(self, scope: Scope, send: Send) -> None:
        if self._metrics_need_token:
            header = next((v for k, v in scope["headers"] if k.lower() == b"authorization"), b"")
            try:
                self.admin.authorise(header.decode("latin-1"))
            except AdminRequestError as error:
                await send_error(send, error)
                return
        await _send(send, 200, self.metrics.render(), CONTENT_TYPE_LATEST)


class _ClientGone(Exception):
    """The client went away before its request arrived whole."""


async def _read_rpc(scope: Scope, receive: Receive) -> tuple[RawRequest, ServiceError | None]:
    """The request, or why it is not one the gateway serves: RPC is ``GET`` or ``POST`` on
    ``/``, with a body of at most ``MAX_BODY_BYTES`` (refused, never cut short)."""
    path = scope["path"] or "/"
    if path != "/":
        return _raw(scope, b""), PathNotFound(path=path[:200])
    if scope["method"] not in RPC_METHODS:
        return _raw(scope, b""), UnsupportedHTTPMethod(method=scope["method"][:20])
    body = await _read_body(scope, receive)
    if body is None:
        return _raw(scope, b""), RequestBodyTooLarge(limit=MAX_BODY_BYTES)
    return _raw(scope, body), None


async def _read_body(scope: Scope, receive: Receive) -> bytes | None:
    """The whole body, or None when it is over the limit. An over-long body is read to its end
    and dropped, up to ``_DRAIN_BYTES``, so the client, still sending, gets the error rather
    than a reset connection; past that it is left unread and the connection closes."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > _DRAIN_BYTES:
            return None
    body = bytearray()
    received = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGone
        chunk = message.get("body", b"")
        received += len(chunk)
        if received <= MAX_BODY_BYTES:
            body += chunk
        more = message.get("more_body", False) and received <= _DRAIN_BYTES
    return bytes(body) if received <= MAX_BODY_BYTES else None


def _raw(scope: Scope, body: bytes) -> RawRequest:
    headers: dict[str, list[str]] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    client = scope.get("client") or ("127.0.0.1", 0)
    return RawRequest(
        method=scope["method"],
        query_string=scope["query_string"].decode("latin-1"),
        headers=headers,
        body=body,
        path=scope["path"] or "/",
        client_ip=client[0],
        scheme=scope.get("scheme", "http"),
    )


async def _send_wire(send: Send, response: WireResponse) -> None:
    extra = [(b"x-acs-request-id", response.request_id.encode("ascii"))]
    await _send(send, response.status, response.body, JSON_CONTENT_TYPE, extra)


async def _send(
    send: Send,
    status: int,
    body: bytes,
    content_type: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    headers = [
        (b"content-type", content_type.encode("ascii")),
        (b"content-length", str(len(body)).encode("ascii")),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send, on_shutdown: Callable[[], None]) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            on_shutdown()  # the audit events still waiting are written (store/trail_buffer.py)
            await send({"type": "lifespan.shutdown.complete"})
            return
