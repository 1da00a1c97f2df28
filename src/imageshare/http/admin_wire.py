"""The admin API's plain-JSON wire (http/admin.py serves it; docs/admin.md): the ASGI types,
a parsed request (``AdminRequest``), the error a request is answered with
(``AdminRequestError``, ``{"code", "message"}``), reading a JSON body and sending a JSON reply.
Imports nothing of http/, so the route modules (admin_clock, admin_faults, credentials_uri)
take these without the import cycle through http/admin.py.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from imageshare.values import frozen

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# A state document holds every row; allow big ones, but not an unbounded read into memory.
MAX_BODY_BYTES = 256 << 20


class AdminRequestError(Exception):
    """A request the admin API answers with an error; carries its status and code."""

    def __init__(
        self, status: int, code: str, message: str, headers: Sequence[tuple[bytes, bytes]] = ()
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = list(headers)


@frozen
class AdminRequest:
    method: str
    route: str  # "health", "reset", "state", "snapshots", …: a key of admin.ROUTES
    name: str | None
    query: dict[str, list[str]]
    headers: dict[str, str]
    receive: Receive


Reply = tuple[int, dict[str, Any]]


async def read_json(receive: Receive) -> Any:
    body = bytearray()
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > MAX_BODY_BYTES:
            raise AdminRequestError(413, "BodyTooLarge", f"the body is over {MAX_BODY_BYTES} bytes")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise AdminRequestError(400, "InvalidJson", f"the body is not JSON: {exc}") from None
    except RecursionError:  # e.g. 100,000 "["s: nested past what the parser follows
        raise AdminRequestError(400, "InvalidJson", "the body is nested too deeply") from None


async def send_error(send: Send, error: AdminRequestError) -> None:
    body = {"code": error.code, "message": error.message}
    await send_json(send, error.status, body, error.headers)


async def send_json(
    send: Send, status: int, body: dict[str, Any], extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = json.dumps(body).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode("ascii")),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
