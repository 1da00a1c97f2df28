"""SWAS custom images: create one from a server's snapshots, delete, list.

What a caller may see is the store's visibility query; everything else (another account's
unshared image, an image in another region) is "not found", exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from imageshare.domain.ids import new_resource_id
from imageshare.domain.images import Image, VisibleImage
from imageshare.domain.operations import AT_ONCE, Run
from imageshare.domain.paging import Page
from imageshare.domain.products import ImageProduct
from imageshare.domain.swas import (
    STATUS_AVAILABLE,
    STATUS_CREATE_FAILED,
    Instance,
    Snapshot,
    custom_image_quota,
    valid_image_name,
)
from imageshare.errors import (
    CustomImageInShare,
    CustomImageQuotaLimit,
    DataSnapshotNotFound,
    IllegalImageName,
    ImageNameAlreadyExist,
    ImageNotFound,
    InstanceNotFound,
    SystemSnapshotNotFound,
    SystemSnapshotNotSupported,
)
from imageshare.services import source_images
from imageshare.store.images import ImageFilter
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class ImageOrder:
    region_id: str
    instance_id: str
    name: str
    system_snapshot_id: str
    data_snapshot_id: str | None = None
    description: str = ""
    resource_group_id: str | None = None
    tags: Sequence[tuple[str, str]] = ()


def create_custom_image(
    uow: UnitOfWork, owner: int, order: ImageOrder, now: datetime, how: Run = AT_ONCE
) -> str:
    """An image that is creating until ``how`` ends (domain/operations.py).

    :raises IllegalImageName, InstanceNotFound, SystemSnapshotNotFound,
    SystemSnapshotNotSupported, DataSnapshotNotFound, ImageNameAlreadyExist,
    CustomImageQuotaLimit:"""
    if not valid_image_name(order.name):
        raise IllegalImageName()
    instance = uow.swas_instances.get(owner, order.region_id, order.instance_id)
    if instance is None:
        raise InstanceNotFound()
    system = _system_snapshot(uow, owner, order, instance)
    data = _data_snapshot(uow, owner, order, instance)
    if uow.images.name_taken(owner, order.region_id, ImageProduct.SWAS, order.name):
        raise ImageNameAlreadyExist()
    uow.accounts.lock(owner)  # concurrent creates must not both pass the count below
    quota = custom_image_quota(uow.swas_instances.count(owner, order.region_id))
    if uow.images.count(owner, order.region_id, ImageProduct.SWAS) >= quota:
        raise CustomImageQuotaLimit()
    image = _image(uow, owner, order, instance, (system, data), (now, how))
    if not uow.images.add(image, order.tags):
        raise ImageNameAlreadyExist()
    return image.id


def _system_snapshot(
    uow: UnitOfWork, owner: int, order: ImageOrder, instance: Instance
) -> Snapshot:
    found = uow.swas_snapshots.get(owner, order.region_id, order.system_snapshot_id)
    if found is None:
        raise SystemSnapshotNotFound()
    # Only a snapshot of this server's system disk can be the root of its image.
    if found.source_disk_type != "System" or found.instance_id != instance.id:
        raise SystemSnapshotNotSupported()
    return found


def _data_snapshot(
    uow: UnitOfWork, owner: int, order: ImageOrder, instance: Instance
) -> Snapshot | None:
    if order.data_snapshot_id is None:
        return None
    found = uow.swas_snapshots.get(owner, order.region_id, order.data_snapshot_id)
    if found is None or found.source_disk_type != "Data" or found.instance_id != instance.id:
        raise DataSnapshotNotFound()
    return found


def _image(
    uow: UnitOfWork,
    owner: int,
    order: ImageOrder,
    instance: Instance,
    snapshots: tuple[Snapshot, Snapshot | None],
    when: tuple[datetime, Run],
) -> Image:
    (system, data), (now, how) = snapshots, when
    source = source_images.describe(uow, owner, order.region_id, instance.image_id)
    disks = {d.id: d.size for d in uow.swas_disks.for_instances([instance.id])}
    return Image(
        id=new_resource_id("m"),
        account_id=owner,
        region_id=order.region_id,
        product=ImageProduct.SWAS,
        name=order.name,
        description=order.description,
        status=STATUS_CREATE_FAILED if how.fails else STATUS_AVAILABLE,
        platform=source.platform if source else "Linux",
        source_instance_id=instance.id,
        system_snapshot_id=system.id,
        data_snapshot_id=data.id if data else None,
        system_disk_size=disks[system.disk_id],
        data_disk_size=disks[data.disk_id] if data else 0,
        resource_group_id=order.resource_group_id,
        shared_to_ecs=False,
        created_at=now,
        ready_at=how.ready_at,
    )


# DeleteCustomImages words the same refusal differently from DeleteCustomImage.
BATCH_IN_SHARE_MESSAGE = "The custom image is in sharing,please unshare first then to retry."


def delete_custom_images(
    uow: UnitOfWork, owner: int, region_id: str, image_ids: Sequence[str], *, batch: bool
) -> None:
    """All or nothing: every image must be the caller's and shared with no one.

    :raises ImageNotFound, CustomImageInShare:
    """
    found = []
    for image_id in dict.fromkeys(image_ids):
        image = uow.images.owned(owner, region_id, ImageProduct.SWAS, image_id, lock=True)
        if image is None:
            raise ImageNotFound()
        if image.shared_to_ecs or uow.shares.accounts(image.id):
            raise CustomImageInShare(BATCH_IN_SHARE_MESSAGE if batch else None)
        found.append(image)
    for image in found:
        uow.images.delete(image.id)


@frozen
class ImageListing:
    total: int
    images: list[VisibleImage[Image]]
    tags: dict[str, list[tuple[str, str]]]
    instances: dict[str, Instance]
    snapshots: dict[str, Snapshot]
    created_from: dict[str, list[str]]


def list_custom_images(uow: UnitOfWork, where: ImageFilter, page: Page) -> ImageListing:
    """One page of what the viewer may see; owner-only details only for the viewer's own."""
    total, seen = uow.images.visible(where, page)
    own = [v.image for v in seen if v.owned]
    own_ids = [image.id for image in own]
    instances, snapshots = _sources(uow, own)
    created_from = uow.swas_instances.created_from(own_ids)
    return ImageListing(total, seen, uow.images.tags(own_ids), instances, snapshots, created_from)


def _sources(uow: UnitOfWork, own: list[Image]) -> tuple[dict[str, Instance], dict[str, Snapshot]]:
    instances: dict[str, Instance] = {}
    snapshots: dict[str, Snapshot] = {}
    for image in own:
        account, region = image.account_id, image.region_id
        if image.source_instance_id:
            instance = uow.swas_instances.get(account, region, image.source_instance_id)
            if instance:
                instances[instance.id] = instance
        for snapshot_id in (image.system_snapshot_id, image.data_snapshot_id):
            snapshot = uow.swas_snapshots.get(account, region, snapshot_id) if snapshot_id else None
            if snapshot:
                snapshots[snapshot.id] = snapshot
    return instances, snapshots
