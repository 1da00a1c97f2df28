"""Fault rules as their surfaces use them (admin API, CLI, world files, the testing World), and
the question the services of slow operations ask: does this operation fail?
(docs/testing.md, "Faults".)"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from imageshare.domain.faults import Effect, FaultRule, FaultSpec, InvalidRule, spec_of
from imageshare.store.uow import UnitOfWork


def add_rule(uow: UnitOfWork, spec: FaultSpec, now: datetime, served: Collection[str]) -> FaultRule:
    """Keep a completed rule (``domain.faults.spec_of``; the caller commits); it applies from
    the next call on every server. ``served``: every ``product:Action`` (and ``product:*``)
    the server answers (``Registry.ram_actions``).

    :raises InvalidRule: the rule names an action no product here has.
    """
    target = f"{spec.product}:{spec.action}"
    if target not in served:
        raise InvalidRule(
            f"no action {target} is served here: name it as the RAM action is named, "
            "e.g. ecs:DescribeImages, swas-open:ListImages, ecd:CopyImage, or ecs:*"
        )
    rule_id = uow.faults.add(spec, now)
    rule = uow.faults.get(rule_id)
    assert rule is not None
    return rule


def operation_fails(
    uow: UnitOfWork, product: str, action: str, account_id: int, region: str | None
) -> bool:
    """Whether the operation this call starts (CopyImage, CreateImage ...) is to end in its
    failed state (``CreateFailed``): a ``fail-operation`` rule of ``product:action`` matches
    the caller and region and fires.

    Call it once per operation, in the unit of work of the change that starts it: the rule's
    count is used up when that change commits, and not if it rolls back. ``product`` is the
    product code (``ecs``, ``swas-open``, ``ecd``), ``action`` the wire name.
    """
    for rule in uow.faults.for_action(product, action):
        is_ours = rule.effect == Effect.FAIL_OPERATION and rule.matches(account_id, region)
        if is_ours and uow.faults.claim(rule):
            return True
    return False


# The fields of a rule as JSON (admin API) and YAML (world files) spell them, with their types.
_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "action": str,
    "error": str,
    "status": int,
    "message": str,
    "delay_ms": int,
    "timeout_ms": int,
    "fail_operation": bool,
    "account": int,
    "region": str,
    "count": int,
    "probability": (int, float),
    "seed": int,
}


def spec_from_fields(fields: Mapping[str, Any]) -> FaultSpec:
    """A rule from a JSON or YAML object (``{"action": "ecs:CopyImage", "count": 2, ...}``).

    :raises InvalidRule: not an object, no ``action``, an unknown field or one of the wrong
        type, or a rule ``spec_of`` refuses.
    """
    if not isinstance(fields, Mapping) or not isinstance(fields.get("action"), str):
        raise InvalidRule('a rule is an object with at least "action", e.g. "ecs:DescribeImages"')
    for name, value in fields.items():
        expected = _FIELD_TYPES.get(name)
        if expected is None:
            raise InvalidRule(f"unknown field {name!r}: use {', '.join(_FIELD_TYPES)}")
        wrong_bool = isinstance(value, bool) and expected is not bool
        if wrong_bool or not isinstance(value, expected):
            raise InvalidRule(f"{name} must be {_type_name(expected)}, not {value!r}")
    given = {_KEYWORDS.get(name, name): value for name, value in fields.items()}
    return spec_of(**given)


_KEYWORDS = {"account": "account_id"}


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", bool: "true or false"}
    return names.get(expected, "a number") if isinstance(expected, type) else "a number"


def rule_fields(rule: FaultRule) -> dict[str, Any]:
    """A stored rule as the admin API and ``imageshare faults list --json`` show it."""
    return {
        "id": rule.id,
        "action": f"{rule.product}:{rule.action}",
        "effect": rule.effect,
        "account": rule.account_id,
        "region": rule.region,
        "error": rule.code,
        "status": rule.http_status,
        "message": rule.message,
        "delay_ms": rule.delay_ms if rule.effect == Effect.DELAY else None,
        "timeout_ms": rule.delay_ms if rule.effect == Effect.TIMEOUT else None,
        "remaining": rule.remaining,
        "probability": rule.probability,
        "seed": rule.seed,
        "seen": rule.seen,
        "fired": rule.fired,
        "created_at": rule.created_at.isoformat() + "Z",
    }
