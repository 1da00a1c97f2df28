"""uvicorn's httptools protocol with a deadline for receiving each request.

uvicorn closes a keep-alive connection idle for ``timeout_keep_alive`` seconds after a
response, but never one that connects and sends nothing, or stalls halfway through its
headers or body: each such connection held a slot forever. Here every request must arrive
whole within ``REQUEST_SECONDS`` of the connection opening (the first request) or of its
first byte (the next ones on a keep-alive connection), or the connection is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Long enough for a 1 MiB body over a slow link; short enough that a few thousand stalled
# connections cannot pile up unnoticed. docs/protocol.md, "Connections".
REQUEST_SECONDS = 30.0
# uvicorn's timeout_keep_alive, as serve sets it: an idle keep-alive connection's life.
KEEP_ALIVE_SECONDS = 5


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a later request on a keep-alive connection
            self._arm()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

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
