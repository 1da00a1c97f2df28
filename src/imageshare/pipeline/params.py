"""Decoding flat RPC parameters (``Account.1``, ``Tag.1.Key``) and validating them into models.

The SDKs flatten lists 1-based and structs with dots; this turns them back into nested data,
then a pydantic model per action checks types, and its first error becomes the wire error,
naming the parameter as the caller spelled it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from imageshare.errors import InvalidParameter, MissingParameter
from imageshare.pipeline.wire_values import check_params

Model = TypeVar("Model", bound=BaseModel)

# The deepest name any action declares is three parts (Tag.1.Key); a list index has at most
# six digits (no documented list is longer than a thousand items, and the gap check refuses
# the rest). Both bounds keep decoding linear however a name is shaped.
MAX_NAME_PARTS = 6
_MAX_INDEX_DIGITS = 6


def parse(model: type[Model], pairs: Iterable[tuple[str, str]]) -> Model:
    """Decode the business parameters a model declares, check them at the edge, validate.

    :raises MissingParameter, InvalidParameter:
    """
    params = decode(pairs, known=declared_names(model))
    check_params(model, params)
    return validate(model, params)


@cache
def declared_names(model: type[BaseModel]) -> frozenset[str]:
    """The top-level wire names of a model's fields; every other parameter is ignored."""
    return frozenset(field.alias or name for name, field in model.model_fields.items())


def decode(
    pairs: Iterable[tuple[str, str]], known: Collection[str] | None = None
) -> dict[str, Any]:
    """``[("Tag.1.Key", "k")]`` -> ``{"Tag": [{"Key": "k"}]}``; lists ordered by index.

    With ``known``, parameters whose first part is not in it are dropped before decoding, so
    an unknown parameter is ignored whatever its shape (``X.1.1.1...``, ``X`` and ``X.1``).

    :raises InvalidParameter: an index is not a positive integer, the indexes of a list have a
        gap, or a name is used both as a scalar and as a list.
    """
    pairs = list(pairs)
    if not any("." in key for key, _ in pairs):
        return dict(pairs)  # nothing nested (most calls): the same, a tenth of the work
    if known is not None:
        pairs = [(key, value) for key, value in pairs if key.partition(".")[0] in known]
    return decode_nested(pairs)


def decode_nested(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """``decode`` for any parameters, nested or not."""
    tree: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.split(".", MAX_NAME_PARTS)
        if len(parts) > MAX_NAME_PARTS:
            raise InvalidParameter(name=key, reason="The name is nested too deeply.")
        _place(tree, key, parts, value)
    decoded: dict[str, Any] = _listify(tree, "")
    return decoded


def _place(tree: dict[Any, Any], full_key: str, parts: list[str], value: str) -> None:
    node = tree
    for depth, part in enumerate(parts):
        slot: Any = part
        if depth > 0 and part.isascii() and part.isdigit():
            slot = _index(full_key, part)
        last = depth == len(parts) - 1
        existing = node.get(slot)
        if last:
            if isinstance(existing, dict):
                raise InvalidParameter(name=full_key, reason="Given both as a value and a list.")
            node[slot] = value
            return
        if existing is None:
            existing = node[slot] = {}
        elif not isinstance(existing, dict):
            raise InvalidParameter(name=full_key, reason="Given both as a value and a list.")
        node = existing


def _index(full_key: str, part: str) -> int:
    # "Account.01" is not "Account.1": reading it so would make two names one parameter.
    if part.startswith("0"):
        reason = "List indexes start at 1." if part == "0" else "Indexes have no leading zeros."
        raise InvalidParameter(name=full_key, reason=reason)
    if len(part) > _MAX_INDEX_DIGITS:
        raise InvalidParameter(name=full_key, reason="The list index is out of range.")
    return int(part)


def _listify(node: Any, path: str) -> Any:
    if not isinstance(node, dict):
        return node
    numbered = [k for k in node if isinstance(k, int)]
    if numbered and len(numbered) != len(node):
        raise InvalidParameter(name=path, reason="Given both as a list and as a struct.")
    if numbered:
        indexes = sorted(numbered)
        # SDKs never leave gaps; refusing them keeps error names (Account.3) as the caller sent.
        for expected, index in enumerate(indexes, start=1):
            if index != expected:
                raise InvalidParameter(
                    name=f"{path}.{index}",
                    reason="List indexes must run 1, 2, 3, ... without gaps.",
                )
        return [_listify(node[k], f"{path}.{k}") for k in indexes]
    # Plain values (nearly all of them) need no path: it only names nested errors.
    return {
        k: _listify(v, f"{path}.{k}".lstrip(".")) if isinstance(v, dict) else v
        for k, v in node.items()
    }


def validate(model: type[Model], params: dict[str, Any]) -> Model:
    """Build the action's request model.

    :raises MissingParameter: a required parameter is absent.
    :raises InvalidParameter: a parameter has the wrong type, range or form.
    """
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise _wire_error(exc.errors()[0]) from None


def _wire_error(error: Any) -> MissingParameter | InvalidParameter:
    name = _wire_name(error["loc"])
    if error["type"] == "missing":
        return MissingParameter(name=name)
    reason = str(error["msg"])
    reason = reason.removeprefix("Value error, ")
    return InvalidParameter(name=name, reason=reason[:1].upper() + reason[1:] + ".")


def _wire_name(loc: tuple[Any, ...]) -> str:
    # pydantic counts list items from 0; the wire counts from 1.
    return ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc)
