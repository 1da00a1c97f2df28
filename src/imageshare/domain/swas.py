"""Simple Application Server: instances, disks, snapshots, and the rules of SWAS custom
images. No I/O."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from imageshare.domain.images import copying
from imageshare.values import frozen


@frozen
class Instance:
    id: str
    account_id: int
    region_id: str
    name: str
    plan_id: str
    image_id: str
    status: str
    created_at: datetime
    expires_at: datetime


@frozen
class Disk:
    id: str
    account_id: int
    region_id: str
    instance_id: str
    disk_type: str
    category: str
    size: int
    device: str
    created_at: datetime


@frozen
class Snapshot:
    id: str
    account_id: int
    region_id: str
    name: str
    disk_id: str
    instance_id: str
    source_disk_type: str
    status: str
    created_at: datetime


# 2-128 characters, starting with a letter, a Chinese character or a digit, then letters,
# Chinese characters, digits, ":", "_" and "-" (no ".", unlike snapshot names).
_IMAGE_NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_-]{1,127}$")


# 2-50 characters, starting with a letter or a Chinese character; "." allowed too.
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_.-]{1,49}$")


# ListCustomImages reports Status as a digit string: 0 copying, 1 available, 2 unavailable,
# 3 creation failed, 4 creating. An image is stored with the status CreateCustomImage ends in
# (1, or 3 when a fault rule fails it) and shows 4 until then (domain/operations.py).
STATUS_AVAILABLE, STATUS_CREATE_FAILED, STATUS_CREATING = "1", "3", "4"


def shown_status(stored: str, ready_at: datetime | None, now: datetime) -> str:
    """ListCustomImages' Status: "4" (creating) until CreateCustomImage's run ends."""
    return STATUS_CREATING if copying(ready_at, now) else stored


CUSTOM_IMAGES_PER_INSTANCE = 3


MAX_CUSTOM_IMAGES_PER_REGION = 15


def valid_image_name(name: str) -> bool:
    return bool(_IMAGE_NAME.fullmatch(name)) and not name.startswith(("http:", "https:"))


def valid_snapshot_name(name: str) -> bool:
    return bool(_SNAPSHOT_NAME.fullmatch(name)) and not name.startswith(("http:", "https:"))


def custom_image_quota(instance_count: int) -> int:
    """Three images per server created in the region, and never more than fifteen."""
    return min(CUSTOM_IMAGES_PER_INSTANCE * instance_count, MAX_CUSTOM_IMAGES_PER_REGION)


def new_instance_id() -> str:
    """SWAS instance ids are 32 lower-case hex characters with no prefix."""
    return uuid.uuid4().hex


def expiry(created: datetime, months: int) -> datetime:
    """Subscriptions end at 16:00 UTC (midnight in Beijing) ``months`` after creation."""
    month_index = created.month - 1 + months
    year, month = created.year + month_index // 12, month_index % 12 + 1
    day = min(created.day, _days_in_month(year, month))
    return datetime(year, month, day, 16, 0, 0)


def _days_in_month(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day
