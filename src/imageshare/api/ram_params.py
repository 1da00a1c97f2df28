"""Request pieces shared by the RAM actions: Marker/MaxItems paging and resource ARNs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import Field

from imageshare.api.registry import ResourceArn
from imageshare.domain import ram
from imageshare.domain.paging import look_ahead
from imageshare.domain.principal import Principal

MaxItems = Annotated[int, Field(ge=1, le=ram.LIST_MAX_ITEMS_MAX)]

T = TypeVar("T")


def listing(
    fetched: Sequence[T], max_items: int, name: Callable[[T], str]
) -> tuple[list[T], dict[str, Any]]:
    """One page from ``max_items + 1`` fetched rows: the extra row only says there is more.

    The Marker is the last name on the page; the next call resumes after it.
    """
    page, last = look_ahead(fetched, max_items)
    more: dict[str, Any] = {"IsTruncated": last is not None}
    if last is not None:
        more["Marker"] = name(last)
    return page, more


def principal_resource(kind: str) -> ResourceArn:
    """``acs:ram:*:<account>:<kind>/*``: the resource of a list action."""

    def arn(principal: Principal, _request: Any) -> str:
        return f"acs:ram:*:{principal.account_id}:{kind}/*"

    return arn
