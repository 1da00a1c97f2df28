"""Paging: a page by number and size (count + page); keyset pages with their look-ahead row
and the opaque cursor of listings that page by NextToken; offset tokens for the small
listings paged in memory. No I/O."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from imageshare.values import frozen

T = TypeVar("T")

_OFFSET_MAX = 2**63 - 1


@frozen
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        # A page far past the last row is empty; capped, its offset stays a 64-bit integer
        # however large a PageNumber the caller sent (PageNumber=9223372036854775807).
        return min((self.number - 1) * self.size, _OFFSET_MAX)


def decode_offset(token: str | None) -> int:
    """The offset a numeric NextToken names: 0 for anything that is not plain ASCII digits (a
    token this server did not issue starts at the first page; ``"²"`` is a digit to
    ``str.isdigit`` but not to ``int``), past every row for a number past 64 bits."""
    if not (token and token.isascii() and token.isdigit()):
        return 0
    return int(token) if len(token) <= 18 else _OFFSET_MAX


@frozen
class Window:
    """A page by NextToken and MaxResults: rows from ``offset``; the NextToken it answers is
    the offset of the row after it, "" on the last page."""

    offset: int
    size: int

    @property
    def number(self) -> int:
        return self.offset // self.size + 1

    def next_token(self, total: int) -> str:
        following = self.offset + self.size
        return str(following) if following < total else ""


def encode_cursor(created_at: datetime, image_id: str) -> str:
    """An opaque NextToken naming the last image of a page (listing order: created, id)."""
    raw = f"{created_at.isoformat()}|{image_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str] | None:
    """The position a NextToken names; None when it is not one this server issued."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        moment, image_id = raw.split("|", 1)
        position = datetime.fromisoformat(moment), image_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    # Image ids are printable ASCII: a forged one (a NUL) must not reach the store.
    return position if image_id.isascii() and image_id.isprintable() else None


def look_ahead(fetched: Sequence[T], size: int) -> tuple[list[T], T | None]:
    """A keyset page from up to ``size + 1`` fetched rows, and the row the next page starts
    after (None on the last page): the extra row only says that another page follows."""
    page = list(fetched[:size])
    return page, page[-1] if len(fetched) > size and page else None


def offset_page(items: Sequence[T], token: str | None, size: int) -> tuple[list[T], str]:
    """The page of ``items`` at the offset a NextToken names (``decode_offset``), and the
    token of the page after it ("" on the last page)."""
    offset = decode_offset(token)
    more = offset + size < len(items)
    return list(items[offset : offset + size]), str(offset + size) if more else ""
