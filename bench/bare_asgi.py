"""The ceiling: a bare ASGI app that reads the request and answers a fixed JSON body.

It does what every ASGI app must (drain the body, send start and body messages) and nothing
else, so on the same server stack it measures what the server and the load generator cost by
themselves. It also serves as the "stub that answers at once" of the SDK round-trip benchmark:
its body parses as any SWAS response (a RequestId and nothing else).

Serve it with ``uvicorn bare_asgi:app`` or ``granian --interface asgi bare_asgi:app``
(``bench/`` on the Python path).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]

BODY = b'{"RequestId":"6A4B7C8E-0F1D-4E2A-9B3C-5D6E7F8A9B0C"}'
_HEADERS = [
    (b"content-type", b"application/json;charset=utf-8"),
    (b"content-length", str(len(BODY)).encode("ascii")),
]


async def app(
    scope: MutableMapping[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": BODY})
