"""Paging: a page by number and size (count + page), and the opaque keyset cursor of
listings that page by NextToken. No I/O."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

_OFFSET_MAX = 2**63 - 1


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        # A page far past the last row is empty; capped, its offset stays a 64-bit integer
        # however large a PageNumber the caller sent (PageNumber=9223372036854775807).
        return min((self.number - 1) * self.size, _OFFSET_MAX)


def encode_cursor(created_at: datetime, image_id: str) -> str:
    """An opaque NextToken naming the last image of a page (listing order: created, id)."""
    raw = f"{created_at.isoformat()}|{image_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str] | None:
    """The position a NextToken names; None when it is not one this server issued."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        moment, image_id = raw.split("|", 1)
        return datetime.fromisoformat(moment), image_id
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
