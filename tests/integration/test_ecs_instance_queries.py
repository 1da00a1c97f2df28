"""DescribeInstances' filters and both ways of paging, the architecture an instance type runs,
and DescribeDisks/DescribeSnapshots paged by NextToken, through the official ECS tea SDK."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support.ecs import REGION, ecs_image, unique
from support.errors import tea_error
from support.world import AccountKeys, World

X86 = "aliyun_3_x64_20G_alibase_20240819.vhd"
ARM = "aliyun_3_arm64_20G_alibase_20240819.vhd"
NOT_SUPPORTED = (
    403,
    "ImageNotSupportInstanceType",
    "The specified image does not support the specified InstanceType.",
)


def _run(world: World, who: AccountKeys, image: str, kind: str, **extra: Any) -> list[str]:
    request = ecs.RunInstancesRequest(region_id=REGION, image_id=image, instance_type=kind, **extra)
    ids: list[str] = world.ecs(who).run_instances(request).body.instance_id_sets.instance_id_set
    return ids


def _listed(world: World, who: AccountKeys, **filters: Any) -> dict[str, Any]:
    request = ecs.DescribeInstancesRequest(region_id=REGION, **filters)
    body: dict[str, Any] = world.ecs(who).describe_instances(request).body.to_map()
    return body


def _ids(world: World, who: AccountKeys, **filters: Any) -> set[str]:
    return {i["InstanceId"] for i in _listed(world, who, **filters)["Instances"]["Instance"]}


@pytest.mark.parametrize(
    ("image", "kind"),
    [(ARM, "ecs.g7.large"), (ARM, "ecs.t6-c1m1.large"), (X86, "ecs.g8y.large")],
)
def test_an_image_runs_only_on_a_type_of_its_architecture(
    world: World, image: str, kind: str
) -> None:
    who = world.account()
    error = tea_error(lambda: _run(world, who, image, kind))
    assert (error.status, error.code, error.data["Message"]) == NOT_SUPPORTED
    assert _listed(world, who)["TotalCount"] == 0, "a refused launch makes nothing"


def test_matching_architectures_launch(world: World) -> None:
    who = world.account()
    arm_custom = ecs_image(world, who, architecture="arm64")
    assert len(_run(world, who, ARM, "ecs.g8y.large")) == 1
    assert len(_run(world, who, arm_custom, "ecs.g8y.large")) == 1
    error = tea_error(lambda: _run(world, who, arm_custom, "ecs.c7.large"))
    assert error.code == "ImageNotSupportInstanceType"


def test_describe_instances_filters(world: World) -> None:
    who = world.account()
    web = _run(world, who, X86, "ecs.g7.large", instance_name="web-1", zone_id="cn-hangzhou-k")
    api = _run(world, who, X86, "ecs.c7.large", instance_name="api_1", amount=2)
    arm = _run(world, who, ARM, "ecs.g8y.large", instance_name="web-arm")
    world.ecs(who).stop_instance(ecs.StopInstanceRequest(instance_id=api[0]))
    assert _ids(world, who, instance_name="web-1") == set(web)
    assert _ids(world, who, instance_name="web*") == set(web + arm)
    assert _ids(world, who, instance_name="*1") == set(web + api)
    assert _ids(world, who, instance_name="api%1") == set(), "% is literal, * the wildcard"
    assert _ids(world, who, instance_name="api_1") == set(api), "_ is literal"
    assert _ids(world, who, status="Stopped") == {api[0]}
    assert _ids(world, who, status="Running") == set(web + arm + api[1:])
    assert _ids(world, who, status="Starting") == set()
    assert _ids(world, who, image_id=ARM) == set(arm)
    assert _ids(world, who, instance_type="ecs.c7.large") == set(api)
    assert _ids(world, who, zone_id="cn-hangzhou-k") == set(web)
    assert _ids(world, who, instance_type="ecs.c7.large", status="Running") == {api[1]}
    assert _ids(world, who, instance_ids="[]") == set(), "an empty array matches nothing"
    assert _ids(world, who, instance_name="") == set(web + api + arm), "empty: no filter"
    assert _ids(world, world.account(), image_id=ARM) == set(), "only the caller's own"


def test_describe_instances_pages_by_next_token(world: World) -> None:
    who = world.account()
    made = set(_run(world, who, X86, "ecs.g7.large", amount=12))
    first = _listed(world, who, max_results=5)
    assert (first["TotalCount"], first["PageSize"], first["PageNumber"]) == (12, 10, 1)
    assert len(first["Instances"]["Instance"]) == 10, "MaxResults below 10 counts as 10"
    assert isinstance(first["NextToken"], str) and first["NextToken"]
    second = _listed(world, who, next_token=first["NextToken"], max_results=10)
    assert second["NextToken"] == "" and second["PageNumber"] == 2
    seen = [i["InstanceId"] for page in (first, second) for i in page["Instances"]["Instance"]]
    assert len(seen) == 12 and set(seen) == made
    # Either one switches NextToken paging on; PageNumber then does not take effect.
    again = _listed(world, who, next_token=first["NextToken"], page_number=5)
    assert [i["InstanceId"] for i in again["Instances"]["Instance"]] == seen[10:]
    big = _listed(world, who, max_results=1000)
    assert big["PageSize"] == 100 and big["NextToken"] == "", "above 100 counts as 100"
    numbered = _listed(world, who, page_number=2, page_size=5)
    assert numbered["NextToken"] == "" and len(numbered["Instances"]["Instance"]) == 5


@pytest.mark.parametrize("token", ["abc", "-1", "1.5", "٣", "²"])
def test_a_next_token_this_server_did_not_issue(world: World, token: str) -> None:
    error = tea_error(lambda: _listed(world, world.account(), next_token=token))
    assert (error.status, error.code, error.data["Message"]) == (
        400,
        "InValidParameter.NextToken",
        "The parameter NextToken is invalid.",
    )


def test_a_next_token_past_every_row_is_an_empty_last_page(world: World) -> None:
    page = _listed(world, world.account(), next_token="1" * 30)
    assert (page["Instances"]["Instance"], page["NextToken"]) == ([], "")


def test_describe_instances_dry_run(world: World) -> None:
    error = tea_error(lambda: _listed(world, world.account(), dry_run=True))
    assert (error.status, error.code) == (400, "DryRunOperation")


def test_disks_and_snapshots_page_by_next_token(world: World) -> None:
    who = world.account()
    data = [ecs.RunInstancesRequestDataDisk(size=20 + n) for n in range(11)]
    (instance,) = _run(world, who, X86, "ecs.g7.large", data_disk=data)
    client = world.ecs(who)
    request = ecs.DescribeDisksRequest(region_id=REGION, max_results=10)
    first = client.describe_disks(request).body
    assert len(first.disks.disk) == 10 and first.next_token and first.total_count == 12
    request = ecs.DescribeDisksRequest(region_id=REGION, next_token=first.next_token)
    rest = client.describe_disks(request).body
    assert len(rest.disks.disk) == 2 and rest.next_token == ""
    for disk in first.disks.disk[:3]:
        made = ecs.CreateSnapshotRequest(disk_id=disk.disk_id, snapshot_name=unique("snap"))
        client.create_snapshot(made)
    snapshots = client.describe_snapshots(
        ecs.DescribeSnapshotsRequest(region_id=REGION, instance_id=instance, max_results=500)
    ).body
    assert len(snapshots.snapshots.snapshot) == 3 and snapshots.page_size == 100
