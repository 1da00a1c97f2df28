"""Pure rules for custom images and their shares: names, share operations, share limits,
wire time formats and paging. No I/O."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

SWAS = "swas"  # images.product for a SWAS custom image; ECD and ECS images get their own

# 2-128 characters, starting with a letter, a Chinese character or a digit, then letters,
# Chinese characters, digits, ":", "_" and "-" (no ".", unlike snapshot names).
_IMAGE_NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_-]{1,127}$")
# 2-50 characters, starting with a letter or a Chinese character; "." allowed too.
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_.-]{1,49}$")

# ListCustomImages reports Status as a digit string: 0 copying, 1 available, 2 unavailable,
# 3 creation failed, 4 creating. Emulated images are available as soon as they exist.
STATUS_AVAILABLE = "1"

MAX_ACCOUNTS_PER_CALL = 10
CUSTOM_IMAGES_PER_INSTANCE = 3
MAX_CUSTOM_IMAGES_PER_REGION = 15


class ShareOperation(StrEnum):
    SHARE = "Share"
    UNSHARE = "UnShare"


def share_operation(value: str) -> ShareOperation | None:
    """The documented spellings only: "Share" or "UnShare"; anything else is None."""
    try:
        return ShareOperation(value)
    except ValueError:
        return None


def valid_image_name(name: str) -> bool:
    return bool(_IMAGE_NAME.match(name)) and not name.startswith(("http:", "https:"))


def valid_snapshot_name(name: str) -> bool:
    return bool(_SNAPSHOT_NAME.match(name)) and not name.startswith(("http:", "https:"))


def custom_image_quota(instance_count: int) -> int:
    """Three images per server created in the region, and never more than fifteen."""
    return min(CUSTOM_IMAGES_PER_INSTANCE * instance_count, MAX_CUSTOM_IMAGES_PER_REGION)


def shares_after_adding(current: set[int], adding: set[int]) -> int:
    """How many accounts an image would be shared with; re-adding one is not a new share."""
    return len(current | adding)


def new_instance_id() -> str:
    """SWAS instance ids are 32 lower-case hex characters with no prefix."""
    return uuid.uuid4().hex


def wire_time(moment: datetime) -> str:
    """``2021-03-08T05:31:06Z``: UTC, seconds precision, as every SWAS CreationTime."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def shared_time(moment: datetime) -> str:
    """``2024-07-15 13:59:21.0``: the documented SharedTime form (a Java Timestamp's text)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S") + ".0"


def expiry(created: datetime, months: int) -> datetime:
    """Subscriptions end at 16:00 UTC (midnight in Beijing) ``months`` after creation."""
    month_index = created.month - 1 + months
    year, month = created.year + month_index // 12, month_index % 12 + 1
    day = min(created.day, _days_in_month(year, month))
    return datetime(year, month, day, 16, 0, 0)


def _days_in_month(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size
