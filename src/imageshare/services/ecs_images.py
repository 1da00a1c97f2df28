"""ECS DescribeImages: the public ("system") catalogue first, then the custom images the caller
sees in the region (its own, SWAS images it shared to ECS, images shared with it, community
images), newest first, paged as one list. And making an ECS custom image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from imageshare.domain.catalogue import SYSTEM_IMAGES, SystemImage
from imageshare.domain.ecs import EcsImage, new_id
from imageshare.domain.ecs_instances import EcsDisk
from imageshare.domain.images import VisibleImage
from imageshare.domain.paging import Page
from imageshare.domain.products import ImageProduct
from imageshare.errors import ImageNameDuplicated, ServiceError, SnapshotNotFound
from imageshare.services import ecs_instances
from imageshare.store.ecs_image_listing import EcsImageQuery
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

Listed = SystemImage | VisibleImage[EcsImage]


@frozen
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
    if listing.in_use is not None:  # Usage=instance / none: what the caller's instances run
        used = uow.ecs_instances.images_in_use(custom.viewer, custom.region_id)
        system = [i for i in system if (i.id in used) == listing.in_use]
        if listing.in_use:
            wanted = used if custom.image_ids is None else used & set(custom.image_ids)
            custom = replace(custom, image_ids=sorted(wanted))
        else:
            custom = replace(custom, exclude_ids=sorted(used))
    shown_system = system[page.offset : page.offset + page.size]
    offset = max(0, page.offset - len(system))
    total, seen = uow.ecs_images.page(custom, offset, page.size - len(shown_system))
    return len(system) + total, [*shown_system, *seen]


@frozen
class ImagePage:
    """A DescribeImages page: its images and their total, the tags of the caller's own images
    among them, and the images the caller's instances in the region run (their Usage)."""

    total: int
    found: list[Listed]
    tags: dict[str, list[tuple[str, str]]]
    in_use: set[str]


def image_page(
    uow: UnitOfWork, listing: ImageListing, page: Page, *, matches_any: bool = True
) -> ImagePage:
    """``describe_images`` with what each image is shown with; ``matches_any`` False: the
    request filters out every image here (an empty page, no listing query)."""
    total, found = describe_images(uow, listing, page) if matches_any else (0, [])
    own_ids = [i.image.id for i in found if isinstance(i, VisibleImage) and i.owned]
    tags = uow.images.tags(own_ids)
    used = uow.ecs_instances.images_in_use(listing.custom.viewer, listing.custom.region_id)
    return ImagePage(total, found, tags, used)


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


@frozen
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

    :raises ImageNameDuplicated: the owner has an ECS image of that name in the region.
    """
    if order.name and uow.images.name_taken(owner, order.region_id, ImageProduct.ECS, order.name):
        raise ImageNameDuplicated()
    image_id = new_id("m")
    image = EcsImage(
        id=image_id,
        account_id=owner,
        region_id=order.region_id,
        product=ImageProduct.ECS,
        name=order.name or image_id,  # no ImageName: named after its id (docs/ecs.md)
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


@frozen
class ImageSource:
    """What CreateImage makes the image of: an instance's system disk, or a snapshot."""

    instance_id: str | None = None
    snapshot_id: str | None = None


def image_from(
    uow: UnitOfWork,
    owner: int,
    source: ImageSource,
    order: ImageOrder,
    when: tuple[datetime, datetime | None],
) -> str:
    """CreateImage: the image of an instance (a snapshot of its system disk is taken for it)
    or of a snapshot; its operating system is its source image's. ``when``: (now, the moment
    it becomes Available, None for at once).

    :raises InstanceNotFound, SnapshotNotFound, ImageNameDuplicated:
    """
    now, ready_at = when
    if source.instance_id is not None:
        instance = ecs_instances.own_instance(uow, owner, source.instance_id)
        disk = _system_disk(uow, owner, instance.id)
        description = f"Created for image {order.name}"
        snapshot_id = ecs_instances.create_snapshot(uow, owner, disk.id, (None, description), now)
        made_from: str | None = instance.image_id
        size, source_instance = disk.size, instance.id
    else:
        snapshot = uow.ecs_instances.snapshot(owner, source.snapshot_id or "")
        if snapshot is None or snapshot.region_id != order.region_id:
            raise SnapshotNotFound()
        snapshot_id, made_from, size = snapshot.id, snapshot.image_id, snapshot.size
        source_instance = snapshot.instance_id or ""
    order = replace(
        _with_os(uow, owner, order, made_from, now),
        system_snapshot_id=snapshot_id,
        source_instance_id=source_instance or None,
        system_disk_size=size,
    )
    return create_image(uow, owner, order, now, ready_at)


def _system_disk(uow: UnitOfWork, owner: int, instance_id: str) -> EcsDisk:
    region = ""  # disks are listed by instance; the region filter is the instance's own
    instance = uow.ecs_instances.instance(owner, instance_id)
    if instance is not None:
        region = instance.region_id
    _, disks = uow.ecs_instances.disks(
        owner, region, {"instance_id": instance_id, "disk_type": "system"}, 0, 1
    )
    return disks[0]


def _with_os(
    uow: UnitOfWork, owner: int, order: ImageOrder, image_id: str | None, now: datetime
) -> ImageOrder:
    """The order with its source image's platform and architecture, where that is known."""
    if image_id is None:
        return order
    try:
        found = ecs_instances.launchable(uow, owner, order.region_id, image_id, now)
    except ServiceError:  # the source image is gone or unshared: the order's own values
        return order
    return replace(
        order, platform=found.platform, os_name=found.os_name, architecture=found.architecture
    )
