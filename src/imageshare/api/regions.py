"""Region listings: SWAS ListRegions, ECD DescribeRegions, ECS DescribeRegions."""

from __future__ import annotations

from typing import Any

from imageshare.api.models import RpcRequest
from imageshare.api.products import ECD, ECS, SWAS
from imageshare.api.registry import Action, Call
from imageshare.domain.regions import ECD_REGIONS, ECS_REGIONS, SWAS_REGIONS, Region


class ListRegionsRequest(RpcRequest):
    accept_language: str | None = None


class EcdDescribeRegionsRequest(RpcRequest):
    region_id: str  # required by ECD, though the answer does not depend on it
    accept_language: str | None = None


class EcsDescribeRegionsRequest(RpcRequest):
    accept_language: str | None = None
    instance_charge_type: str | None = None
    resource_type: str | None = None


def _region(region: Region, host: str, language: str | None) -> dict[str, Any]:
    return {
        "RegionId": region.id,
        "LocalName": region.local_name(language),
        "RegionEndpoint": host.format(region=region.id),
    }


def swas_list_regions(_call: Call, req: ListRegionsRequest) -> dict[str, Any]:
    return {"Regions": [_region(r, SWAS.host_pattern, req.accept_language) for r in SWAS_REGIONS]}


def ecd_describe_regions(_call: Call, req: EcdDescribeRegionsRequest) -> dict[str, Any]:
    return {"Regions": [_region(r, ECD.host_pattern, req.accept_language) for r in ECD_REGIONS]}


def ecs_describe_regions(_call: Call, req: EcsDescribeRegionsRequest) -> dict[str, Any]:
    # ECS wraps every list in an object named after the item: {"Regions": {"Region": [...]}}.
    items = [
        {**_region(r, ECS.host_pattern, req.accept_language), "Status": "available"}
        for r in ECS_REGIONS
    ]
    return {"Regions": {"Region": items}}


ACTIONS = (
    Action(product=SWAS, name="ListRegions", request=ListRegionsRequest, handler=swas_list_regions),
    Action(
        product=ECD,
        name="DescribeRegions",
        request=EcdDescribeRegionsRequest,
        handler=ecd_describe_regions,
    ),
    Action(
        product=ECS,
        name="DescribeRegions",
        request=EcsDescribeRegionsRequest,
        handler=ecs_describe_regions,
    ),
)
