"""ECS (2014-05-26) instances: RunInstances, DescribeInstances, StartInstance, StopInstance,
DeleteInstance, DeleteInstances, DescribeDisks, ReInitDisk. Networks, billing and zones are
not emulated: SecurityGroupId, VSwitchId and the like are accepted as given (docs/ecs.md)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from imageshare.api.ecs_params import (
    EcsRegionId,
    JsonIds,
    PageNumber,
    PageSize,
    Text,
    disk_arn,
    disks_arn,
    instance_arn,
    instances_arn,
    resource_page,
)
from imageshare.api.models import IdempotentRequest, RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain.catalogue import instance_type
from imageshare.domain.ecs_instances import EcsDisk, EcsInstance
from imageshare.domain.paging import Page
from imageshare.domain.times import wire_time
from imageshare.errors import DryRunOperation
from imageshare.services import ecs_instances as service

DiskSize = Field(default=None, ge=20, le=32768)


class SystemDiskIn(RpcRequest):
    size: int | None = DiskSize
    category: Text = "cloud_essd"


class DataDiskIn(RpcRequest):
    size: int | None = DiskSize
    category: Text = "cloud_essd"
    snapshot_id: Text | None = None


class RunInstancesRequest(IdempotentRequest):
    region_id: EcsRegionId
    image_id: Text
    instance_type: Text
    amount: int = Field(default=1, ge=1, le=100)
    instance_name: Text | None = None
    zone_id: Text | None = None
    system_disk: SystemDiskIn = SystemDiskIn()
    data_disk: list[DataDiskIn] = Field(default=[], max_length=16)
    security_group_id: Text | None = None  # accepted, not emulated
    v_switch_id: Text | None = Field(default=None, alias="VSwitchId")  # accepted, not emulated
    dry_run: bool = False


class DescribeInstancesRequest(RpcRequest):
    region_id: EcsRegionId
    instance_ids: JsonIds | None = None
    page_number: PageNumber = 1
    page_size: PageSize = 10


class InstanceRequest(RpcRequest):
    instance_id: Text
    dry_run: bool = False
    force: bool = False


class DeleteInstancesRequest(IdempotentRequest):
    region_id: EcsRegionId
    instance_id: list[Text] = Field(min_length=1, max_length=100)
    force: bool = False
    dry_run: bool = False


class DescribeDisksRequest(RpcRequest):
    region_id: EcsRegionId
    instance_id: Text | None = None
    disk_ids: JsonIds | None = None
    disk_type: Text | None = None
    page_number: PageNumber = 1
    page_size: PageSize = 10


class ReInitDiskRequest(RpcRequest):
    disk_id: Text
    auto_start_instance: bool = False


def run_instances(call: Call, req: RunInstancesRequest) -> dict[str, Any]:
    order = service.LaunchOrder(
        region_id=req.region_id,
        image_id=req.image_id,
        instance_type=req.instance_type,
        amount=req.amount,
        name=req.instance_name or None,
        zone_id=req.zone_id or None,
        system_disk=service.DiskOrder(req.system_disk.size, req.system_disk.category),
        data_disks=[service.DiskOrder(d.size, d.category, d.snapshot_id) for d in req.data_disk],
    )
    made = service.run_instances(call.uow, call.principal.account_id, order, call.now)
    if req.dry_run:
        raise DryRunOperation()
    return {"InstanceIdSets": {"InstanceIdSet": made}, "OrderId": "", "TradePrice": 0.0}


def _instance(instance: EcsInstance) -> dict[str, Any]:
    kind = instance_type(instance.instance_type)
    cpu, memory = (kind.cpu, int(kind.memory * 1024)) if kind else (0, 0)
    return {
        "InstanceId": instance.id,
        "InstanceName": instance.name,
        "HostName": instance.id,
        "Description": "",
        "ImageId": instance.image_id,
        "InstanceType": instance.instance_type,
        "InstanceTypeFamily": instance.instance_type.rsplit(".", 1)[0],
        "Cpu": cpu,
        "Memory": memory,
        "OSType": instance.os_type,
        "Status": instance.status,
        "RegionId": instance.region_id,
        "ZoneId": instance.zone_id,
        # Instance times are minutes, as ECS writes them.
        "CreationTime": instance.created_at.strftime("%Y-%m-%dT%H:%MZ"),
        "StartTime": instance.created_at.strftime("%Y-%m-%dT%H:%MZ"),
        "ExpiredTime": "2099-12-31T15:59Z",
        "InstanceChargeType": "PostPaid",
        "InternetChargeType": "PayByTraffic",
        "InstanceNetworkType": "vpc",
        "StoppedMode": "Not-applicable",
        "IoOptimized": True,
        "DeletionProtection": False,
        "Tags": {"Tag": []},
        "SecurityGroupIds": {"SecurityGroupId": []},
        "PublicIpAddress": {"IpAddress": []},
        "InnerIpAddress": {"IpAddress": []},
    }


def describe_instances(call: Call, req: DescribeInstancesRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    owner = call.principal.account_id
    total, found = call.uow.ecs_instances.instances(
        owner, req.region_id, req.instance_ids, page.offset, page.size
    )
    return resource_page(page, total, "Instances", "Instance", [_instance(i) for i in found])


def start_instance(call: Call, req: InstanceRequest) -> dict[str, Any]:
    service.set_running(call.uow, call.principal.account_id, req.instance_id, True)
    if req.dry_run:
        raise DryRunOperation()
    return {}


def stop_instance(call: Call, req: InstanceRequest) -> dict[str, Any]:
    service.set_running(call.uow, call.principal.account_id, req.instance_id, False)
    if req.dry_run:
        raise DryRunOperation()
    return {}


def delete_instance(call: Call, req: InstanceRequest) -> dict[str, Any]:
    service.delete_instances(call.uow, call.principal.account_id, [req.instance_id], req.force)
    if req.dry_run:
        raise DryRunOperation()
    return {}


def delete_instances(call: Call, req: DeleteInstancesRequest) -> dict[str, Any]:
    service.delete_instances(call.uow, call.principal.account_id, req.instance_id, req.force)
    if req.dry_run:
        raise DryRunOperation()
    return {}


def _disk(disk: EcsDisk) -> dict[str, Any]:
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
        "Tags": {"Tag": []},
    }


def describe_disks(call: Call, req: DescribeDisksRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    wanted = {"instance_id": req.instance_id or None, "ids": req.disk_ids}
    if req.disk_type and req.disk_type != "all":
        wanted["disk_type"] = req.disk_type
    owner = call.principal.account_id
    total, found = call.uow.ecs_instances.disks(
        owner, req.region_id, wanted, page.offset, page.size
    )
    return resource_page(page, total, "Disks", "Disk", [_disk(d) for d in found])


def reinit_disk(call: Call, req: ReInitDiskRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.reinit_disk(call.uow, owner, req.disk_id, req.auto_start_instance, call.now)
    return {}


ACTIONS = (
    Action(
        product=ECS,
        name="RunInstances",
        request=RunInstancesRequest,
        handler=run_instances,
        resource=instances_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="DescribeInstances",
        request=DescribeInstancesRequest,
        handler=describe_instances,
        resource=instances_arn,
    ),
    Action(
        product=ECS,
        name="StartInstance",
        request=InstanceRequest,
        handler=start_instance,
        resource=instance_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="StopInstance",
        request=InstanceRequest,
        handler=stop_instance,
        resource=instance_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="DeleteInstance",
        request=InstanceRequest,
        handler=delete_instance,
        resource=instance_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="DeleteInstances",
        request=DeleteInstancesRequest,
        handler=delete_instances,
        resource=instances_arn,
        mutating=True,
    ),
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
