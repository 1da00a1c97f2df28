"""The life of an ECS custom image after it exists: CopyImage (to another region or within
one; asynchronous: "Creating" until the setting's delay has passed), CancelCopyImage,
DeleteImage and ModifyImageAttribute. Every check runs before any write. And which image of
a family is the one to use (DescribeImageFromFamily).

Only the owner manages an image; an image shared with the caller may be copied within its
region (the copy is the caller's), never to another region directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from datetime import datetime
from typing import Any

from imageshare.domain.catalogue import SYSTEM_IMAGES, SystemImage
from imageshare.domain.ecs import (
    AVAILABLE,
    CREATE_FAILED,
    DEPRECATED,
    SERVICE_KEY,
    EcsImage,
    new_id,
)
from imageshare.domain.images import VisibleImage
from imageshare.domain.operations import Run
from imageshare.domain.products import ImageProduct
from imageshare.errors import (
    EncryptedIllegal,
    ImageCopying,
    ImageIsCreating,
    ImageIsPublic,
    ImageNameDuplicated,
    ImageNotDeprecated,
    ImageNotFound,
    ImageStatusNotAvailable,
    ImageStillCreating,
    ImageUseShared,
    ImageUsingByInstance,
    IncorrectImageStatus,
    PublicImageNotDeletable,
    SharedImageSameRegionOnly,
)
from imageshare.errors.ecs_lifecycle import NAME_USED, NOT_AVAILABLE, SHARED_NOT_DELETABLE
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


def _arriving(image: EcsImage, now: datetime) -> bool:
    """Still being made (CreateImage) or copied (CopyImage)."""
    return image.ready_at is not None and now < image.ready_at


def _copying(image: EcsImage, now: datetime) -> bool:
    return image.copied_from is not None and _arriving(image, now)


def owned(uow: UnitOfWork, owner: int, region_id: str, image_id: str) -> EcsImage:
    """:raises ImageNotFound: not the caller's own ECS image there (missing, another
    account's, shared with the caller, or a SWAS image shared to ECS, which SWAS manages)."""
    image = uow.ecs_images.owned(owner, region_id, image_id, lock=True)
    if image is None:
        raise ImageNotFound()
    return image


@frozen
class CopyOrder:
    region_id: str
    image_id: str
    destination_region_id: str
    name: str | None = None
    description: str | None = None
    encrypted: bool | None = None
    kms_key_id: str | None = None
    resource_group_id: str | None = None
    tags: Sequence[tuple[str, str]] = ()


def copy_image(uow: UnitOfWork, caller: int, order: CopyOrder, now: datetime, how: Run) -> str:
    """The new image's id, in the destination region, "Creating" until ``how`` ends, then
    Available (CreateFailed if it fails).

    :raises ImageNotFound, SharedImageSameRegionOnly, ImageIsPublic, ImageCopying,
        IncorrectImageStatus, EncryptedIllegal, ImageNameDuplicated:
    """
    source = _copy_source(uow, caller, order, now)
    if order.kms_key_id and order.encrypted is not True:
        raise EncryptedIllegal()
    name = order.name or source.name
    if uow.images.name_taken(caller, order.destination_region_id, ImageProduct.ECS, name):
        raise ImageNameDuplicated()  # what a retried CopyImage meets
    copy = replace(
        source,
        id=new_id("m"),
        account_id=caller,
        region_id=order.destination_region_id,
        name=name,
        description=order.description if order.description is not None else source.description,
        encryption_key_id=_copy_key(source, order),
        resource_group_id=order.resource_group_id,
        status=CREATE_FAILED if how.fails else AVAILABLE,
        created_at=now,
        ready_at=how.ready_at,
        copied_from=source.id,
        published_at=None,
    )
    uow.ecs_images.add(copy, order.tags)  # a copy carries no shares
    return copy.id


def _copy_source(uow: UnitOfWork, caller: int, order: CopyOrder, now: datetime) -> EcsImage:
    seen = uow.ecs_images.visible(caller, order.region_id, order.image_id)
    if seen is None or seen.image.product != ImageProduct.ECS:
        raise ImageNotFound()
    image = seen.image
    # "You cannot share, export, or copy community images": the owner's, or one the caller
    # sees only because it is published.
    if image.published_at is not None and (
        seen.owned or caller not in uow.shares.accounts(image.id)
    ):
        raise ImageIsPublic()
    if not seen.owned and order.destination_region_id != order.region_id:
        raise SharedImageSameRegionOnly()
    if _copying(image, now):
        raise ImageCopying("The Image are coping.")
    if image.status != AVAILABLE or _arriving(image, now):
        raise IncorrectImageStatus(NOT_AVAILABLE)  # creating, or deprecated
    return image


def _copy_key(source: EcsImage, order: CopyOrder) -> str | None:
    if order.kms_key_id:
        return order.kms_key_id
    if order.encrypted and source.encryption_key_id is None:
        return SERVICE_KEY
    return source.encryption_key_id


def cancel_copy(uow: UnitOfWork, owner: int, region_id: str, image_id: str, now: datetime) -> None:
    """Stop a copy on its way: the new image goes, the source stays.

    :raises ImageNotFound, IncorrectImageStatus: not a copy still on its way.
    """
    image = owned(uow, owner, region_id, image_id)
    if not _copying(image, now):
        raise IncorrectImageStatus(f"The specified image {image.id} is not being copied.")
    uow.images.delete(image.id)


def delete_image(
    uow: UnitOfWork, owner: int, target: tuple[str, str], force: bool, now: datetime
) -> None:
    """Delete the caller's image; ``force`` also deletes one shared with other accounts (they
    lose it). ``target``: (region, image id).

    :raises ImageNotFound, ImageCopying, ImageIsCreating, PublicImageNotDeletable,
        ImageUseShared, ImageUsingByInstance:
    """
    image = owned(uow, owner, *target)
    if _copying(image, now):
        raise ImageCopying()
    if _arriving(image, now):
        raise ImageIsCreating()
    if image.published_at is not None:
        raise PublicImageNotDeletable()
    if not force and uow.shares.accounts(image.id):
        raise ImageUseShared(SHARED_NOT_DELETABLE)
    if not force and uow.ecs_instances.image_used(image.id):
        raise ImageUsingByInstance()
    uow.images.delete(image.id)


@frozen
class AttributeChange:
    name: str | None = None
    description: str | None = None
    family: str | None = None
    boot_mode: str | None = None
    status: str | None = None


def modify_attributes(
    uow: UnitOfWork, owner: int, target: tuple[str, str], change: AttributeChange, now: datetime
) -> None:
    """:raises ImageNotFound, ImageStillCreating, ImageNameDuplicated, ImageUseShared,
    ImageNotDeprecated, ImageStatusNotAvailable:"""
    image = owned(uow, owner, *target)
    if _arriving(image, now):
        raise ImageStillCreating()
    values: dict[str, Any] = {"updated_at": now}
    if change.name is not None and change.name != image.name:
        if uow.images.name_taken(owner, image.region_id, ImageProduct.ECS, change.name):
            raise ImageNameDuplicated(NAME_USED)
        values["name"] = change.name
    if change.status is not None:
        values["status"] = _new_status(uow, image, change.status)
    columns = {"description": change.description, "image_family": change.family}
    values |= {k: v for k, v in columns.items() if v is not None}
    if change.boot_mode is not None:
        values["boot_mode"] = change.boot_mode
    uow.ecs_images.set_attributes(image.id, values)


def _new_status(uow: UnitOfWork, image: EcsImage, status: str) -> str:
    """Deprecated <-> Available. "If you have shared the custom image, you must unshare it
    before you can set it to the deprecated state." Deprecating twice changes nothing."""
    if status == DEPRECATED and image.status == AVAILABLE:
        if uow.shares.accounts(image.id):
            raise ImageUseShared()
    elif status == DEPRECATED and image.status != DEPRECATED:
        raise ImageStatusNotAvailable()
    elif status == AVAILABLE and image.status != DEPRECATED:
        raise ImageNotDeprecated()
    return status


@frozen
class FamilyImage:
    """DescribeImageFromFamily's image: a system one, or a custom one the caller sees with its
    tags (shown to the owner only), or neither."""

    system: SystemImage | None = None
    custom: VisibleImage[EcsImage] | None = None
    tags: list[tuple[str, str]] = field(default_factory=list)


def latest_in_family(
    uow: UnitOfWork, viewer: int, region_id: str, family: str, now: datetime
) -> FamilyImage:
    """The newest Available image of the family the viewer may use, system or custom (the
    system one when both are as new)."""
    seen = uow.ecs_images.latest_in_family(viewer, region_id, family, now)
    system = [i for i in SYSTEM_IMAGES if i.family == family and i.status == AVAILABLE]
    newest_system = max(system, key=lambda i: i.created_at, default=None)
    if seen is not None and (
        newest_system is None or seen.image.created_at > newest_system.created_at
    ):
        tags = uow.images.tags([seen.image.id]) if seen.owned else {}
        return FamilyImage(custom=seen, tags=tags.get(seen.image.id, []))
    return FamilyImage(system=newest_system)
