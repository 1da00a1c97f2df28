"""ECS (2014-05-26) instances: RunInstances, DescribeInstances, StartInstance, StopInstance,
DeleteInstance, DeleteInstances. Networks, billing and zones are not emulated:
SecurityGroupId, VSwitchId and the like are accepted as given (docs/ecs.md)."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from pydantic import Field

from imageshare.api.ecs_params import (
    EcsRegionId,
    JsonIds,
    Paged,
    TagIn,
    Text,
    checked_tags,
    instance_arn,
    instances_arn,
    tag_filters,
    tagged_page,
    tags_shape,
)
from imageshare.api.models import IdempotentRequest, RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain.catalogue import instance_type
from imageshare.domain.ecs_instances import EcsInstance
from imageshare.domain.ecs_states import shown_status
from imageshare.errors import DryRunOperation
from imageshare.services import ecs_instances as service
from imageshare.services import ecs_resources

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
    tag: list[TagIn] | None = None
    dry_run: bool = False


class DescribeInstancesRequest(Paged):
    region_id: EcsRegionId
    instance_ids: JsonIds | None = None
    instance_name: Text | None = None  # "*" is a wildcard
    status: Text | None = None
    image_id: Text | None = None
    instance_type: Text | None = None
    zone_id: Text | None = None
    tag: list[TagIn] | None = None
    dry_run: bool = False


class InstanceRequest(RpcRequest):
    instance_id: Text
    dry_run: bool = False
    force: bool = False


class DeleteInstancesRequest(IdempotentRequest):
    region_id: EcsRegionId
    instance_id: list[Text] = Field(min_length=1, max_length=100)
    force: bool = False
    dry_run: bool = False


def moment(call: Call) -> service.Moment:
    """Now, and how long an instance takes to start or stop here."""
    return service.Moment(call.now, call.settings.ecs_instance_settle_seconds)


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
        tags=checked_tags(req.tag),
    )
    made = service.run_instances(call.uow, call.principal.account_id, order, moment(call))
    if req.dry_run:
        raise DryRunOperation()
    return {"InstanceIdSets": {"InstanceIdSet": made}, "OrderId": "", "TradePrice": 0.0}


def _instance(instance: EcsInstance, tags: list[tuple[str, str]], now: datetime) -> dict[str, Any]:
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
        "Status": shown_status(instance.passage, now),
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
        "Tags": tags_shape(tags),
        "SecurityGroupIds": {"SecurityGroupId": []},
        "PublicIpAddress": {"IpAddress": []},
        "InnerIpAddress": {"IpAddress": []},
    }


def describe_instances(call: Call, req: DescribeInstancesRequest) -> dict[str, Any]:
    page = req.window()
    if req.dry_run:
        raise DryRunOperation()
    # Filters combine with AND; an empty InstanceIds array is a filter too, matching nothing.
    # A value given empty (InstanceName=) does not filter.
    wanted = {
        "ids": req.instance_ids,
        "name": req.instance_name or None,
        "status": req.status or None,
        "image_id": req.image_id or None,
        "instance_type": req.instance_type or None,
        "zone_id": req.zone_id or None,
        "tags": tag_filters(req.tag),
        "now": call.now,
    }
    owner = call.principal.account_id
    listed = ecs_resources.instances(call.uow, owner, req.region_id, wanted, page)
    shape = functools.partial(_instance, now=call.now)
    return tagged_page(page, listed, ("Instances", "Instance"), shape)


def start_instance(call: Call, req: InstanceRequest) -> dict[str, Any]:
    service.set_running(call.uow, call.principal.account_id, req.instance_id, True, moment(call))
    if req.dry_run:
        raise DryRunOperation()
    return {}


def stop_instance(call: Call, req: InstanceRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.set_running(call.uow, owner, req.instance_id, False, moment(call))
    if req.dry_run:
        raise DryRunOperation()
    return {}


def delete_instance(call: Call, req: InstanceRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.delete_instances(call.uow, owner, [req.instance_id], req.force, call.now)
    if req.dry_run:
        raise DryRunOperation()
    return {}


def delete_instances(call: Call, req: DeleteInstancesRequest) -> dict[str, Any]:
    owner = call.principal.account_id
    service.delete_instances(call.uow, owner, req.instance_id, req.force, call.now)
    if req.dry_run:
        raise DryRunOperation()
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
)
