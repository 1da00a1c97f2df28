"""The fault-rule admin endpoints (docs/admin.md, "Fault rules"; docs/testing.md, "Faults"):

GET    /_imageshare/faults         every rule
POST   /_imageshare/faults         add one: {"action": "ecs:DescribeImages", "count": 2}
DELETE /_imageshare/faults         remove every rule
DELETE /_imageshare/faults/{id}    remove one
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imageshare.http.admin_wire import AdminRequest, AdminRequestError, Reply, read_json
from imageshare.services.faults import add_rule, rule_fields, spec_from_fields

if TYPE_CHECKING:
    from imageshare.http.admin import AdminApp


async def list_rules(app: AdminApp, _request: AdminRequest) -> Reply:
    def work() -> list[dict[str, object]]:
        with app.store.unit_of_work() as uow:
            return [rule_fields(rule) for rule in uow.faults.all()]

    return 200, {"faults": await app.run(work)}


async def add(app: AdminApp, request: AdminRequest) -> Reply:
    body = await read_json(request.receive)

    def work() -> dict[str, object]:  # an InvalidRule is answered 400 InvalidFaultRule
        with app.store.unit_of_work(write=True) as uow:
            rule = add_rule(uow, spec_from_fields(body), uow.clock.now(), app.served)
            uow.commit()
        return rule_fields(rule)

    return 201, await app.run(work)


async def clear(app: AdminApp, _request: AdminRequest) -> Reply:
    def work() -> int:
        with app.store.unit_of_work(write=True) as uow:
            removed = uow.faults.clear()
            uow.commit()
        return removed

    return 200, {"removed": await app.run(work)}


async def remove(app: AdminApp, request: AdminRequest) -> Reply:
    name = request.name or ""
    rule_id = int(name) if name.isdigit() else -1

    def work() -> bool:
        with app.store.unit_of_work(write=True) as uow:
            removed = uow.faults.remove(rule_id)
            uow.commit()
        return removed

    if not await app.run(work):
        raise AdminRequestError(404, "FaultRuleNotFound", f"no fault rule {name[:64]!r}")
    return 200, {"removed": 1}
