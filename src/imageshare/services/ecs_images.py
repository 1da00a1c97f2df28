"""ECS DescribeImages: the public ("system") catalogue first, then the custom images the caller
sees in the region (its own, SWAS images it shared to ECS, images shared with it, community
images), newest first, paged as one list. And making an ECS custom image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from imageshare.domain.ecs import ECS, new_id
from imageshare.domain.ecs_catalogue import SYSTEM_IMAGES, SystemImage
from imageshare.domain.images import Page
from imageshare.errors import ImageNameAlreadyExist
from imageshare.store.ecs_images import EcsImage, EcsImageQuery, Seen
from imageshare.store.uow import UnitOfWork

Listed = SystemImage | Seen


@dataclass(frozen=True)
class ImageListing:
    """One DescribeImages call: which system images, and which custom images (``custom``)."""

    custom: EcsImageQuery
    system: bool = True
    # Usage=instance (True) or none (False): images the caller's instances run, or not.
    in_use: bool | None = None


def describe_images(uow: UnitOfWork, listing: ImageListing, page: Page) -> tuple[int, list[Listed]]:
    """The page of ``listing``'s images and their total: system images, then custom ones."""
    system = [i for i in SYSTEM_IMAGES if listing.system and _system_matches(i, listing)]
    custom = listing.custom
    if listing.in_use:  # no instance runs any image yet: nothing is in use
        custom = replace(custom, own=False, shared=False, community=False)
        system = []
    shown_system = system[page.offset : page.offset + page.size]
    offset = max(0, page.offset - len(system))
    total, seen = uow.ecs_images.page(custom, offset, page.size - len(shown_system))
    return len(system) + total, [*shown_system, *seen]


def _system_matches(image: SystemImage, listing: ImageListing) -> bool:
    q = listing.custom
    wanted = (
        q.image_ids is None or image.id in q.image_ids,
        not q.name_contains or q.name_contains.lower() in image.name.lower(),
        q.statuses is None or image.status in q.statuses,
        q.os_type is None or image.os_type == q.os_type,
        q.architecture is None or image.architecture == q.architecture,
        q.family is None or image.family == q.family,
        q.created_after is None or image.created_at >= q.created_after,
        q.created_before is None or image.created_at <= q.created_before,
    )
    # Snapshots, resource groups, owners and tags belong to custom images only.
    unowned = (q.snapshot_id, q.resource_group_id, q.owner_id)
    return all(wanted) and all(v is None for v in unowned) and not q.tags


@dataclass(frozen=True)
class ImageOrder:
    """A new ECS custom image: what it is called and what it is made of."""

    region_id: str
    name: str
    description: str = ""
    platform: str = "Linux"
    os_name: str = "Aliyun"
    architecture: str = "x86_64"
    family: str | None = None
    boot_mode: str = "BIOS"
    system_disk_size: int = 40
    system_snapshot_id: str | None = None
    source_instance_id: str | None = None
    resource_group_id: str | None = None
    encryption_key_id: str | None = None
    tags: Sequence[tuple[str, str]] = ()
    status: str = "Available"


def create_image(
    uow: UnitOfWork, owner: int, order: ImageOrder, now: datetime, ready_at: datetime | None = None
) -> str:
    """Record an ECS custom image of ``owner``'s; its id. ``ready_at``: "Creating" until then.

    :raises ImageNameAlreadyExist: the owner has an ECS image of that name in the region.
    """
    if uow.images.name_taken(owner, order.region_id, ECS, order.name):
        raise ImageNameAlreadyExist()
    image = EcsImage(
        id=new_id("m"),
        account_id=owner,
        region_id=order.region_id,
        product=ECS,
        name=order.name,
        description=order.description,
        status=order.status,
        platform=order.platform,
        os_name=order.os_name,
        architecture=order.architecture,
        image_family=order.family,
        boot_mode=order.boot_mode,
        system_snapshot_id=order.system_snapshot_id,
        system_disk_size=order.system_disk_size,
        data_snapshot_id=None,
        data_disk_size=0,
        resource_group_id=order.resource_group_id,
        encryption_key_id=order.encryption_key_id,
        created_at=now,
        ready_at=ready_at,
        copied_from=None,
        published_at=None,
        source_instance_id=order.source_instance_id,
    )
    uow.ecs_images.add(image, order.tags)
    return image.id
