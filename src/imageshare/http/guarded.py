"""uvicorn's httptools protocol with a deadline for receiving each request, bounds on its
request line and headers, a JSON error envelope for whatever it cannot serve, and a way for the
app to close a connection without answering (a fault rule's timeout, docs/testing.md).

uvicorn closes a keep-alive connection idle for ``timeout_keep_alive`` seconds after a
response, but never one that connects and sends nothing, or stalls halfway through its
headers or body: each such connection held a slot forever. Here every request must arrive
whole within ``REQUEST_SECONDS`` of the connection opening (the first request) or of its
first byte (the next ones on a keep-alive connection), or the connection is closed.

httptools takes headers of any size (a 10 MB header was buffered whole) and fails on a request
target over 64 KiB in ``parse_url``; uvicorn answered both, and any request it could not
parse, with a plain-text ``400 Invalid HTTP request received.``. Here the target and the
header block are bounded, and every refusal is the error envelope SDKs parse (docs/protocol.md,
"Connections").
"""

from __future__ import annotations

import asyncio
import logging
from itertools import chain
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from imageshare.domain.ids import new_request_id
from imageshare.errors import (
    MalformedHTTPRequest,
    RequestHeaderTooLarge,
    RequestURITooLong,
    ServiceError,
)
from imageshare.pipeline.wire import JSON_CONTENT_TYPE, failure

# Long enough for a 1 MiB body over a slow link; short enough that a few thousand stalled
# connections cannot pile up unnoticed. docs/protocol.md, "Connections".
REQUEST_SECONDS = 30.0
# The scope extension holding a function that closes the request's connection at once.
CLOSE_EXTENSION = "imageshare.close_connection"
# uvicorn's timeout_keep_alive, as serve sets it: an idle keep-alive connection's life.
KEEP_ALIVE_SECONDS = 5
# httptools.parse_url keeps offsets in 16 bits: a longer target cannot be parsed at all. The
# longest a signed call needs is a 16,384-character policy document percent-encoded (~49 KB).
MAX_TARGET_BYTES = 65_535
# The SDKs send under 2 KB of headers; an 8,192-character security token is the largest one.
MAX_HEADER_BYTES = 65_536
# Past this many bytes received without the end of the headers, one of the two is over its
# limit: room for both, the method, version and line ends, and one read of uvloop (256 KiB)
# of the request before (data_received over-counts a request begun mid-read).
_MEASURED_FROM = min(MAX_TARGET_BYTES, MAX_HEADER_BYTES)
_MAX_UNPARSED_BYTES = MAX_TARGET_BYTES + MAX_HEADER_BYTES + 1_024 + 262_144

log = logging.getLogger("imageshare.http")


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._refusal: ServiceError | None = None
        self._in_head = True  # the bytes arriving are a request line or headers
        self._head_bytes = 0  # received in earlier reads, since the last request ended
        self._chunk_bytes = 0  # in the read being parsed
        self.url = b""  # uvicorn sets it when a request begins; bytes may come before that

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._chunk_bytes = len(data)
        super().data_received(data)
        if not self._in_head:
            return
        # Counted after parsing: a chunk that ends one request may begin the next, so this
        # over-counts, never under-counts, the current request's head.
        self._head_bytes += len(data)
        # httptools buffers a header line (and uvicorn the target) until it ends: one sent
        # without end is caught here, on the bytes received.
        if self._head_bytes > _MAX_UNPARSED_BYTES and not self.transport.is_closing():
            self._refuse(self._head_too_large())

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {CLOSE_EXTENSION: {"close": self.transport.close}}
        if self._deadline is None:  # a later request on a keep-alive connection
            self._arm()

    def on_headers_complete(self) -> None:
        self._in_head = False
        # The bytes received for this head so far bound its size: only a head that may be
        # over a limit is measured exactly (the exact count costs 1 % of a request).
        if self._head_bytes + self._chunk_bytes > _MEASURED_FROM and self._over_a_limit():
            # Raised inside the parser: uvicorn catches its error and calls send_400_response.
            self._refusal = self._head_too_large()
            raise ValueError(self._refusal.code)
        super().on_headers_complete()

    def _over_a_limit(self) -> bool:
        lines = sum(map(len, chain.from_iterable(self.headers))) + 4 * len(self.headers)
        return len(self.url) > MAX_TARGET_BYTES or lines > MAX_HEADER_BYTES  # name: value CRLF

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head, self._head_bytes = True, 0
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a request it cannot parse, as an error envelope."""
        self._refuse(self._refusal or MalformedHTTPRequest())

    def _head_too_large(self) -> ServiceError:
        if len(self.url) > MAX_TARGET_BYTES:
            return RequestURITooLong(limit=MAX_TARGET_BYTES)
        return RequestHeaderTooLarge(limit=MAX_HEADER_BYTES)

    def _refuse(self, error: ServiceError) -> None:
        log.warning("refused before the application: %s %s", error.code, error.message)
        response = failure(new_request_id(), "imageshare", "IMAGESHARE", error)
        headers = [
            *self.server_state.default_headers,
            (b"content-type", JSON_CONTENT_TYPE.encode("ascii")),
            (b"content-length", str(len(response.body)).encode("ascii")),
            (b"x-acs-request-id", response.request_id.encode("ascii")),
            (b"connection", b"close"),
        ]
        head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(STATUS_LINE[response.status] + head + b"\r\n" + response.body)
        self.transport.close()

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(REQUEST_SECONDS, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


async def hold_then_close(scope: Any, receive: Any, seconds: float) -> None:
    """Keep the connection open without answering for ``seconds`` or until the client gives
    up, then close it: what a client sees of a server that never answers. Under another
    server than ours (no close extension) uvicorn answers 500 when the app returns."""
    try:
        await asyncio.wait_for(_disconnected(receive), timeout=seconds)
        return  # the client gave up first: nothing to close
    except TimeoutError:
        pass
    close = scope.get("extensions", {}).get(CLOSE_EXTENSION, {}).get("close")
    if close is not None:
        close()


async def _disconnected(receive: Any) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
