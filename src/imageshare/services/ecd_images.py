"""Elastic Desktop Service custom images: create one from a desktop, list what an account
sees, rename or describe, delete.

What a caller may see is the store's visibility query (its own images and those shared with
it, in the region). An image is managed only by its owner, in its own region: anything else
is explained by ``image_sharing.owned_image`` under ECD's rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from imageshare.domain.ecd import ECD_AVAILABLE, ECD_CREATE_FAILED, Desktop, new_ecd_id
from imageshare.domain.images import Image, VisibleImage
from imageshare.domain.operations import AT_ONCE, Run
from imageshare.domain.paging import Page, look_ahead
from imageshare.domain.products import ImageProduct
from imageshare.domain.sharing import ECD_SHARING
from imageshare.errors import DesktopNotFound, ImageNameTaken
from imageshare.services.image_sharing import ShareTarget, owned_image
from imageshare.store.images import ImageFilter
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class ImageOrder:
    region_id: str
    desktop_id: str
    name: str | None = None
    description: str | None = None
    # DiskType=SYSTEM: the image holds the system disk only, not the data disk.
    system_disk_only: bool = False


def create_image(
    uow: UnitOfWork, owner: int, order: ImageOrder, now: datetime, how: Run = AT_ONCE
) -> str:
    """An image of the desktop, Creating until ``how`` ends (domain/operations.py), then
    Available (CreateFailed if it fails); encrypted when the desktop is.

    :raises DesktopNotFound: no such desktop of the caller's in that region.
    :raises ImageNameTaken: the caller has an ECD image of that name in the region.
    """
    desktop = uow.ecd_desktops.get(owner, order.region_id, order.desktop_id)
    if desktop is None:
        raise DesktopNotFound(desktop_id=order.desktop_id)
    image = _image_of(desktop, order, now, how)
    taken = ImageNameTaken(parameter="ImageName", name=image.name, region_id=image.region_id)
    if uow.images.name_taken(owner, order.region_id, ImageProduct.ECD, image.name):
        raise taken
    if not uow.images.add(image, ()):
        raise taken
    return image.id


def _image_of(desktop: Desktop, order: ImageOrder, now: datetime, how: Run) -> Image:
    image_id = new_ecd_id("m")
    return Image(
        id=image_id,
        account_id=desktop.account_id,
        region_id=desktop.region_id,
        product=ImageProduct.ECD,
        # ImageName is optional on the wire; the id is a name no other image can have.
        name=order.name or image_id,
        description=order.description or "",
        status=ECD_CREATE_FAILED if how.fails else ECD_AVAILABLE,
        platform=desktop.os_type,
        source_instance_id=desktop.id,
        system_snapshot_id=None,
        data_snapshot_id=None,
        system_disk_size=desktop.system_disk_size,
        data_disk_size=0 if order.system_disk_only else desktop.data_disk_size,
        resource_group_id=None,
        shared_to_ecs=False,
        created_at=now,
        encryption_key_id=desktop.encryption_key_id,
        ready_at=how.ready_at,
    )


@frozen
class EcdImageQuery:
    viewer: int
    region_id: str
    now: datetime
    size: int
    image_ids: Sequence[str] | None = None
    name: str | None = None
    status: str | None = None
    os_type: str | None = None
    # False when a filter asks for what no image here is (e.g. a system image): none match.
    may_match: bool = True
    after: tuple[datetime, str] | None = None


@frozen
class EcdListing:
    images: list[VisibleImage[Image]]
    # Accounts each of the viewer's own images is shared with; absent means none.
    shared_counts: dict[str, int]
    # Where the next page starts; None on the last page.
    next_after: tuple[datetime, str] | None


def describe_images(uow: UnitOfWork, query: EcdImageQuery) -> EcdListing:
    """One page (oldest first) of the ECD images the viewer owns or was shared, in the region."""
    if not query.may_match:
        return EcdListing([], {}, None)
    where = ImageFilter(
        viewer=query.viewer,
        region_id=query.region_id,
        product=ImageProduct.ECD,
        image_ids=query.image_ids,
        names=[query.name] if query.name is not None else None,
        status=query.status,
        now=query.now,
        platform=query.os_type,
        after=query.after,
    )
    # One row more than the page tells whether another page follows.
    _total, seen = uow.images.visible(where, Page(1, query.size + 1))
    page, last = look_ahead(seen, query.size)
    next_after = (last.image.created_at, last.image.id) if last else None
    own_ids = [v.image.id for v in page if v.owned]
    return EcdListing(page, uow.shares.counts(own_ids), next_after)


def modify_image_attribute(
    uow: UnitOfWork, target: ShareTarget, name: str | None, description: str | None, now: datetime
) -> None:
    """Rename and/or describe the caller's image; neither given changes nothing.

    :raises ImageNotFound, SharedImageNotManageable, ImageNameTaken:
    """
    image = owned_image(uow, target, lock=True)
    if name is None and description is None:
        return
    taken = ImageNameTaken(parameter="Name", name=name, region_id=image.region_id)
    if name not in (None, image.name) and uow.images.name_taken(
        image.account_id, image.region_id, ImageProduct.ECD, str(name)
    ):
        raise taken
    if not uow.images.set_attributes(image.id, name=name, description=description, now=now):
        raise taken


def delete_images(uow: UnitOfWork, owner: int, region_id: str, image_ids: Sequence[str]) -> None:
    """All or nothing: every image must be the caller's, in that region. An image shared
    with other accounts may be deleted; it disappears from their lists with it.

    :raises ImageNotFound, SharedImageNotManageable:
    """
    found = [
        owned_image(uow, ShareTarget(owner, region_id, image_id, ECD_SHARING), lock=True)
        for image_id in dict.fromkeys(image_ids)
    ]
    for image in found:
        uow.images.delete(image.id)
