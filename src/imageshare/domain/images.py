"""Custom images of every product: the image as the store keeps it (Image), as one viewer
sees it (VisibleImage), what decides whether it may be shared (ShareState), and the copy
timing ECD and ECS share. Sharing rules: domain/sharing.py; paging: domain/paging.py; each
product's own rules: domain/swas.py, domain/ecd.py, domain/ecs.py. No I/O."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from imageshare.values import frozen

ImageT = TypeVar("ImageT")


def copying(ready_at: datetime | None, now: datetime) -> bool:
    """Is the image still being made or copied (domain/operations.py)?"""
    return ready_at is not None and now < ready_at


def copy_progress(created_at: datetime, ready_at: datetime | None, now: datetime) -> int:
    """Percent done: 100 once the operation making it ended, otherwise the share of its time
    gone by (< 100)."""
    if ready_at is None or now >= ready_at:
        return 100
    elapsed = (now - created_at) / (ready_at - created_at)
    return max(0, min(99, int(elapsed * 100)))


@frozen
class Image:
    id: str
    account_id: int
    region_id: str
    product: str
    name: str
    description: str
    status: str
    platform: str
    source_instance_id: str | None
    system_snapshot_id: str | None
    data_snapshot_id: str | None
    system_disk_size: int
    data_disk_size: int
    resource_group_id: str | None
    shared_to_ecs: bool
    created_at: datetime
    encryption_key_id: str | None = None
    ready_at: datetime | None = None
    updated_at: datetime | None = None
    # ECS attributes (store.ecs_images reads them; other products leave them NULL).
    architecture: str | None = None
    os_name: str | None = None
    image_family: str | None = None
    boot_mode: str | None = None
    copied_from: str | None = None
    published_at: datetime | None = None


@frozen
class VisibleImage(Generic[ImageT]):
    """An image as one viewer sees it: whether it is theirs, and whether it has shares.

    ``ImageT`` is the product's image: ``Image`` (SWAS, ECD) or ``EcsImage``."""

    image: ImageT
    owned: bool
    shared_with_accounts: bool


@frozen
class ShareState:
    """What decides whether an image may be shared: encrypted, still being made or copied,
    or failed."""

    encryption_key_id: str | None
    ready_at: datetime | None
    status: str
