"""The admin endpoints under ``/_imageshare/``: health, reset, state export/import, snapshots,
the credentials URI (imageshare.http.credentials_uri) and the clock (http/admin_clock.py).

Not part of any Alibaba API, so plain JSON over HTTP (http/admin_wire.py: the request, JSON in
and out, ``{"code", "message"}`` on errors), a bearer token (``Authorization: Bearer <token>``)
on everything but health. The routes are an explicit table; the work is done by
``imageshare.services.state`` in a worker thread, so a large export never stalls the API calls
served by the event loop. Documented in docs/admin.md.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from imageshare import __version__
from imageshare.domain.faults import InvalidRule
from imageshare.domain.times import utcnow
from imageshare.http import admin_clock, admin_faults, credentials_uri
from imageshare.http.admin_wire import (
    AdminRequest,
    AdminRequestError,
    Receive,
    Reply,
    Scope,
    Send,
    read_json,
    send_json,
)
from imageshare.services import state
from imageshare.store import health
from imageshare.store.database import Store

log = logging.getLogger("imageshare.admin")

ADMIN_PREFIX = "/_imageshare/"
_CHALLENGE = [(b"www-authenticate", b'Bearer realm="imageshare"')]

Handler = Callable[["AdminApp", AdminRequest], Awaitable[Reply]]


class AdminApp:
    """ASGI handler for every path under ``/_imageshare/``."""

    def __init__(
        self,
        store: Store,
        token: str | None,
        database_problem: Callable[[], str | None] = lambda: None,
        served: frozenset[str] = frozenset(),
    ) -> None:
        self.store = store
        # Every product:Action the server answers: what a fault rule may name.
        self.served = served
        self._token = token.encode("utf-8") if token else None
        self.database_problem = database_problem

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: list[tuple[bytes, bytes]] = []
        try:
            request = _parse(scope, receive)
            handler = _handler(request)
            if request.route != "health":
                self.authorise(_presented_token(request))
            status, body = await handler(self, request)
        except AdminRequestError as error:
            status, body = error.status, {"code": error.code, "message": error.message}
            headers = error.headers
        await send_json(send, status, body, headers)

    def authorise(self, header: str) -> None:
        """Check an ``Authorization`` header's bearer token (also guards a protected /metrics).

        :raises AdminRequestError: no admin token is set, or the header does not carry it.
        """
        if self._token is None:
            raise AdminRequestError(
                403,
                "AdminDisabled",
                "the admin endpoints are off: start imageshare with --admin-token or "
                "IMAGESHARE_ADMIN_TOKEN",
            )
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise AdminRequestError(
                401,
                "MissingToken",
                'send the admin token as "Authorization: Bearer <token>"',
                _CHALLENGE,
            )
        if not hmac.compare_digest(given.strip().encode("utf-8"), self._token):
            raise AdminRequestError(401, "InvalidToken", "the admin token is not valid", _CHALLENGE)

    async def run(self, work: Callable[[], Any]) -> Any:
        """Run blocking store work off the event loop; map service errors to replies.

        :raises AdminRequestError: the service refused, or failed unexpectedly (500).
        """
        try:
            return await asyncio.to_thread(work)
        except state.StateError as error:
            raise AdminRequestError(error.status, error.code, str(error)) from None
        except InvalidRule as error:
            raise AdminRequestError(400, "InvalidFaultRule", str(error)) from None
        except Exception:
            log.exception("admin request failed")
            raise AdminRequestError(500, "InternalError", "the admin request failed") from None


def _parse(scope: Scope, receive: Receive) -> AdminRequest:
    parts = scope["path"][len(ADMIN_PREFIX) :].split("/")
    route = _route_of(parts)
    headers = {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    name = parts[1] if len(parts) > 1 else None
    return AdminRequest(scope["method"], route, name, query, headers, receive)


def _presented_token(request: AdminRequest) -> str:
    """The Authorization header; for the credentials URI also ``token=`` in the query, since
    the credentials library's URI provider can send nothing but the URI."""
    query_token = request.query.get("token", [""])[-1]
    if request.route == "credentials" and query_token:
        return f"Bearer {query_token}"
    return request.headers.get("authorization", "")


def _route_of(parts: list[str]) -> str:
    match parts:
        case ["health" | "reset" | "state" | "snapshots" | "credentials" | "faults" as route]:
            return route
        case ["faults", name] if name:
            return "fault"
        case ["snapshots", name] if name:
            return "snapshot"
        case ["snapshots", name, "restore"] if name:
            return "restore"
        case ["clock"]:
            return "clock"
        case ["clock", "freeze" | "advance" | "resume" | "reset" as change]:
            return f"clock/{change}"
    raise AdminRequestError(
        404, "NotFound", "no such admin endpoint: see docs/admin.md for the list"
    )


def _handler(request: AdminRequest) -> Handler:
    allowed = ROUTES[request.route]
    if request.method not in allowed:
        methods = ", ".join(sorted(allowed))
        raise AdminRequestError(
            405,
            "MethodNotAllowed",
            f"this admin endpoint takes {methods}, not {request.method}",
            [(b"allow", methods.encode("ascii"))],
        )
    return allowed[request.method]


async def _health(app: AdminApp, _request: AdminRequest) -> Reply:
    """200 only if the database is the one the server opened and takes a read and a write."""
    problem = app.database_problem()
    if problem is not None:
        return 503, {"status": "unavailable", "message": problem}
    try:
        revision = await asyncio.to_thread(health.probe, app.store)
    except Exception as exc:
        message = f"the database does not answer a read and a write: {health.describe(exc)}"
        return 503, {"status": "unavailable", "message": message}
    return 200, {"status": "ok", "version": __version__, "schema_revision": revision}


_YES, _NO = ("true", "1", "yes"), ("false", "0", "no")


async def _reset(app: AdminApp, request: AdminRequest) -> Reply:
    """:raises AdminRequestError: ``keep_demo`` is neither true nor false (a typo must not
    keep, or drop, the demo account by accident)."""
    said = request.query.get("keep_demo", ["true"])[-1]
    word = said.lower()
    if word not in _YES and word not in _NO:
        message = f"keep_demo is true or false (also 1/0, yes/no), not {said[:40]!r}"
        raise AdminRequestError(400, "InvalidParameter", message)
    started = time.perf_counter()
    kept = await app.run(lambda: state.reset(app.store, keep_demo=word in _YES))
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    return 200, {"reset": True, "demo_account_id": kept, "milliseconds": elapsed}


async def _export(app: AdminApp, _request: AdminRequest) -> Reply:
    document: dict[str, Any] = await app.run(lambda: state.export(app.store))
    return 200, document


async def _import(app: AdminApp, request: AdminRequest) -> Reply:
    document = await read_json(request.receive)
    counts = await app.run(lambda: state.import_(app.store, document))
    return 200, {"imported": counts}


async def _list(app: AdminApp, _request: AdminRequest) -> Reply:
    found = await app.run(lambda: state.list_snapshots(app.store))
    return 200, {"snapshots": [_snapshot_json(info) for info in found]}


async def _save(app: AdminApp, request: AdminRequest) -> Reply:
    body = await read_json(request.receive)
    fields = body if isinstance(body, dict) else {}
    name, replace = fields.get("name"), fields.get("replace", False)
    if not isinstance(name, str) or not isinstance(replace, bool):
        raise AdminRequestError(
            400, "InvalidBody", 'send {"name": "<snapshot name>", "replace": false}'
        )
    now = utcnow()
    info = await app.run(lambda: state.save_snapshot(app.store, name, now=now, replace=replace))
    return 201, _snapshot_json(info)


async def _restore(app: AdminApp, request: AdminRequest) -> Reply:
    name = request.name or ""
    counts = await app.run(lambda: state.restore_snapshot(app.store, name))
    return 200, {"restored": name, "rows": counts}


async def _delete(app: AdminApp, request: AdminRequest) -> Reply:
    name = request.name or ""
    await app.run(lambda: state.delete_snapshot(app.store, name))
    return 200, {"deleted": name}


ROUTES: dict[str, dict[str, Handler]] = {
    "health": {"GET": _health},
    "reset": {"POST": _reset},
    "state": {"GET": _export, "PUT": _import},
    "snapshots": {"GET": _list, "POST": _save},
    "snapshot": {"DELETE": _delete},
    "restore": {"POST": _restore},
    "credentials": {"GET": credentials_uri.credentials},
    "faults": {
        "GET": admin_faults.list_rules,
        "POST": admin_faults.add,
        "DELETE": admin_faults.clear,
    },
    "fault": {"DELETE": admin_faults.remove},
    "clock": {"GET": admin_clock.show},
    "clock/freeze": {"POST": admin_clock.freeze},
    "clock/advance": {"POST": admin_clock.advance},
    "clock/resume": {"POST": admin_clock.resume},
    "clock/reset": {"POST": admin_clock.reset},
}


def _snapshot_json(info: state.SnapshotInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "schema_revision": info.schema_revision,
        "created_at": info.created_at.isoformat() + "Z",
        "size_bytes": info.size_bytes,
    }
