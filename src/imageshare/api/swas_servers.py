"""SWAS actions on the way to a custom image: plans, servers, disks, snapshots."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from imageshare.api.models import IdempotentRequest, RpcRequest
from imageshare.api.products import SWAS
from imageshare.api.registry import Action, Call
from imageshare.api.swas_params import (
    IdsUpTo100,
    PageNumber,
    PageSizeUpTo100,
    ResourceGroupId,
    SwasRegionId,
    Tag,
)
from imageshare.domain.paging import Page
from imageshare.domain.swas import Disk, Snapshot
from imageshare.domain.swas_plans import PLANS, Plan
from imageshare.domain.times import wire_time
from imageshare.services import swas_servers as servers
from imageshare.store.swas import DiskFilter, SnapshotFilter


class ListPlansRequest(RpcRequest):
    region_id: SwasRegionId


class CreateInstancesRequest(IdempotentRequest):
    region_id: SwasRegionId
    image_id: str
    plan_id: str
    period: int
    amount: int = 1
    data_disk_size: int | None = None
    charge_type: str | None = None
    auto_renew: bool = False
    auto_renew_period: int | None = None


class ListInstancesRequest(RpcRequest):
    region_id: SwasRegionId
    instance_ids: IdsUpTo100 | None = None
    page_number: PageNumber = 1
    page_size: PageSizeUpTo100 = 10


class ListDisksRequest(RpcRequest):
    region_id: SwasRegionId
    instance_id: str | None = None
    disk_ids: IdsUpTo100 | None = None
    disk_type: str | None = None
    page_number: PageNumber = 1
    page_size: PageSizeUpTo100 = 10


class CreateSnapshotRequest(IdempotentRequest):
    region_id: SwasRegionId
    disk_id: str
    snapshot_name: str
    resource_group_id: ResourceGroupId | None = None
    tag: list[Tag] = []


class ListSnapshotsRequest(RpcRequest):
    region_id: SwasRegionId
    instance_id: str | None = None
    disk_id: str | None = None
    snapshot_ids: IdsUpTo100 | None = None
    source_disk_type: str | None = None
    page_number: PageNumber = 1
    page_size: PageSizeUpTo100 = 10


def _plan(plan: Plan, region_id: str) -> dict[str, Any]:
    # SDK 4.0.0 declares OriginPrice and PublicIpNum strings, Memory a float.
    return {
        "PlanId": plan.id,
        "Core": plan.core,
        "Memory": float(plan.memory),
        "DiskSize": plan.disk_size,
        "Bandwidth": plan.bandwidth,
        "Flow": plan.flow,
        "DiskType": plan.disk_type,
        "OriginPrice": f"{plan.price:g}",
        "Currency": "CNY" if region_id.startswith("cn-") else "USD",
        "SupportPlatform": json.dumps(list(plan.platforms)),
        "PlanType": plan.plan_type,
        "PublicIpNum": "1",
        "IspType": "BGP",
        "Tags": [],
    }


def list_plans(_call: Call, req: ListPlansRequest) -> dict[str, Any]:
    return {"Plans": [_plan(plan, req.region_id) for plan in PLANS]}


def create_instances(call: Call, req: CreateInstancesRequest) -> dict[str, Any]:
    order = servers.Order(
        region_id=req.region_id,
        image_id=req.image_id,
        plan_id=req.plan_id,
        period=req.period,
        amount=req.amount,
        data_disk_size=req.data_disk_size,
        charge_type=req.charge_type,
    )
    ids = servers.create_instances(call.uow, call.principal.account_id, order, call.now)
    return {"InstanceIds": ids}


def _addresses(instance_id: str) -> tuple[str, str]:
    # Stable, made-up addresses: the same server always reports the same ones.
    a, b, c, d = hashlib.sha256(instance_id.encode()).digest()[:4]
    return f"47.{a % 128 + 64}.{b}.{c % 254 + 1}", f"172.26.{d}.{c % 254 + 1}"


def _disk(disk: Disk, tags_key: str = "Tags") -> dict[str, Any]:
    return {
        "DiskId": disk.id,
        "DiskName": f"{disk.disk_type}Disk",
        "DiskType": disk.disk_type,
        "Category": disk.category,
        "Size": disk.size,
        "Device": disk.device,
        "Status": "In_use",
        "DiskChargeType": "PrePaid",
        "CreationTime": wire_time(disk.created_at),
        "RegionId": disk.region_id,
        "Remark": "",
        "ResourceGroupId": "",
        tags_key: [],
    }


def _instance(view: servers.InstanceView) -> dict[str, Any]:
    instance, plan = view.instance, view.plan
    public_ip, inner_ip = _addresses(instance.id)
    return {
        "InstanceId": instance.id,
        "InstanceName": instance.name,
        "Status": instance.status,
        "RegionId": instance.region_id,
        "PlanId": plan.id,
        "PlanType": plan.plan_type,
        "ImageId": instance.image_id,
        "PublicIpAddress": public_ip,
        "InnerIpAddress": inner_ip,
        "ChargeType": "PrePaid",
        "CreationTime": wire_time(instance.created_at),
        "ExpiredTime": wire_time(instance.expires_at),
        "BusinessStatus": "Normal",
        "DdosStatus": "Normal",
        "DisableReason": "",
        "Combination": False,
        "CombinationInstanceId": "",
        "Uuid": str(uuid.uuid5(uuid.NAMESPACE_OID, instance.id)),
        "ResourceGroupId": "",
        "ResourceSpec": _resource_spec(plan),
        "Image": _image_of(view),
        "NetworkAttributes": [_network(public_ip, inner_ip, plan)],
        "Tags": [],
        "Disks": [_disk(disk, "DiskTags") for disk in view.disks],
    }


def _network(public_ip: str, inner_ip: str, plan: Plan) -> dict[str, Any]:
    return {
        "PublicIpAddress": public_ip,
        "PrivateIpAddress": inner_ip,
        "PeakBandwidth": plan.bandwidth,
        "PublicIpDdosStatus": "Normal",
    }


def _resource_spec(plan: Plan) -> dict[str, Any]:
    return {
        "DiskCategory": plan.disk_type,
        "Cpu": plan.core,
        "Bandwidth": plan.bandwidth,
        "DiskSize": plan.disk_size,
        "Memory": float(plan.memory),
        "Flow": float(plan.flow),
    }


def _image_of(view: servers.InstanceView) -> dict[str, Any]:
    image = view.image
    return {
        "OsType": image.platform.lower() if image else "",
        "ImageName": image.name if image else "",
        "ImageVersion": "",
        "ImageType": image.type if image else "custom",
        "ImageIconUrl": "",
        "ImageContact": "",
    }


def _paged(total: int, page: Page, key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"TotalCount": total, "PageNumber": page.number, "PageSize": page.size, key: items}


def list_instances(call: Call, req: ListInstancesRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    owner = call.principal.account_id
    total, views = servers.list_instances(call.uow, owner, req.region_id, req.instance_ids, page)
    return _paged(total, page, "Instances", [_instance(view) for view in views])


def list_disks(call: Call, req: ListDisksRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    where = DiskFilter(
        call.principal.account_id, req.region_id, req.instance_id, req.disk_ids, req.disk_type
    )
    total, disks = servers.list_disks(call.uow, where, page)
    items = [{**_disk(d), "InstanceId": d.instance_id, "InstanceName": name} for d, name in disks]
    return _paged(total, page, "Disks", items)


def create_snapshot(call: Call, req: CreateSnapshotRequest) -> dict[str, Any]:
    order = servers.SnapshotOrder(req.region_id, req.disk_id, req.snapshot_name)
    snapshot_id = servers.create_snapshot(call.uow, call.principal.account_id, order, call.now)
    return {"SnapshotId": snapshot_id}


def _snapshot(snapshot: Snapshot) -> dict[str, Any]:
    created = wire_time(snapshot.created_at)
    system = snapshot.source_disk_type == "System"
    return {
        "SnapshotId": snapshot.id,
        "SnapshotName": snapshot.name,
        "Status": snapshot.status,
        "Progress": "100%",
        "CreationTime": created,
        "SourceDiskId": snapshot.disk_id,
        "SourceDiskType": snapshot.source_disk_type,
        "RegionId": snapshot.region_id,
        # The real service fills InstanceId for system-disk snapshots only.
        "InstanceId": snapshot.instance_id if system else "",
        "Remark": "",
        "RollbackTime": "",
        "ResourceGroupId": "",
        "Tags": [],
    }


def list_snapshots(call: Call, req: ListSnapshotsRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    where = SnapshotFilter(
        account_id=call.principal.account_id,
        region_id=req.region_id,
        instance_id=req.instance_id,
        disk_id=req.disk_id,
        snapshot_ids=req.snapshot_ids,
        source_disk_type=req.source_disk_type,
    )
    total, snapshots = servers.list_snapshots(call.uow, where, page)
    return _paged(total, page, "Snapshots", [_snapshot(s) for s in snapshots])


ACTIONS = (
    Action(product=SWAS, name="ListPlans", request=ListPlansRequest, handler=list_plans),
    Action(
        product=SWAS,
        name="CreateInstances",
        request=CreateInstancesRequest,
        handler=create_instances,
        mutating=True,
    ),
    Action(
        product=SWAS, name="ListInstances", request=ListInstancesRequest, handler=list_instances
    ),
    Action(product=SWAS, name="ListDisks", request=ListDisksRequest, handler=list_disks),
    Action(
        product=SWAS,
        name="CreateSnapshot",
        request=CreateSnapshotRequest,
        handler=create_snapshot,
        mutating=True,
    ),
    Action(
        product=SWAS, name="ListSnapshots", request=ListSnapshotsRequest, handler=list_snapshots
    ),
)
