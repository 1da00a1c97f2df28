"""ECS DescribeImages (2014-05-26): system images, the caller's own custom images (and SWAS
images it shared to ECS), images shared with it and community images, with every filter the
SDK model declares that means something here (docs/ecs.md)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from imageshare.api import ecs_query
from imageshare.api.ecs_params import (
    AccountId,
    EcsRegionId,
    FilterIn,
    LongText,
    PageNumber,
    PageSize,
    TagIn,
    Text,
    images_arn,
)
from imageshare.api.models import RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain.catalogue import SystemImage
from imageshare.domain.ecs import AVAILABLE, EcsImage, effective_status
from imageshare.domain.images import VisibleImage, copy_progress
from imageshare.domain.paging import Page
from imageshare.domain.principal import Principal
from imageshare.domain.products import ImageProduct
from imageshare.domain.times import wire_time
from imageshare.errors import DryRunOperation
from imageshare.services import ecs_images as service


class DescribeImagesRequest(RpcRequest):
    region_id: EcsRegionId
    # Several ids, comma-separated, in one ImageId parameter.
    image_id: LongText | None = None
    image_name: Text | None = None
    image_owner_alias: Text | None = None
    image_owner_id: AccountId | None = None
    image_family: Text | None = None
    status: Text | None = None
    os_type: Text | None = Field(default=None, alias="OSType")
    architecture: Text | None = None
    usage: Text | None = None
    snapshot_id: Text | None = None
    resource_group_id: Text | None = None
    instance_type: Text | None = None
    action_type: Text | None = None
    tag: list[TagIn] | None = None
    filter: list[FilterIn] | None = None
    is_public: bool | None = None
    is_support_cloudinit: bool | None = None
    is_support_io_optimized: bool | None = None
    usable: bool | None = None
    show_expired: bool | None = None
    dry_run: bool = False
    page_number: PageNumber = 1
    page_size: PageSize = 10


def system_shape(image: SystemImage) -> dict[str, Any]:
    shape = _common(image.id, image.name, image.description, image.status, image.size)
    return shape | {
        "ImageOwnerAlias": "system",
        "ImageOwnerId": 0,  # Alibaba Cloud's own: no account (docs/ecs.md)
        "CreationTime": wire_time(image.created_at),
        "OSType": image.os_type,
        "Platform": image.platform,
        "OSName": image.os_name,
        "OSNameEn": image.os_name_en,
        "Architecture": image.architecture,
        "ImageFamily": image.family,
        "BootMode": image.boot_mode,
        "IsPublic": True,
        "IsSelfShared": "",
        "DiskDeviceMappings": {"DiskDeviceMapping": [_disk("", image.size, False)]},
    }


def custom_shape(
    call: Call, seen: VisibleImage[EcsImage], tags: list[tuple[str, str]]
) -> dict[str, Any]:
    image = seen.image
    stored = image.status if image.product == ImageProduct.ECS else AVAILABLE  # SWAS: a digit
    status = effective_status(stored, image.ready_at, call.now)
    shape = _common(image.id, image.name, image.description, status, image.system_disk_size)
    os_name = image.os_name or ("Windows Server 2022" if image.platform == "Windows" else "Aliyun")
    return shape | {
        "ImageOwnerAlias": "self" if seen.owned else "others",
        "ImageOwnerId": image.account_id,
        "CreationTime": wire_time(image.created_at),
        "Progress": f"{copy_progress(image.created_at, image.ready_at, call.now)}%",
        "OSType": image.platform.lower(),
        "Platform": os_name,
        "OSName": os_name,
        "OSNameEn": os_name,
        "Architecture": image.architecture or "x86_64",
        "ImageFamily": image.image_family or "",
        "BootMode": image.boot_mode or "BIOS",
        "IsPublic": image.published_at is not None,
        "IsCopied": image.copied_from is not None,
        "IsSelfShared": ("true" if seen.shared_with_accounts else "false") if seen.owned else "",
        "ResourceGroupId": (image.resource_group_id or "") if seen.owned else "",
        "Tags": {"Tag": [{"TagKey": k, "TagValue": v} for k, v in tags]},
        "DiskDeviceMappings": {
            "DiskDeviceMapping": [
                _disk(
                    image.system_snapshot_id or "",
                    image.system_disk_size,
                    image.encryption_key_id is not None,
                )
            ]
        },
    }


def _common(image_id: str, name: str, description: str, status: str, size: int) -> dict[str, Any]:
    # Field types exactly as alibabacloud_ecs20140526 declares them
    # (DescribeImagesResponseBodyImagesImage).
    return {
        "ImageId": image_id,
        "ImageName": name,
        "Description": description,
        "Status": status,
        "Progress": "100%",
        "Size": size,
        "ImageVersion": "",
        "Usage": "none",
        "IsCopied": False,
        "IsSubscribed": False,
        "IsSupportCloudinit": True,
        "IsSupportIoOptimized": True,
        "LoginAsNonRootSupported": False,
        "Usable": status in ("Available", "Deprecated"),
        "ProductCode": "",
        "SupplierName": "",
        "LicenseType": "",
        "ResourceGroupId": "",
        "Tags": {"Tag": []},
        "Features": {"NvmeSupport": "supported", "ImdsSupport": "v1"},
        "DetectionOptions": {"Status": "", "Items": {"Item": []}},
    }


def _disk(snapshot_id: str, size: int, encrypted: bool) -> dict[str, Any]:
    return {
        "Device": "/dev/xvda",
        "Type": "system",
        "Size": str(size),  # a string here, unlike the image's Size
        "SnapshotId": snapshot_id,
        "Format": "",
        "Progress": "100%",
        "RemainTime": 0,
        "Encrypted": encrypted,
        "ImportOSSBucket": "",
        "ImportOSSObject": "",
    }


def _supports(req: DescribeImagesRequest) -> bool:
    """Every image here supports cloud-init and I/O optimisation and none has expired."""
    return req.is_support_cloudinit is not False and req.is_support_io_optimized is not False


def described_images_arn(principal: Principal, req: DescribeImagesRequest) -> tuple[str, ...]:
    """``image/*`` in the region, or nothing to authorise: "If you set ImageOwnerAlias to
    system or others ... to query public images ... or shared images, RAM policies are
    ignored in the request" (DescribeImages' reference), so a RAM user with no policy, or
    one denying it, still lists them."""
    if req.image_owner_alias in ("system", "others"):
        return ()
    return (images_arn(principal, req),)


def describe_images(call: Call, req: DescribeImagesRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    listing = ecs_query.listing(req, call.principal.account_id, call.now)
    if req.dry_run:
        raise DryRunOperation()
    shown = service.image_page(call.uow, listing, page, matches_any=_supports(req))
    images = [
        system_shape(i)
        if isinstance(i, SystemImage)
        else custom_shape(call, i, shown.tags.get(i.image.id, []))
        for i in shown.found
    ]
    for image in images:  # in use: one of the caller's instances in the region runs it
        image["Usage"] = "instance" if image["ImageId"] in shown.in_use else "none"
    return {
        "RegionId": req.region_id,
        "TotalCount": shown.total,
        "PageNumber": page.number,
        "PageSize": page.size,
        "Images": {"Image": images},
    }


ACTIONS = (
    Action(
        product=ECS,
        name="DescribeImages",
        request=DescribeImagesRequest,
        handler=describe_images,
        resource=described_images_arn,
    ),
)
