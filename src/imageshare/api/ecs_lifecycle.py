"""ECS (2014-05-26) image lifecycle: CopyImage, CancelCopyImage, DeleteImage,
ModifyImageAttribute and DescribeImageFromFamily. Rules: services.ecs_lifecycle, docs/ecs.md.

Names, descriptions and families are checked here, with the codes ECS answers for them
(InvalidImageName.Malformed and the like), not the generic InvalidParameter.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from imageshare.api import operation_runs
from imageshare.api.ecs_images import custom_shape, system_shape
from imageshare.api.ecs_params import (
    EcsRegionId,
    LongText,
    TagIn,
    Text,
    checked_tags,
    image_arn,
    images_arn,
)
from imageshare.api.models import IdempotentRequest, RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain import ecs
from imageshare.domain.operations import Operation
from imageshare.errors import (
    BootModeNotSupported,
    DescriptionMalformed,
    DryRunOperation,
    ImageFamilyMalformed,
    ImageNameMalformed,
    InvalidParameter,
    LicenseTypeNotSupported,
)
from imageshare.errors.ecs_lifecycle import DESCRIPTION_MALFORMED, NAME_RULES
from imageshare.services import ecs_lifecycle as service


class CopyImageRequest(IdempotentRequest):
    region_id: EcsRegionId
    image_id: Text
    destination_region_id: EcsRegionId | None = None
    destination_image_name: Text | None = None
    destination_description: LongText | None = None
    encrypted: bool | None = None
    kms_key_id: Text | None = Field(default=None, alias="KMSKeyId")
    encrypt_algorithm: Text | None = None  # "This parameter is not available."
    resource_group_id: Text | None = None
    tag: list[TagIn] | None = None
    dry_run: bool = False


class CancelCopyImageRequest(RpcRequest):
    region_id: EcsRegionId  # the destination region of the copy
    image_id: Text  # the new image the copy is making


class DeleteImageRequest(RpcRequest):
    region_id: EcsRegionId
    image_id: Text
    force: bool = False
    dry_run: bool = False


class ModifyImageAttributeRequest(RpcRequest):
    region_id: EcsRegionId
    image_id: Text
    image_name: Text | None = None
    description: LongText | None = None
    image_family: Text | None = None
    boot_mode: Text | None = None
    status: Text | None = None
    license_type: Text | None = None
    dry_run: bool = False


class DescribeImageFromFamilyRequest(RpcRequest):
    region_id: EcsRegionId
    image_family: Text


def checked_name(value: str | None, message: str | None = None) -> str | None:
    if value is not None and not ecs.valid_name(value):
        raise ImageNameMalformed(message)
    return value


def checked_description(value: str | None, message: str | None = None) -> str | None:
    # An empty value is what SDKs send for "no description": not given.
    if not value:
        return None
    if not ecs.valid_description(value):
        raise DescriptionMalformed(message)
    return value


def copy_image(call: Call, req: CopyImageRequest) -> dict[str, Any]:
    order = service.CopyOrder(
        region_id=req.region_id,
        image_id=req.image_id,
        destination_region_id=req.destination_region_id or req.region_id,
        name=checked_name(req.destination_image_name),
        description=checked_description(req.destination_description),
        encrypted=req.encrypted,
        kms_key_id=req.kms_key_id or None,
        resource_group_id=req.resource_group_id or None,
        tags=checked_tags(req.tag),
    )
    how = operation_runs.start(call, Operation.ECS_COPY_IMAGE, order.region_id)
    image_id = service.copy_image(call.uow, call.principal.account_id, order, call.now, how)
    if req.dry_run:  # every check passed; the error rolls the copy back
        raise DryRunOperation()
    return {"ImageId": image_id}


def cancel_copy_image(call: Call, req: CancelCopyImageRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.cancel_copy(call.uow, owner, req.region_id, req.image_id, call.now)
    return {}


def delete_image(call: Call, req: DeleteImageRequest) -> dict[str, Any]:
    target = (req.region_id, req.image_id)
    service.delete_image(call.uow, call.principal.account_id, target, req.force, call.now)
    if req.dry_run:
        raise DryRunOperation()
    return {}


def _change(req: ModifyImageAttributeRequest) -> service.AttributeChange:
    family = req.image_family or None
    if family is not None and not ecs.valid_name(family):
        raise ImageFamilyMalformed()
    if req.boot_mode and req.boot_mode not in ecs.BOOT_MODES:
        raise BootModeNotSupported()
    if req.license_type and req.license_type != "BYOL":
        raise LicenseTypeNotSupported()
    if req.status and req.status not in (ecs.AVAILABLE, ecs.DEPRECATED):
        raise InvalidParameter(name="Status", reason="Valid values are Available and Deprecated.")
    return service.AttributeChange(
        name=checked_name(req.image_name or None, NAME_RULES),
        description=checked_description(req.description, DESCRIPTION_MALFORMED),
        family=family,
        boot_mode=req.boot_mode or None,
        status=req.status or None,
    )


def modify_image_attribute(call: Call, req: ModifyImageAttributeRequest) -> dict[str, Any]:
    target = (req.region_id, req.image_id)
    change = _change(req)
    service.modify_attributes(call.uow, call.principal.account_id, target, change, call.now)
    if req.dry_run:
        raise DryRunOperation()
    return {}


def describe_image_from_family(call: Call, req: DescribeImageFromFamilyRequest) -> dict[str, Any]:
    """The newest Available image of the family the caller may use, system or custom; an
    empty Image when there is none (docs/ecs.md)."""
    viewer, family = call.principal.account_id, req.image_family
    found = service.latest_in_family(call.uow, viewer, req.region_id, family, call.now)
    if found.custom is not None:
        return {"Image": custom_shape(call, found.custom, found.tags)}
    return {"Image": system_shape(found.system) if found.system else {}}


ACTIONS = (
    Action(
        product=ECS,
        name="CopyImage",
        request=CopyImageRequest,
        handler=copy_image,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="CancelCopyImage",
        request=CancelCopyImageRequest,
        handler=cancel_copy_image,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="DeleteImage",
        request=DeleteImageRequest,
        handler=delete_image,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="ModifyImageAttribute",
        request=ModifyImageAttributeRequest,
        handler=modify_image_attribute,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="DescribeImageFromFamily",
        request=DescribeImageFromFamilyRequest,
        handler=describe_image_from_family,
        resource=images_arn,
    ),
)
