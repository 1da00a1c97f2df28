"""SWAS custom images: CreateCustomImage, DeleteCustomImage(s), ListCustomImages, ListImages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from imageshare.api import operation_runs
from imageshare.api.models import IdempotentRequest, RpcRequest
from imageshare.api.products import SWAS
from imageshare.api.registry import Action, Call
from imageshare.api.swas_params import (
    IdsUpTo15,
    IdsUpTo50,
    IdsUpTo100,
    PageNumber,
    PageSizeUpTo100,
    ResourceGroupId,
    SwasRegionId,
    Tag,
    image_arn,
    tags_out,
)
from imageshare.domain.images import Image, VisibleImage
from imageshare.domain.operations import Operation
from imageshare.domain.paging import Page
from imageshare.domain.products import ImageProduct
from imageshare.domain.swas import shown_status
from imageshare.domain.times import wire_time
from imageshare.services import source_images
from imageshare.services import swas_images as service
from imageshare.store.images import ImageFilter


class CreateCustomImageRequest(IdempotentRequest):
    region_id: SwasRegionId
    instance_id: str
    image_name: str
    system_snapshot_id: str
    data_snapshot_id: str | None = None
    description: str = Field(default="", max_length=256)
    resource_group_id: ResourceGroupId | None = None
    tag: list[Tag] = Field(default=[], max_length=20)


class DeleteCustomImageRequest(IdempotentRequest):
    region_id: SwasRegionId
    image_id: str


class DeleteCustomImagesRequest(IdempotentRequest):
    region_id: SwasRegionId
    image_ids: Annotated[IdsUpTo15, Field(min_length=1)]  # "" is not "delete nothing"


class ListCustomImagesRequest(IdempotentRequest):
    region_id: SwasRegionId
    image_ids: IdsUpTo100 | None = None
    image_names: IdsUpTo100 | None = None
    instance_id: str | None = None
    system_snapshot_id: str | None = None
    data_snapshot_id: str | None = None
    resource_group_id: ResourceGroupId | None = None
    share: bool | None = None
    tag: list[Tag] = Field(default=[], max_length=20)
    page_number: PageNumber = 1
    page_size: PageSizeUpTo100 = 10


class ListImagesRequest(RpcRequest):
    region_id: SwasRegionId
    image_ids: IdsUpTo50 | None = None
    image_type: str | None = None


def create_custom_image(call: Call, req: CreateCustomImageRequest) -> dict[str, Any]:
    order = service.ImageOrder(
        region_id=req.region_id,
        instance_id=req.instance_id,
        name=req.image_name,
        system_snapshot_id=req.system_snapshot_id,
        data_snapshot_id=req.data_snapshot_id,
        description=req.description,
        resource_group_id=req.resource_group_id,
        tags=list({t.key: (t.key, t.value) for t in req.tag}.values()),
    )
    how = operation_runs.start(call, Operation.SWAS_CREATE_CUSTOM_IMAGE, req.region_id)
    owner = call.principal.account_id
    return {"ImageId": service.create_custom_image(call.uow, owner, order, call.now, how)}


def delete_custom_image(call: Call, req: DeleteCustomImageRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.delete_custom_images(call.uow, owner, req.region_id, [req.image_id], batch=False)
    return {}


def delete_custom_images(call: Call, req: DeleteCustomImagesRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.delete_custom_images(call.uow, owner, req.region_id, req.image_ids, batch=True)
    return {}


def _filter(call: Call, req: ListCustomImagesRequest) -> ImageFilter:
    return ImageFilter(
        viewer=call.principal.account_id,
        region_id=req.region_id,
        product=ImageProduct.SWAS,
        shared_with_me=req.share,
        image_ids=req.image_ids,
        names=req.image_names,
        source_instance_id=req.instance_id,
        system_snapshot_id=req.system_snapshot_id,
        data_snapshot_id=req.data_snapshot_id,
        resource_group_id=req.resource_group_id,
        tags=[(t.key, t.value or None) for t in req.tag],
    )


def _custom_image(
    seen: VisibleImage[Image], listing: service.ImageListing, now: datetime
) -> dict[str, Any]:
    image = seen.image
    body: dict[str, Any] = {
        "ImageId": image.id,
        "Name": image.name,
        "Description": image.description,
        "CreationTime": wire_time(image.created_at),
        "Status": shown_status(image.status, image.ready_at, now),
        "OsType": image.platform.lower(),
        "RegionId": image.region_id,
        "RequiredSystemDiskSize": image.system_disk_size,
        "RequiredDataDiskSize": image.data_disk_size,
        "UserId": image.account_id,
        "InShareUser": seen.shared_with_accounts,
        # Shared to the owner's ECS, not the recipient's: a recipient sees False.
        "InShare": image.shared_to_ecs and seen.owned,
        "SourceImageName": "",
        "SourceImageVersion": "",
    }
    return {**body, **_owner_details(seen, listing)}


_OWNER_ONLY_TEXT = (
    "InstanceId",
    "InstanceName",
    "SystemSnapshotId",
    "SystemSnapshotName",
    "DataSnapshotId",
    "DataSnapshotName",
    "ResourceGroupId",
)


def _owner_details(seen: VisibleImage[Image], listing: service.ImageListing) -> dict[str, Any]:
    """Where the image came from: the owner's servers and snapshots, blank for a recipient."""
    if not seen.owned:
        return {**dict.fromkeys(_OWNER_ONLY_TEXT, ""), "CreateInstances": [], "Tags": []}
    image = seen.image
    instance = listing.instances.get(image.source_instance_id or "")
    system = listing.snapshots.get(image.system_snapshot_id or "")
    data = listing.snapshots.get(image.data_snapshot_id or "")
    return {
        "InstanceId": image.source_instance_id or "",
        "InstanceName": instance.name if instance else "",
        "SystemSnapshotId": image.system_snapshot_id or "",
        "SystemSnapshotName": system.name if system else "",
        "DataSnapshotId": image.data_snapshot_id or "",
        "DataSnapshotName": data.name if data else "",
        "ResourceGroupId": image.resource_group_id or "",
        "CreateInstances": listing.created_from.get(image.id, []),
        "Tags": tags_out(listing.tags.get(image.id, [])),
    }


def list_custom_images(call: Call, req: ListCustomImagesRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    listing = service.list_custom_images(call.uow, _filter(call, req), page)
    # SDK 4.0.0 (Python and Node) declares the three paging fields as strings.
    return {
        "TotalCount": str(listing.total),
        "PageNumber": str(page.number),
        "PageSize": str(page.size),
        "CustomImages": [_custom_image(seen, listing, call.now) for seen in listing.images],
    }


def list_images(call: Call, req: ListImagesRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    found = source_images.list_images(call.uow, owner, req.region_id, req.image_ids, req.image_type)
    images = [
        {
            "ImageId": image.id,
            "ImageName": image.name,
            "ImageType": image.type,
            "Description": image.description,
            "Platform": image.platform,
        }
        for image in found
    ]
    return {"Images": images}


ACTIONS = (
    Action(
        product=SWAS,
        name="CreateCustomImage",
        request=CreateCustomImageRequest,
        handler=create_custom_image,
        mutating=True,
    ),
    Action(
        product=SWAS,
        name="DeleteCustomImage",
        request=DeleteCustomImageRequest,
        handler=delete_custom_image,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=SWAS,
        name="DeleteCustomImages",
        request=DeleteCustomImagesRequest,
        handler=delete_custom_images,
        mutating=True,
    ),
    Action(
        product=SWAS,
        name="ListCustomImages",
        request=ListCustomImagesRequest,
        handler=list_custom_images,
    ),
    Action(product=SWAS, name="ListImages", request=ListImagesRequest, handler=list_images),
)
