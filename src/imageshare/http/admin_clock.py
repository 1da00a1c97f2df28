"""``/_imageshare/clock``: the server's clock as tests control it (docs/admin.md, "Clock").

``GET clock`` shows it; ``POST clock/freeze``, ``clock/advance`` (body ``{"seconds": …}``,
``{"minutes": …}`` and/or ``{"hours": …}``), ``clock/resume`` and ``clock/reset`` change it and
answer what it shows after. The work is ``imageshare.services.clock``'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imageshare.http.admin_wire import AdminRequest, AdminRequestError, Reply, read_json
from imageshare.services import clock

if TYPE_CHECKING:
    from imageshare.http.admin import AdminApp

UNITS = ("seconds", "minutes", "hours")


async def show(app: AdminApp, _request: AdminRequest) -> Reply:
    return 200, (await app.run(lambda: clock.show(app.store))).as_json()


async def freeze(app: AdminApp, _request: AdminRequest) -> Reply:
    return 200, (await app.run(lambda: clock.freeze(app.store))).as_json()


async def resume(app: AdminApp, _request: AdminRequest) -> Reply:
    return 200, (await app.run(lambda: clock.resume(app.store))).as_json()


async def reset(app: AdminApp, _request: AdminRequest) -> Reply:
    return 200, (await app.run(lambda: clock.reset(app.store))).as_json()


async def advance(app: AdminApp, request: AdminRequest) -> Reply:
    body = await read_json(request.receive)
    fields = body if isinstance(body, dict) else {}
    hint = 'send {"minutes": 10} (or "seconds", "hours"; they add up)'
    if not fields or set(fields) - set(UNITS):
        raise AdminRequestError(400, "InvalidBody", hint)
    try:
        by = clock.step(**fields)
    except clock.ClockError as error:
        raise AdminRequestError(400, "InvalidClockStep", f"{error}: {hint}") from None
    return 200, (await app.run(lambda: clock.advance(app.store, by))).as_json()
