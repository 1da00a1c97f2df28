"""Column-typed JSON values for state documents: each column's type decides its JSON form.

| column type                      | JSON                                               |
|----------------------------------|----------------------------------------------------|
| Integer, BigInteger, SmallInteger | number (account ids stay below 2**53, exact in JS) |
| Boolean                          | true / false                                       |
| String, Text (and Enum)          | string; a String(n) holds at most n characters     |
| DateTime                         | ISO 8601 UTC, ``2026-11-23T12:00:00.123456Z``      |
| any, when the column is nullable | null                                               |

Decoding checks every value, so a malformed document is refused with the place it went wrong
(``tables.images[3].created_at: ...``) before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table


class StateError(Exception):
    """A state or snapshot operation that cannot be done; the message says why and what to do.

    ``code`` and ``status`` are what the admin API answers (docs/admin.md)."""

    code: ClassVar[str] = "StateError"
    status: ClassVar[int] = 400


class StateFormatError(StateError, ValueError):
    """A state document that cannot be imported; the message says where and why."""

    code = "StateFormatError"


def _encode_datetime(value: datetime) -> str:
    # Stored naive and meaning UTC (imageshare's convention); the suffix says so on the wire.
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _decode_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError("an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise TypeError("an ISO 8601 date-time string") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _decode_integer(value: Any) -> int:
    # bool is an int subclass in Python; true is not a number in a document.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("an integer")
    return value


def _decode_boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true or false")
    return value


def _string_decoder(length: int | None) -> Callable[[Any], str]:
    def decode(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError("a string")
        if length is not None and len(value) > length:
            raise TypeError(f"a string of at most {length} characters")
        return value

    return decode


def _identity(value: Any) -> Any:
    return value


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


def codec_for(column: Column[Any]) -> Codec:
    """``(encode, decode)`` for a column; decode raises TypeError naming what it expected.

    :raises TypeError: the column's type has no codec yet (add one here).
    """
    kind = column.type
    # Boolean before Integer: some dialect types derive from both.
    if isinstance(kind, Boolean):
        return _identity, _decode_boolean
    if isinstance(kind, Integer):
        return _identity, _decode_integer
    if isinstance(kind, DateTime):
        return _encode_datetime, _decode_datetime
    if isinstance(kind, String):
        return _identity, _string_decoder(kind.length)
    raise TypeError(
        f"column {column.table.name}.{column.name} has type {kind!r}, which state export does "
        "not know yet: add a codec in imageshare.store.state_codec"
    )


@cache
def table_codecs(table: Table) -> tuple[tuple[Column[Any], Codec], ...]:
    """Every column of ``table`` with its codec, worked out once per table.

    :raises TypeError: a column's type has no codec yet.
    """
    return tuple((column, codec_for(column)) for column in table.columns)


def encode_row(table: Table, row: Mapping[Any, Any]) -> dict[str, Any]:
    """A database row as a JSON-ready object."""
    encoded: dict[str, Any] = {}
    for column, (encode, _) in table_codecs(table):
        value = row[column.name]
        encoded[column.name] = None if value is None else encode(value)
    return encoded


def decode_rows(table: Table, rows: Any) -> list[dict[str, Any]]:
    """A document's rows for ``table``, checked and converted to database values.

    :raises StateFormatError: not a list of objects, an unknown or missing column, a bad value.
    """
    if not isinstance(rows, list):
        raise StateFormatError(f"tables.{table.name} must be a list of rows")
    return [_decode_row(table, row, f"tables.{table.name}[{i}]") for i, row in enumerate(rows)]


def _decode_row(table: Table, row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, Mapping):
        raise StateFormatError(f"{where} must be an object of column name to value")
    unknown = sorted(set(row) - set(table.columns.keys()))
    if unknown:
        raise StateFormatError(f"{where} has unknown columns {unknown}")
    return {
        column.name: _decode_value(column, decode, row, where)
        for column, (_, decode) in table_codecs(table)
    }


def _decode_value(
    column: Column[Any], decode: Callable[[Any], Any], row: Mapping[str, Any], where: str
) -> Any:
    if column.name not in row:
        if column.nullable:
            return None
        # A hand-written document may leave out a column the schema gives a constant default.
        default = getattr(column.default, "arg", None)
        if default is None or callable(default):
            raise StateFormatError(f"{where} is missing column {column.name!r}")
        return default
    value = row[column.name]
    if value is None:
        if not column.nullable:
            raise StateFormatError(f"{where}.{column.name} must not be null")
        return None
    try:
        return decode(value)
    except TypeError as exc:
        raise StateFormatError(f"{where}.{column.name} must be {exc}, not {value!r}") from None
