"""ECS (2014-05-26) disks: DescribeDisks and ReInitDisk. A disk is made with its instance
(RunInstances) and deleted with it."""

from __future__ import annotations

from typing import Any

from imageshare.api.ecs_instances import moment
from imageshare.api.ecs_params import (
    EcsRegionId,
    JsonIds,
    Paged,
    TagIn,
    Text,
    disk_arn,
    disks_arn,
    tag_filters,
    tagged_page,
    tags_shape,
)
from imageshare.api.models import RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain.ecs_instances import EcsDisk
from imageshare.domain.times import wire_time
from imageshare.services import ecs_instances as service
from imageshare.services import ecs_resources


class DescribeDisksRequest(Paged):
    region_id: EcsRegionId
    instance_id: Text | None = None
    disk_ids: JsonIds | None = None
    disk_type: Text | None = None
    tag: list[TagIn] | None = None


class ReInitDiskRequest(RpcRequest):
    disk_id: Text
    auto_start_instance: bool = False


def _disk(disk: EcsDisk, tags: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "DiskId": disk.id,
        "DiskName": "",
        "Description": "",
        "Type": disk.disk_type,
        "Category": disk.category,
        "Size": disk.size,
        "Device": disk.device,
        "InstanceId": disk.instance_id or "",
        "ImageId": disk.image_id or "",
        "SourceSnapshotId": disk.source_snapshot_id or "",
        "Status": "In_use" if disk.instance_id else "Available",
        "RegionId": disk.region_id,
        "ZoneId": f"{disk.region_id}-i",
        "CreationTime": wire_time(disk.created_at),
        "AttachedTime": wire_time(disk.created_at),
        "DeleteWithInstance": True,
        "Encrypted": False,
        "Portable": disk.disk_type == "data",
        "DiskChargeType": "PostPaid",
        "Tags": tags_shape(tags),
    }


def describe_disks(call: Call, req: DescribeDisksRequest) -> dict[str, Any]:
    page = req.window(500)
    wanted: dict[str, Any] = {
        "instance_id": req.instance_id or None,
        "ids": req.disk_ids,
        "tags": tag_filters(req.tag),
    }
    if req.disk_type and req.disk_type != "all":
        wanted["disk_type"] = req.disk_type
    owner = call.principal.account_id
    listed = ecs_resources.disks(call.uow, owner, req.region_id, wanted, page)
    return tagged_page(page, listed, ("Disks", "Disk"), _disk)


def reinit_disk(call: Call, req: ReInitDiskRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.reinit_disk(call.uow, owner, req.disk_id, req.auto_start_instance, moment(call))
    return {}


ACTIONS = (
    Action(
        product=ECS,
        name="DescribeDisks",
        request=DescribeDisksRequest,
        handler=describe_disks,
        resource=disks_arn,
    ),
    Action(
        product=ECS,
        name="ReInitDisk",
        request=ReInitDiskRequest,
        handler=reinit_disk,
        resource=disk_arn,
        mutating=True,
    ),
)
