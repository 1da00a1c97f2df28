"""The checks every parameter passes before its action's model sees it (DESIGN.md, principle 10).

pydantic's lax mode reads ``"1_0"``, ``" 5 "`` and ``"2.0"`` as integers, any size, and
``"yes"``, ``"on"`` and ``"1"`` as true. The gateway is stricter, and the store cannot hold
what it accepts: an integer past 64 bits overflows a BIGINT, a NUL byte is refused by
PostgreSQL. So, for every parameter the action declares (unknown ones are dropped before this,
whatever their shape), by the type its model gives it:

* integers: ASCII digits with an optional leading ``-``, within a signed 64-bit long (the
  SDKs declare them ``Long`` or ``Integer``); narrower documented bounds are the model's;
* booleans: ``true`` or ``false`` (the tea SDKs), ``True`` or ``False`` (the old Python SDK);
* text: no control characters but tab, line feed and carriage return. Lengths are the
  model's (``RpcRequest``'s ceiling, or the field's documented bound).

One walk over the model's fields, cached per model, so an action added tomorrow is covered
without a line of its own. A failure is ``InvalidParameter`` naming the parameter as sent.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from imageshare.api.models import CONTROL_CHARACTERS, PARSES_OWN_TEXT
from imageshare.errors import InvalidParameter

LONG_MIN = -(2**63)
LONG_MAX = 2**63 - 1
BOOLEANS = frozenset({"true", "false", "True", "False"})

_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)

Check = Callable[[Any, str], None]


def check_params(model: type[BaseModel], params: dict[str, Any], prefix: str = "") -> None:
    """:raises InvalidParameter: naming the first parameter that fails, as the caller spelled it
    (the first in the model's field order, whatever order they were sent in)."""
    checks = _checks_by_alias(model)
    try:
        # Most calls send a few of many declared fields: walk what was sent.
        for alias, value in params.items():
            check = checks.get(alias)
            if check is not None and value is not None:
                check(value, prefix + alias)
    except InvalidParameter:
        # Rare: name the first failure in field order, as a walk over the fields would.
        for alias, check in checks.items():
            value = params.get(alias)
            if value is not None:
                check(value, prefix + alias)
        raise


def check_text(value: str, name: str) -> None:
    """:raises InvalidParameter: the text holds a control character (NUL, ESC, DEL, ...)."""
    if CONTROL_CHARACTERS.search(value):
        raise InvalidParameter(name=name, reason="Control characters are not allowed.")


def parse_long(value: str) -> int | None:
    """A signed 64-bit integer in plain ASCII digits, or None."""
    if not _INTEGER.fullmatch(value):
        return None
    number = int(value)
    return number if LONG_MIN <= number <= LONG_MAX else None


@cache
def _checks_by_alias(model: type[BaseModel]) -> dict[str, Check]:
    """Each field's check by its wire name, in the model's field order."""
    return {
        field.alias or name: (
            _check_texts if _parses_own_text(field.metadata) else _check_for(field.annotation)
        )
        for name, field in model.model_fields.items()
    }


def _parses_own_text(metadata: list[Any]) -> bool:
    return any(item is PARSES_OWN_TEXT for item in metadata)


def _check_for(annotation: Any) -> Check:
    annotation = _without_none(annotation)
    if annotation is bool:
        return _check_boolean
    if annotation is int:
        return _check_integer
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _nested(annotation)
    if get_origin(annotation) is list:
        (item,) = get_args(annotation) or (Any,)
        return _items(_check_for(item))
    return _check_texts


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        kept = [arg for arg in get_args(annotation) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else Any
    return annotation


def _check_boolean(value: Any, name: str) -> None:
    if isinstance(value, str) and value not in BOOLEANS:
        raise InvalidParameter(name=name, reason="Valid values are true and false.")
    _check_texts(value, name)


def _check_integer(value: Any, name: str) -> None:
    if isinstance(value, str) and parse_long(value) is None:
        raise InvalidParameter(
            name=name,
            reason=f"Must be an integer in ASCII digits from {LONG_MIN} to {LONG_MAX}.",
        )
    _check_texts(value, name)


def _nested(model: type[BaseModel]) -> Check:
    def check(value: Any, name: str) -> None:
        if isinstance(value, dict):
            check_params(model, value, name + ".")
        else:
            _check_texts(value, name)

    return check


def _items(check_item: Check) -> Check:
    def check(value: Any, name: str) -> None:
        if not isinstance(value, list):
            _check_texts(value, name)  # e.g. a string holding a JSON array
            return
        for index, item in enumerate(value, start=1):
            check_item(item, f"{name}.{index}")

    return check


def _check_texts(value: Any, name: str) -> None:
    """Every string in a decoded value (a string, or lists and structs of them)."""
    if isinstance(value, str):
        check_text(value, name)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _check_texts(item, f"{name}.{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_texts(item, f"{name}.{key}")
