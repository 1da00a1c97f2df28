"""ECS DescribeImages (2014-05-26), minimal: where SWAS images shared to ECS appear."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from imageshare.api.models import RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain.images import Page, wire_time
from imageshare.services import ecs_images as service
from imageshare.store.images import Image


class DescribeImagesRequest(RpcRequest):
    region_id: str
    # ECS takes several ids comma-separated in one ImageId parameter.
    image_id: str | None = None
    image_owner_alias: str | None = None
    status: str | None = None
    page_number: int = Field(default=1, ge=1)
    page_size: int = Field(default=10, ge=1, le=100)


def _image(image: Image) -> dict[str, Any]:
    # Field types exactly as alibabacloud_ecs20140526 declares them (ImageOwnerId, Size int).
    return {
        "ImageId": image.id,
        "ImageName": image.name,
        "Description": image.description,
        "ImageOwnerAlias": service.SELF,
        "ImageOwnerId": image.account_id,
        "Status": "Available",
        "Progress": "100%",
        "CreationTime": wire_time(image.created_at),
        "OSType": image.platform.lower(),
        "Platform": image.platform,
        "Architecture": "x86_64",
        "Size": image.system_disk_size,
        "Usage": "none",
        "IsCopied": False,
        "IsPublic": False,
        "IsSelfShared": "",
        "IsSubscribed": False,
        "IsSupportCloudinit": True,
        "IsSupportIoOptimized": True,
        "ResourceGroupId": image.resource_group_id or "",
        "Tags": {"Tag": []},
    }


def describe_images(call: Call, req: DescribeImagesRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    ids = [i.strip() for i in req.image_id.split(",") if i.strip()] if req.image_id else None
    query = service.EcsImageQuery(
        call.principal.account_id, req.region_id, ids, req.image_owner_alias, req.status
    )
    total, found = service.describe_images(call.uow, query, page)
    return {
        "RegionId": req.region_id,
        "TotalCount": total,
        "PageNumber": page.number,
        "PageSize": page.size,
        "Images": {"Image": [_image(image) for image in found]},
    }


ACTIONS = (
    Action(
        product=ECS, name="DescribeImages", request=DescribeImagesRequest, handler=describe_images
    ),
)
