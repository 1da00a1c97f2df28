"""ECS instances, enough to make and use images: launch from an image the account may use,
start, stop, delete, snapshot a disk, re-initialise a system disk. Networks are not emulated.

The two rules the image owner's unshare (or delete) sets for an instance made from a shared
image: the image can no longer be used to launch (it is no longer visible), and the
instance's system disk can no longer be re-initialised (ReInitDisk needs its image).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from datetime import datetime

from imageshare.domain.catalogue import instance_type, runs, system_image
from imageshare.domain.ecs import AVAILABLE, DEPRECATED, new_id
from imageshare.domain.ecs_instances import EcsDisk, EcsInstance, EcsSnapshot
from imageshare.domain.ecs_states import RUNNING, STOPPED, passage_to, shown_status
from imageshare.domain.products import ImageProduct
from imageshare.errors import (
    DiskNotFound,
    ImageNotFound,
    ImageNotSupportInstanceType,
    IncorrectImageStatus,
    IncorrectInstanceStatus,
    InstanceNotFound,
    InstanceTypeNotSupported,
    SnapshotCreatedImage,
    SnapshotNotFound,
)
from imageshare.errors.ecs_instances import DISK_MISSING
from imageshare.errors.ecs_lifecycle import NOT_AVAILABLE
from imageshare.store.ecs_resource_tags import Tagged
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class Launchable:
    """What an instance needs to know of its image."""

    image_id: str
    platform: str  # "Linux" | "Windows"
    os_name: str  # ECS's Platform: "Aliyun", "Ubuntu", "Windows Server 2022", ...
    architecture: str
    size: int


def launchable(
    uow: UnitOfWork, viewer: int, region_id: str, image_id: str, now: datetime
) -> Launchable:
    """The image, if the account may launch from it in that region: a system image, or a
    custom image it sees (own, shared with it, community) that is Available or Deprecated.

    :raises ImageNotFound: missing, or not visible to the account (unshared, deleted).
    :raises IncorrectImageStatus: still being made or copied.
    """
    found = system_image(image_id)
    if found is not None and found.status == AVAILABLE:
        platform = "Windows" if found.os_type == "windows" else "Linux"
        return Launchable(found.id, platform, found.platform, found.architecture, found.size)
    seen = uow.ecs_images.visible(viewer, region_id, image_id)
    if seen is None:
        raise ImageNotFound()
    image = seen.image
    stored = (
        image.status if image.product == ImageProduct.ECS else AVAILABLE
    )  # a SWAS image shared to ECS
    if (image.ready_at is not None and now < image.ready_at) or stored not in (
        AVAILABLE,
        DEPRECATED,
    ):
        raise IncorrectImageStatus(NOT_AVAILABLE)
    os_name = image.os_name or ("Windows Server 2022" if image.platform == "Windows" else "Aliyun")
    return Launchable(
        image.id, image.platform, os_name, image.architecture or "x86_64", image.system_disk_size
    )


@frozen
class DiskOrder:
    size: int | None = None
    category: str = "cloud_essd"
    snapshot_id: str | None = None


@frozen
class LaunchOrder:
    region_id: str
    image_id: str
    instance_type: str
    amount: int = 1
    name: str | None = None
    zone_id: str | None = None
    system_disk: DiskOrder = field(default_factory=DiskOrder)
    data_disks: Sequence[DiskOrder] = ()
    # Tag.N: the instances' and their disks' ("the tags of the instance, cloud disks and
    # primary ENI").
    tags: Sequence[tuple[str, str]] = ()


@frozen
class Moment:
    """When a change is made and how long an instance takes to start or stop."""

    now: datetime
    settle_seconds: float = 0.0


def run_instances(uow: UnitOfWork, owner: int, order: LaunchOrder, at: Moment) -> list[str]:
    """Launch ``amount`` instances, Starting then Running; their ids.

    :raises InstanceTypeNotSupported, ImageNotFound, IncorrectImageStatus, SnapshotNotFound,
        ImageNotSupportInstanceType: the type's architecture is not the image's.
    """
    kind = instance_type(order.instance_type)
    if kind is None:
        raise InstanceTypeNotSupported(instance_type=order.instance_type)
    image = launchable(uow, owner, order.region_id, order.image_id, at.now)
    if not runs(kind, image.architecture):
        raise ImageNotSupportInstanceType()
    for data in order.data_disks:
        if data.snapshot_id and uow.ecs_instances.snapshot(owner, data.snapshot_id) is None:
            raise SnapshotNotFound()
    zone = order.zone_id or f"{order.region_id}-i"
    passage = passage_to(RUNNING, at.now, at.settle_seconds)
    made = []
    for _ in range(order.amount):
        instance_id = new_id("i")
        instance = EcsInstance(
            instance_id, owner, order.region_id, zone, order.name or instance_id,
            order.instance_type, image.image_id, image.platform.lower(), passage.status,
            at.now, passage.pending_status, passage.settles_at,
        )  # fmt: skip
        disks = _disks(instance, image, order)
        uow.ecs_instances.add(instance, disks)
        _tag(uow, instance, [("instance", instance.id), *(("disk", d.id) for d in disks)], order)
        made.append(instance.id)
    return made


def _tag(
    uow: UnitOfWork, instance: EcsInstance, resources: list[tuple[str, str]], order: LaunchOrder
) -> None:
    for kind, resource_id in resources if order.tags else ():
        place = Tagged(resource_id, kind, instance.account_id, instance.region_id)
        uow.ecs_resource_tags.set_tags(place, order.tags)


def _disks(instance: EcsInstance, image: Launchable, order: LaunchOrder) -> list[EcsDisk]:
    base = (instance.account_id, instance.region_id, instance.id)
    size = max(order.system_disk.size or 0, image.size, 20)
    disks = [EcsDisk(new_id("d"), *base, "system", order.system_disk.category, size, "/dev/xvda",
                  image.image_id, None, instance.created_at)]  # fmt: skip
    for index, data in enumerate(order.data_disks):
        device = f"/dev/xvd{chr(ord('b') + index)}"
        disks.append(
            EcsDisk(
                new_id("d"),
                *base,
                "data",
                data.category,
                data.size or 20,
                device,
                None,
                data.snapshot_id,
                instance.created_at,
            )  # fmt: skip
        )
    return disks


def own_instance(uow: UnitOfWork, owner: int, instance_id: str) -> EcsInstance:
    """:raises InstanceNotFound:"""
    instance = uow.ecs_instances.instance(owner, instance_id, lock=True)
    if instance is None:
        raise InstanceNotFound()
    return instance


def set_running(uow: UnitOfWork, owner: int, instance_id: str, running: bool, at: Moment) -> None:
    """StartInstance (a Stopped instance) or StopInstance (a Running one); one still starting
    or stopping cannot be either.

    :raises InstanceNotFound, IncorrectInstanceStatus:
    """
    instance = own_instance(uow, owner, instance_id)
    if shown_status(instance.passage, at.now) != (STOPPED if running else RUNNING):
        raise IncorrectInstanceStatus()
    passage = passage_to(RUNNING if running else STOPPED, at.now, at.settle_seconds)
    uow.ecs_instances.set_status(instance.id, passage)


def delete_instances(
    uow: UnitOfWork, owner: int, instance_ids: Sequence[str], force: bool, now: datetime
) -> None:
    """Delete Stopped instances (in any other status too with ``force``), their disks and
    the tags of both; all or none.

    :raises InstanceNotFound, IncorrectInstanceStatus:
    """
    found = [own_instance(uow, owner, i) for i in dict.fromkeys(instance_ids)]
    if not force and any(shown_status(i.passage, now) != STOPPED for i in found):
        raise IncorrectInstanceStatus()
    for instance in found:
        uow.ecs_instances.delete_instance(instance.id)


def own_disk(uow: UnitOfWork, owner: int, disk_id: str) -> EcsDisk:
    """:raises DiskNotFound:"""
    disk = uow.ecs_instances.disk(owner, disk_id)
    if disk is None:
        raise DiskNotFound(DISK_MISSING)
    return disk


def reinit_disk(uow: UnitOfWork, owner: int, disk_id: str, start: bool, at: Moment) -> None:
    """Restore a disk of a Stopped instance to how it was made. A system disk needs its image:
    deleted, or unshared by its owner, it can no longer be re-initialised.

    :raises DiskNotFound, IncorrectInstanceStatus, ImageNotFound, SnapshotNotFound:
    """
    disk = own_disk(uow, owner, disk_id)
    if disk.instance_id is None:
        raise IncorrectInstanceStatus()
    instance = own_instance(uow, owner, disk.instance_id)
    if shown_status(instance.passage, at.now) != STOPPED:
        raise IncorrectInstanceStatus()
    if disk.disk_type == "system" and disk.image_id is not None:
        launchable(uow, owner, disk.region_id, disk.image_id, at.now)
    elif (
        disk.source_snapshot_id
        and uow.ecs_instances.snapshot(owner, disk.source_snapshot_id) is None
    ):
        raise SnapshotNotFound()
    if start:
        uow.ecs_instances.set_status(instance.id, passage_to(RUNNING, at.now, at.settle_seconds))


def create_snapshot(
    uow: UnitOfWork,
    owner: int,
    disk_id: str,
    named: tuple[str | None, str],
    now: datetime,
    tags: Sequence[tuple[str, str]] = (),
) -> str:
    """A snapshot of the disk, complete at once; ``named``: its name (None: its id) and
    description.

    :raises DiskNotFound:
    """
    disk = own_disk(uow, owner, disk_id)
    snapshot_id = new_id("s")
    name, description = named
    snapshot = EcsSnapshot(
        snapshot_id, owner, disk.region_id, disk.id, disk.instance_id, name or snapshot_id,
        description, disk.disk_type, disk.size, disk.image_id, now,
    )  # fmt: skip
    uow.ecs_instances.add_snapshot(snapshot)
    if tags:
        place = Tagged(snapshot_id, "snapshot", owner, disk.region_id)
        uow.ecs_resource_tags.set_tags(place, tags)
    return snapshot_id


def delete_snapshot(uow: UnitOfWork, owner: int, snapshot_id: str) -> None:
    """:raises SnapshotNotFound, SnapshotCreatedImage: an image was made from it."""
    snapshot = uow.ecs_instances.snapshot(owner, snapshot_id)
    if snapshot is None:
        raise SnapshotNotFound()
    if uow.ecs_images.made_from_snapshot(owner, snapshot.id):
        raise SnapshotCreatedImage()
    uow.ecs_instances.delete_snapshot(snapshot.id)
