"""``@frozen``: the one way to declare an immutable value (a dataclass whose fields are never
assigned after it is made), checked by the type checker instead of at run time.

A ``dataclass(frozen=True)`` sets each field in ``__init__`` through ``object.__setattr__``,
several times the cost of a plain assignment, and a request makes a dozen such values (the
raw request, its claim, the nonce, the credential, the caller, the call, the page, the
answer...). Under ``mypy --strict`` (CI runs it) a class made with ``@frozen`` is frozen:
assigning to its fields is a type error, as for ``frozen=True``. At run time it is a plain
dataclass with the ``__eq__`` and ``__hash__`` a frozen one has. ``dataclasses.replace``
makes a changed copy, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, kw_only: bool = False, slots: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True)
def frozen(cls: type[T] | None = None, /, *, kw_only: bool = False, slots: bool = False) -> Any:
    """``@frozen`` or ``@frozen(kw_only=True)``, ``@frozen(slots=True)``."""

    def make(cls: type[T]) -> type[T]:
        # unsafe_hash: the field-wise __hash__ that frozen=True would have generated.
        return dataclass(cls, unsafe_hash=True, kw_only=kw_only, slots=slots)

    return make if cls is None else make(cls)
