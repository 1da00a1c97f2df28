"""The web console at ``/console/`` (docs/console.md): server-rendered pages over the store,
signed in with the admin token. No JavaScript framework, no external asset: one stylesheet
inline in the page, the share graph an inline SVG. Pages run in a worker thread (they read
the database), as the admin endpoints do."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from imageshare.http.console import session
from imageshare.http.console.pages import Page, Reply, Request, route
from imageshare.http.requestlog import RequestEntry
from imageshare.store.database import Store

log = logging.getLogger("imageshare.console")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PREFIX = "/console"
MAX_FORM_BYTES = 64 << 10


class ConsoleApp:
    def __init__(self, store: Store, token: str | None, recent: Any) -> None:
        self.store = store
        self.token = token
        self.recent: Any = recent  # a deque of RequestEntry, newest last

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = await _request(scope, receive)
        try:
            page = route(request)
            reply = await asyncio.to_thread(self._answer, page, request)
        except Exception:
            log.exception("console page failed: %s", request.path)
            reply = Reply(500, "<h1>Something went wrong</h1><p>See the server's log.</p>")
        await _send(send, reply)

    def _answer(self, page: Page, request: Request) -> Reply:
        return page(self, request)

    def recent_requests(self) -> list[RequestEntry]:
        return list(self.recent)[::-1]


async def _request(scope: Scope, receive: Receive) -> Request:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    form: dict[str, str] = {}
    if scope["method"] == "POST":
        body = bytearray()
        more = True
        while more and len(body) <= MAX_FORM_BYTES:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        form = dict(parse_qsl(bytes(body[:MAX_FORM_BYTES]).decode("utf-8", "replace")))
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
    return Request(
        method=scope["method"],
        path=scope["path"][len(PREFIX) :] or "/",
        query=query,
        form=form,
        cookies=session.parse_cookies(headers.get("cookie", "")),
        secure=scope.get("scheme") == "https",
    )


async def _send(send: Send, reply: Reply) -> None:
    body = reply.body.encode("utf-8")
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode("ascii")),
        # Nothing from elsewhere, ever: the page's own inline style is all it loads.
        (b"content-security-policy", CSP),
        (b"x-frame-options", b"DENY"),
        (b"cache-control", b"no-store"),
        (b"referrer-policy", b"no-referrer"),
        *reply.headers,
    ]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


CSP = (
    b"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
