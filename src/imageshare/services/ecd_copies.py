"""Copying ECD images to another region, and cancelling a copy still on its way.

A copy is a new image of the same owner in the destination region, made at once but
"Creating" until its run ends (``ready_at``, IMAGESHARE_ECD_COPY_IMAGE_SECONDS on the server's
clock; domain/operations.py); its share list starts empty. While it is Creating,
CancelCopyImage deletes it. docs/ecd.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from imageshare.domain.ecd import ECD_AVAILABLE, ECD_CREATE_FAILED, new_ecd_id
from imageshare.domain.images import copying
from imageshare.domain.operations import Run
from imageshare.domain.products import ImageProduct
from imageshare.domain.sharing import ECD_SHARING
from imageshare.errors import ImageNameTaken, IncorrectImageStatus, InvalidParameter
from imageshare.services.image_sharing import ShareTarget, owned_image
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

_NOT_COPYING = (
    "The specified ImageId {image_id} is not being copied: only a copy that is still "
    "Creating can be cancelled (RegionId is the destination region of the copy)."
)


@frozen
class CopyOrder:
    region_id: str
    image_id: str
    destination_region_id: str
    name: str
    description: str | None = None


def copy_image(uow: UnitOfWork, owner: int, order: CopyOrder, now: datetime, how: Run) -> str:
    """The id of the new image in the destination region; ``how`` the copy's run.

    :raises InvalidParameter: the destination is the image's own region.
    :raises ImageNotFound, SharedImageNotManageable: not the caller's image in RegionId.
    :raises IncorrectImageStatus: the source is not Available (still on its way, or failed).
    :raises ImageNameTaken: the caller has an image of that name in the destination.
    """
    if order.destination_region_id == order.region_id:
        reason = "The destination region must differ from RegionId, the image's own region."
        raise InvalidParameter(name="DestinationRegionId", reason=reason)
    target = ShareTarget(owner, order.region_id, order.image_id, ECD_SHARING)
    source = owned_image(uow, target)
    if copying(source.ready_at, now) or source.status != ECD_AVAILABLE:
        raise IncorrectImageStatus(image_id=source.id)
    destination = order.destination_region_id
    taken = ImageNameTaken(parameter="DestinationImageName", name=order.name, region_id=destination)
    if uow.images.name_taken(owner, destination, ImageProduct.ECD, order.name):
        raise taken
    copy = replace(
        source,
        id=new_ecd_id("m"),
        region_id=destination,
        name=order.name,
        description=source.description if order.description is None else order.description,
        status=ECD_CREATE_FAILED if how.fails else ECD_AVAILABLE,
        created_at=now,
        ready_at=how.ready_at,
        updated_at=None,
        copied_from=source.id,
    )
    if not uow.images.add(copy, ()):
        raise taken
    return copy.id


def cancel_copy(uow: UnitOfWork, target: ShareTarget, now: datetime) -> None:
    """Stop a copy that is still Creating: the new image is gone, the source untouched.

    :raises ImageNotFound, SharedImageNotManageable: not the caller's image in RegionId.
    :raises IncorrectImageStatus: the image is not a copy on its way (it arrived, or it was
        never a copy: an image CreateImage is still making is not being copied).
    """
    image = owned_image(uow, target, lock=True)
    if image.copied_from is None or not copying(image.ready_at, now):
        raise IncorrectImageStatus(_NOT_COPYING.format(image_id=image.id))
    uow.images.delete(image.id)
