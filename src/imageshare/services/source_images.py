"""Images a SWAS server can be created from, as one account sees them in one region: the
public catalogue (system and application images) plus the custom images it owns or that
were shared with it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from imageshare.domain.catalogue import SWAS_PUBLIC_IMAGES, SwasPublicImage, swas_public_image
from imageshare.domain.images import Image, copying
from imageshare.domain.products import ImageProduct
from imageshare.domain.swas import STATUS_CREATE_FAILED
from imageshare.errors import ImageNotFound, IncorrectImageStatus, InvalidImageType
from imageshare.store.images import ImageFilter
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

IMAGE_TYPES = ("system", "app", "custom")


@frozen
class SourceImage:
    id: str
    name: str
    type: str  # "system" | "app" | "custom"
    platform: str  # "Linux" | "Windows"
    description: str
    system_disk_size: int
    # A custom image's: still being created until then (None: ready), and whether it failed.
    ready_at: datetime | None = None
    failed: bool = False


def _public(image: SwasPublicImage) -> SourceImage:
    return SourceImage(
        image.id, image.name, image.type, image.platform, image.description, image.min_disk_size
    )


def _custom(image: Image) -> SourceImage:
    return SourceImage(
        image.id,
        image.name,
        "custom",
        image.platform,
        image.description,
        image.system_disk_size,
        image.ready_at,
        image.status == STATUS_CREATE_FAILED,
    )


def _visible_custom(
    uow: UnitOfWork, account_id: int, region_id: str, image_ids: Sequence[str] | None
) -> list[SourceImage]:
    where = ImageFilter(
        viewer=account_id, region_id=region_id, product=ImageProduct.SWAS, image_ids=image_ids
    )
    return [_custom(seen.image) for seen in uow.images.visible(where)[1]]


def describe(uow: UnitOfWork, account_id: int, region_id: str, image_id: str) -> SourceImage | None:
    found = swas_public_image(image_id)
    if found is not None:
        return _public(found)
    custom = _visible_custom(uow, account_id, region_id, [image_id])
    return custom[0] if custom else None


def launchable(
    uow: UnitOfWork, account_id: int, region_id: str, image_id: str, now: datetime
) -> SourceImage:
    """:raises ImageNotFound: not public, not the caller's and not shared with the caller.
    :raises IncorrectImageStatus: a custom image still being created, or whose creation
        failed (ECS's code, as for sharing one: SWAS documents none)."""
    found = describe(uow, account_id, region_id, image_id)
    if found is None:
        raise ImageNotFound()
    if copying(found.ready_at, now) or found.failed:
        raise IncorrectImageStatus(image_id=found.id)
    return found


def list_images(
    uow: UnitOfWork,
    account_id: int,
    region_id: str,
    image_ids: Sequence[str] | None,
    image_type: str | None,
) -> list[SourceImage]:
    """ListImages: public images first, then custom ones, optionally of one type.

    :raises InvalidImageType: a type other than system, app or custom.
    """
    if image_type is not None and image_type not in IMAGE_TYPES:
        raise InvalidImageType()
    found = [_public(image) for image in SWAS_PUBLIC_IMAGES]
    if image_type in (None, "custom"):
        found += _visible_custom(uow, account_id, region_id, image_ids)
    return [
        image
        for image in found
        if (image_type is None or image.type == image_type)
        and (image_ids is None or image.id in image_ids)
    ]
