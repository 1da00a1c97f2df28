"""ECS (2014-05-26) snapshots and CreateImage: CreateSnapshot, DescribeSnapshots,
DeleteSnapshot, and CreateImage from an instance, a snapshot or DiskDeviceMapping.N."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import Field

from imageshare.api import operation_runs
from imageshare.api.ecs_lifecycle import checked_description, checked_name
from imageshare.api.ecs_params import (
    EcsRegionId,
    JsonIds,
    LongText,
    Paged,
    TagIn,
    Text,
    checked_tags,
    disk_arn,
    images_arn,
    snapshot_arn,
    snapshots_arn,
    tag_filters,
    tagged_page,
    tags_shape,
)
from imageshare.api.models import IdempotentRequest, RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain import ecs
from imageshare.domain.ecs import CREATE_FAILED
from imageshare.domain.ecs_instances import EcsSnapshot
from imageshare.domain.operations import Operation
from imageshare.domain.times import wire_time
from imageshare.errors import (
    BootModeNotSupported,
    DryRunOperation,
    ImageFamilyMalformed,
    MissingParameter,
)
from imageshare.services import ecs_images, ecs_instances, ecs_resources


class CreateSnapshotRequest(IdempotentRequest):
    disk_id: Text
    snapshot_name: Text | None = Field(default=None, min_length=2, max_length=128)
    description: LongText = ""
    tag: list[TagIn] | None = None


class DescribeSnapshotsRequest(Paged):
    region_id: EcsRegionId
    instance_id: Text | None = None
    disk_id: Text | None = None
    snapshot_ids: JsonIds | None = None
    tag: list[TagIn] | None = None


class DeleteSnapshotRequest(RpcRequest):
    snapshot_id: Text
    force: bool = False


class MappingIn(RpcRequest):
    snapshot_id: Text | None = None
    device: Text | None = None
    size: int | None = Field(default=None, ge=1, le=32768)
    disk_type: Text | None = None


class CreateImageRequest(IdempotentRequest):
    region_id: EcsRegionId
    instance_id: Text | None = None
    snapshot_id: Text | None = None
    disk_device_mapping: list[MappingIn] = Field(default=[], max_length=17)
    image_name: Text | None = None
    description: LongText | None = None
    image_family: Text | None = None
    boot_mode: Text | None = None
    platform: Text | None = None
    architecture: Text | None = None
    resource_group_id: Text | None = None
    tag: list[TagIn] | None = None
    dry_run: bool = False


def create_snapshot(call: Call, req: CreateSnapshotRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    named = (req.snapshot_name, req.description)
    tags = checked_tags(req.tag)
    made = ecs_instances.create_snapshot(call.uow, owner, req.disk_id, named, call.now, tags)
    return {"SnapshotId": made}


def _snapshot(snapshot: EcsSnapshot, tags: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "SnapshotId": snapshot.id,
        "SnapshotName": snapshot.name,
        "Description": snapshot.description,
        "SourceDiskId": snapshot.disk_id,
        "SourceDiskType": snapshot.source_disk_type,
        "SourceDiskSize": str(snapshot.size),  # a string in the SDK model
        "Status": "accomplished",
        "Progress": "100%",
        "RemainTime": 0,
        "Available": True,
        "Encrypted": False,
        "Category": "standard",
        "SnapshotType": "user",
        "Usage": "none",
        "RegionId": snapshot.region_id,
        "CreationTime": wire_time(snapshot.created_at),
        "LastModifiedTime": wire_time(snapshot.created_at),
        "Tags": tags_shape(tags),
    }


def describe_snapshots(call: Call, req: DescribeSnapshotsRequest) -> dict[str, Any]:
    page = req.window()
    wanted = {
        "instance_id": req.instance_id or None,
        "disk_id": req.disk_id or None,
        "ids": req.snapshot_ids,
        "tags": tag_filters(req.tag),
    }
    owner = call.principal.account_id
    listed = ecs_resources.snapshots(call.uow, owner, req.region_id, wanted, page)
    return tagged_page(page, listed, ("Snapshots", "Snapshot"), _snapshot)


def delete_snapshot(call: Call, req: DeleteSnapshotRequest) -> dict[str, Any]:
    ecs_instances.delete_snapshot(call.uow, call.principal.account_id, req.snapshot_id)
    return {}


def _source(req: CreateImageRequest) -> ecs_images.ImageSource:
    mapped = next((m.snapshot_id for m in req.disk_device_mapping if m.snapshot_id), None)
    snapshot_id = req.snapshot_id or mapped
    if not (req.instance_id or snapshot_id):
        raise MissingParameter(name="InstanceId")
    return ecs_images.ImageSource(req.instance_id or None, None if req.instance_id else snapshot_id)


def create_image(call: Call, req: CreateImageRequest) -> dict[str, Any]:
    family = req.image_family or None
    if family is not None and not ecs.valid_name(family):
        raise ImageFamilyMalformed()
    if req.boot_mode and req.boot_mode not in ecs.BOOT_MODES:
        raise BootModeNotSupported()
    order = ecs_images.ImageOrder(
        region_id=req.region_id,
        name=checked_name(req.image_name or None, "The specified Image name is wrongly formed.")
        or "",
        description=checked_description(
            req.description, "The specified description is wrongly formed."
        )
        or "",
        family=family,
        boot_mode=req.boot_mode or "BIOS",
        resource_group_id=req.resource_group_id or None,
        tags=checked_tags(req.tag),
    )
    how = operation_runs.start(call, Operation.ECS_CREATE_IMAGE, req.region_id)
    if how.fails:
        order = replace(order, status=CREATE_FAILED)
    owner = call.principal.account_id
    made = ecs_images.image_from(call.uow, owner, _source(req), order, (call.now, how.ready_at))
    if req.dry_run:
        raise DryRunOperation()
    return {"ImageId": made}


ACTIONS = (
    Action(
        product=ECS,
        name="CreateSnapshot",
        request=CreateSnapshotRequest,
        handler=create_snapshot,
        resource=disk_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="DescribeSnapshots",
        request=DescribeSnapshotsRequest,
        handler=describe_snapshots,
        resource=snapshots_arn,
    ),
    Action(
        product=ECS,
        name="DeleteSnapshot",
        request=DeleteSnapshotRequest,
        handler=delete_snapshot,
        resource=snapshot_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="CreateImage",
        request=CreateImageRequest,
        handler=create_image,
        resource=images_arn,
        mutating=True,
    ),
)
