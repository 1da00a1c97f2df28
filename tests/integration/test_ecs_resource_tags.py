"""Tags of ECS instances, disks and snapshots through the official ECS tea SDK: RunInstances
and CreateSnapshot Tag.N, the Tags of DescribeInstances/DescribeDisks/DescribeSnapshots and
their Tag.N filters, and TagResources/UntagResources/ListTagResources with ResourceType
instance, disk and snapshot."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support.ecs import OTHER_REGION, REGION
from support.errors import SdkError, tea_error
from support.world import AccountKeys, World

LINUX = "aliyun_3_x64_20G_alibase_20240819.vhd"
BAD_KEY = (400, "InvalidTagKey.Malformed", "The specified Tag.n.Key is not valid.")
BAD_VALUE = (400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.")
TOO_MANY = (400, "InvalidTagCount", "The specified tags are beyond the permitted range.")
MISSING = (
    404,
    "InvalidResourceId.NotFound",
    "The specified ResourceIds are not found in our records.",
)


def _wire(error: SdkError) -> tuple[int, str, str]:
    return (error.status, error.code, error.data["Message"])


def _run(world: World, who: AccountKeys, tags: dict[str, str], **extra: Any) -> str:
    request = ecs.RunInstancesRequest(
        region_id=extra.pop("region_id", REGION),
        image_id=LINUX,
        instance_type="ecs.g7.large",
        tag=[ecs.RunInstancesRequestTag(key=k, value=v) for k, v in tags.items()],
        **extra,
    )
    ids = world.ecs(who).run_instances(request).body.instance_id_sets.instance_id_set
    return str(ids[0])


def _pairs(tags: Any) -> set[tuple[str, str]]:
    return {(t["TagKey"], t["TagValue"]) for t in tags["Tag"]}


def _instances(world: World, who: AccountKeys, **query: Any) -> list[dict[str, Any]]:
    request = ecs.DescribeInstancesRequest(region_id=REGION, **query)
    found: list[dict[str, Any]] = (
        world.ecs(who).describe_instances(request).body.to_map()["Instances"]["Instance"]
    )
    return found


def _disks(world: World, who: AccountKeys, **query: Any) -> list[dict[str, Any]]:
    request = ecs.DescribeDisksRequest(region_id=REGION, **query)
    found: list[dict[str, Any]] = (
        world.ecs(who).describe_disks(request).body.to_map()["Disks"]["Disk"]
    )
    return found


def _listed(world: World, who: AccountKeys, kind: str, **query: Any) -> list[tuple[str, ...]]:
    request = ecs.ListTagResourcesRequest(region_id=REGION, resource_type=kind, **query)
    body = world.ecs(who).list_tag_resources(request).body
    return [
        (r.resource_id, r.resource_type, r.tag_key, r.tag_value)
        for r in body.tag_resources.tag_resource
    ]


def _tag(world: World, who: AccountKeys, kind: str, ids: list[str], **pairs: str) -> None:
    tags = [ecs.TagResourcesRequestTag(key=k, value=v) for k, v in pairs.items()]
    request = ecs.TagResourcesRequest(
        region_id=REGION, resource_type=kind, resource_id=ids, tag=tags
    )
    world.ecs(who).tag_resources(request)


def test_run_instances_tags_the_instance_and_its_disks(world: World) -> None:
    who = world.account()
    web = _run(
        world,
        who,
        {"team": "web", "env": "prod"},
        data_disk=[ecs.RunInstancesRequestDataDisk(size=40)],
    )
    api = _run(world, who, {"team": "api", "env": "prod"})
    bare = _run(world, who, {})
    shown = {i["InstanceId"]: _pairs(i["Tags"]) for i in _instances(world, who)}
    assert shown == {
        web: {("team", "web"), ("env", "prod")},
        api: {("team", "api"), ("env", "prod")},
        bare: set(),
    }
    disks = _disks(world, who, instance_id=web)
    assert len(disks) == 2
    assert all(_pairs(d["Tags"]) == {("team", "web"), ("env", "prod")} for d in disks)

    def tagged(**tags: str | None) -> set[str]:
        wanted = [ecs.DescribeInstancesRequestTag(key=k, value=v) for k, v in tags.items()]
        return {i["InstanceId"] for i in _instances(world, who, tag=wanted)}

    assert tagged(env="prod") == {web, api}
    assert tagged(team="web", env="prod") == {web}, "every tag asked for"
    assert tagged(team=None) == {web, api}, "a key without a value: any value"
    assert tagged(team="db") == set()
    by_tag = [ecs.DescribeDisksRequestTag(key="team", value="api")]
    assert {d["InstanceId"] for d in _disks(world, who, tag=by_tag)} == {api}
    listed = _listed(world, who, "instance")
    assert sorted(listed) == sorted(
        [(web, "instance", "env", "prod"), (web, "instance", "team", "web"),
         (api, "instance", "env", "prod"), (api, "instance", "team", "api")]
    )  # fmt: skip
    assert len(_listed(world, who, "disk")) == 6


@pytest.mark.parametrize(
    ("tags", "wire"),
    [
        ({"aliyun-team": "x"}, BAD_KEY),
        ({"acs:team": "x"}, BAD_KEY),
        ({"see http://x": "x"}, BAD_KEY),
        ({"team": "https://x"}, BAD_VALUE),
        ({f"k{n}": "v" for n in range(21)}, TOO_MANY),
    ],
)
def test_run_instances_refuses_bad_tags(
    world: World, tags: dict[str, str], wire: tuple[int, str, str]
) -> None:
    who = world.account()
    assert _wire(tea_error(lambda: _run(world, who, tags))) == wire
    assert _instances(world, who) == [], "a refused launch makes nothing"


def test_run_instances_refuses_a_key_twice_and_a_value_without_key(world: World) -> None:
    who = world.account()
    twice = [ecs.RunInstancesRequestTag(key="k", value="a"), ecs.RunInstancesRequestTag(key="k")]
    request = ecs.RunInstancesRequest(
        region_id=REGION, image_id=LINUX, instance_type="ecs.g7.large", tag=twice
    )
    error = tea_error(lambda: world.ecs(who).run_instances(request))
    assert (error.status, error.code) == (400, "Duplicate.TagKey")
    request.tag = [ecs.RunInstancesRequestTag(value="orphan")]
    error = tea_error(lambda: world.ecs(who).run_instances(request))
    assert (error.status, error.code) == (400, "InvalidTag.Mismatch")
    assert _instances(world, who) == []


def test_tag_resources_on_instances_disks_and_snapshots(world: World) -> None:
    who, stranger = world.account(), world.account()
    instance = _run(world, who, {})
    (disk,) = [d["DiskId"] for d in _disks(world, who, instance_id=instance)]
    client = world.ecs(who)
    snap = client.create_snapshot(
        ecs.CreateSnapshotRequest(
            disk_id=disk, tag=[ecs.CreateSnapshotRequestTag(key="kind", value="nightly")]
        )
    ).body.snapshot_id
    _tag(world, who, "instance", [instance], owner="ops", env="dev")
    _tag(world, who, "instance", [instance], env="prod")  # overwrites the value
    _tag(world, who, "disk", [disk], backup="daily")
    assert _pairs(_instances(world, who)[0]["Tags"]) == {("owner", "ops"), ("env", "prod")}
    assert _listed(world, who, "disk") == [(disk, "disk", "backup", "daily")]
    assert _listed(world, who, "snapshot") == [(snap, "snapshot", "kind", "nightly")]
    nightly = [ecs.DescribeSnapshotsRequestTag(key="kind", value="nightly")]
    found = client.describe_snapshots(
        ecs.DescribeSnapshotsRequest(region_id=REGION, tag=nightly)
    ).body.snapshots.snapshot
    assert [(s.snapshot_id, s.tags.tag[0].tag_key) for s in found] == [(snap, "kind")]
    untag = ecs.UntagResourcesRequest(
        region_id=REGION, resource_type="instance", resource_id=[instance], tag_key=["owner"]
    )
    client.untag_resources(untag)
    assert _listed(world, who, "instance") == [(instance, "instance", "env", "prod")]
    everything = ecs.UntagResourcesRequest(
        region_id=REGION, resource_type="snapshot", resource_id=[snap], all=True
    )
    client.untag_resources(everything)
    assert _listed(world, who, "snapshot") == []
    # Another account's instance, or one of the caller's named as a disk, is not found.
    stranger_tags = tea_error(lambda: _tag(world, stranger, "instance", [instance], a="b"))
    assert _wire(stranger_tags) == MISSING
    assert _wire(tea_error(lambda: _tag(world, who, "disk", [instance], a="b"))) == MISSING
    assert _listed(world, stranger, "instance") == []


def test_an_instance_in_another_region_is_not_found_there(world: World) -> None:
    who = world.account()
    far = _run(world, who, {}, region_id=OTHER_REGION)
    error = tea_error(lambda: _tag(world, who, "instance", [far], a="b"))
    assert error.code == "InvalidResourceId.NotFound"


def test_the_twenty_tag_quota_and_all_or_nothing(world: World) -> None:
    who = world.account()
    full = _run(world, who, {f"k{n}": "v" for n in range(20)})
    empty = _run(world, who, {})
    error = tea_error(lambda: _tag(world, who, "instance", [empty, full], extra="x"))
    assert (error.status, error.code) == (403, "OperationDenied.QuotaExceed")
    assert _pairs(_instances(world, who, instance_ids=f'["{empty}"]')[0]["Tags"]) == set()
    _tag(world, who, "instance", [full], k0="replaced")  # a key it has: still 20
    assert ("k0", "replaced") in _pairs(
        _instances(world, who, instance_ids=f'["{full}"]')[0]["Tags"]
    )


def test_deleting_an_instance_drops_its_and_its_disks_tags(world: World) -> None:
    who = world.account()
    instance = _run(world, who, {"team": "web"})
    world.ecs(who).delete_instance(ecs.DeleteInstanceRequest(instance_id=instance, force=True))
    assert _listed(world, who, "instance") == []
    assert _listed(world, who, "disk") == []
