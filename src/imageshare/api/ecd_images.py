"""ECD (2020-09-30) custom images: CreateImage, DescribeImages, DeleteImages,
ModifyImageAttribute, CopyImage, CancelCopyImage.

None of these takes a ClientToken, so none is replayed. The RAM resource is "*" for each
(docs/ecd.md).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from imageshare.api import operation_runs
from imageshare.api.ecd_params import (
    Description,
    DiskType,
    EcdRegionId,
    ImageName,
    ImageStatus,
    ImageType,
    NextToken,
    NotEmulated,
    OsType,
)
from imageshare.api.ecd_system_images import system_page
from imageshare.api.models import RpcRequest
from imageshare.api.products import ECD
from imageshare.api.registry import Action, Call
from imageshare.domain.ecd import ECD_PLATFORMS, effective_ecd_status
from imageshare.domain.images import Image, VisibleImage, copy_progress
from imageshare.domain.operations import Operation
from imageshare.domain.paging import decode_cursor, encode_cursor
from imageshare.domain.sharing import ECD_SHARING
from imageshare.domain.times import wire_time
from imageshare.services import ecd_copies, ecd_images
from imageshare.services.image_sharing import ShareTarget

# What every image here is; a filter asking for anything else finds nothing (docs/ecd.md).
PROTOCOL_TYPE = "ASP"
SESSION_TYPE = "SINGLE_SESSION"
SUPPORTED_LANGUAGES = ["zh-CN", "en-US"]


class CreateImageRequest(RpcRequest):
    region_id: EcdRegionId
    desktop_id: str
    image_name: ImageName | None = None
    description: Description = None
    disk_type: DiskType | None = None
    auto_clean_userdata: bool | None = None  # accepted; nothing to clean here
    # Snapshots of desktops are not emulated: images are made from DesktopId only.
    snapshot_id: NotEmulated = None
    snapshot_ids: NotEmulated = None
    data_snapshot_ids: NotEmulated = None


class DescribeImagesRequest(RpcRequest):
    region_id: EcdRegionId
    image_id: list[str] | None = None
    image_type: ImageType | None = None
    image_status: ImageStatus | None = None
    image_name: str | None = None
    os_type: OsType | None = None
    protocol_type: str | None = None
    session_type: str | None = None
    language_type: str | None = None
    gpu_category: bool | None = None
    max_results: int = Field(default=10, ge=1, le=100)
    next_token: NextToken | None = None


class DeleteImagesRequest(RpcRequest):
    region_id: EcdRegionId
    image_id: list[str] = Field(min_length=1, max_length=100)
    delete_cascaded_bundle: bool | None = None  # accepted; there are no bundles here


class ModifyImageAttributeRequest(RpcRequest):
    region_id: EcdRegionId
    image_id: str
    name: ImageName | None = None
    description: Description = None


class CopyImageRequest(RpcRequest):
    region_id: EcdRegionId
    image_id: str
    destination_region_id: EcdRegionId
    destination_image_name: ImageName
    destination_description: Description = None


class CancelCopyImageRequest(RpcRequest):
    region_id: EcdRegionId  # the destination region of the copy
    image_id: str  # the new image the copy is making


def create_image(call: Call, req: CreateImageRequest) -> dict[str, Any]:
    order = ecd_images.ImageOrder(
        region_id=req.region_id,
        desktop_id=req.desktop_id,
        name=req.image_name,
        description=req.description,
        system_disk_only=req.disk_type == "SYSTEM",
    )
    how = operation_runs.start(call, Operation.ECD_CREATE_IMAGE, req.region_id)
    owner = call.principal.account_id
    return {"ImageId": ecd_images.create_image(call.uow, owner, order, call.now, how)}


def _filters_can_match(req: DescribeImagesRequest) -> bool:
    """Every custom image here is a single-session ASP image without GPU: a filter asking for
    anything else (HDX, MULTIPLE_SESSION, GpuCategory=true) matches none; ImageType=SYSTEM is
    the public catalogue (api/ecd_system_images.py)."""
    return (
        req.image_type in (None, "CUSTOM")
        and req.protocol_type in (None, PROTOCOL_TYPE)
        and req.session_type in (None, SESSION_TYPE)
        and req.language_type in (None, *SUPPORTED_LANGUAGES)
        and not req.gpu_category
    )


def _image(call: Call, seen: VisibleImage[Image], listing: ecd_images.EcdListing) -> dict[str, Any]:
    # Field types exactly as alibabacloud_ecd20200930 declares DescribeImagesResponseBodyImages.
    image, encrypted = seen.image, seen.image.encryption_key_id is not None
    return {
        "ImageId": image.id,
        "Name": image.name,
        "Description": image.description,
        "ImageType": "CUSTOM",
        "Status": effective_ecd_status(image.status, image.ready_at, call.now),
        "Progress": f"{copy_progress(image.created_at, image.ready_at, call.now)}%",
        "OsType": image.platform,
        "Platform": ECD_PLATFORMS[image.platform],
        "ProtocolType": PROTOCOL_TYPE,
        "SessionType": SESSION_TYPE,
        "Size": image.system_disk_size,
        "DataDiskSize": image.data_disk_size,
        "CreationTime": wire_time(image.created_at),
        "UpdateTime": wire_time(image.updated_at or image.created_at),
        # Who else has it is the owner's business: a recipient sees 0.
        "SharedCount": listing.shared_counts.get(image.id, 0) if seen.owned else 0,
        "GpuCategory": False,
        "GpuDriverVersion": "",
        "AppVersion": "",
        "SupportedLanguages": list(SUPPORTED_LANGUAGES),
        "VolumeEncryptionEnabled": encrypted,
        "VolumeEncryptionKey": image.encryption_key_id if encrypted and seen.owned else "",
    }


def describe_images(call: Call, req: DescribeImagesRequest) -> dict[str, Any]:
    if req.image_type == "SYSTEM":  # the public catalogue; custom images are CUSTOM
        if not _filters_can_match(req.model_copy(update={"image_type": None})):
            return {"Images": [], "NextToken": ""}
        return system_page(req, PROTOCOL_TYPE, SESSION_TYPE, list(SUPPORTED_LANGUAGES))
    query = ecd_images.EcdImageQuery(
        viewer=call.principal.account_id,
        region_id=req.region_id,
        now=call.now,
        size=req.max_results,
        image_ids=req.image_id,
        name=req.image_name,
        status=req.image_status,
        os_type=req.os_type,
        may_match=_filters_can_match(req),
        after=decode_cursor(req.next_token) if req.next_token else None,
    )
    listing = ecd_images.describe_images(call.uow, query)
    following = listing.next_after
    return {
        "Images": [_image(call, seen, listing) for seen in listing.images],
        "NextToken": encode_cursor(*following) if following else "",
    }


def delete_images(call: Call, req: DeleteImagesRequest) -> dict[str, Any]:
    ecd_images.delete_images(call.uow, call.principal.account_id, req.region_id, req.image_id)
    return {}


def _target(call: Call, req: ModifyImageAttributeRequest | CancelCopyImageRequest) -> ShareTarget:
    return ShareTarget(call.principal.account_id, req.region_id, req.image_id, ECD_SHARING)


def modify_image_attribute(call: Call, req: ModifyImageAttributeRequest) -> dict[str, Any]:
    target = _target(call, req)
    ecd_images.modify_image_attribute(call.uow, target, req.name, req.description, call.now)
    return {}


def copy_image(call: Call, req: CopyImageRequest) -> dict[str, Any]:
    order = ecd_copies.CopyOrder(
        region_id=req.region_id,
        image_id=req.image_id,
        destination_region_id=req.destination_region_id,
        name=req.destination_image_name,
        description=req.destination_description,
    )
    how = operation_runs.start(call, Operation.ECD_COPY_IMAGE, req.region_id)
    owner = call.principal.account_id
    return {"ImageId": ecd_copies.copy_image(call.uow, owner, order, call.now, how)}


def cancel_copy_image(call: Call, req: CancelCopyImageRequest) -> dict[str, Any]:
    ecd_copies.cancel_copy(call.uow, _target(call, req), call.now)
    return {}


ACTIONS = (
    Action(
        product=ECD,
        name="CreateImage",
        request=CreateImageRequest,
        handler=create_image,
        mutating=True,
    ),
    Action(
        product=ECD, name="DescribeImages", request=DescribeImagesRequest, handler=describe_images
    ),
    Action(
        product=ECD,
        name="DeleteImages",
        request=DeleteImagesRequest,
        handler=delete_images,
        mutating=True,
    ),
    Action(
        product=ECD,
        name="ModifyImageAttribute",
        request=ModifyImageAttributeRequest,
        handler=modify_image_attribute,
        mutating=True,
    ),
    Action(
        product=ECD, name="CopyImage", request=CopyImageRequest, handler=copy_image, mutating=True
    ),
    Action(
        product=ECD,
        name="CancelCopyImage",
        request=CancelCopyImageRequest,
        handler=cancel_copy_image,
        mutating=True,
    ),
)
