"""The path to a custom image through the official tea SDK: plans, servers, disks,
snapshots and the image catalogue, with their documented errors."""

from __future__ import annotations

import json

from alibabacloud_swas_open20200601 import models as swas
from support.errors import tea_error
from support.swas import LINUX_IMAGE, PLAN, REGION, disk_of, server, snapshot, unique
from support.world import World

WINDOWS_IMAGE = "b5d02e8c7f3a4e6d9c1a2b3c4d5e6f70"
LINUX_ONLY_PLAN = "swas.s1.c1m1s40b3t05"
PLAN_WITH_DATA_DISK = "swas.s2.c2m4s80b5t10"


def test_list_plans_types_match_the_sdk_model(world: World) -> None:
    body = world.swas(world.account()).list_plans(swas.ListPlansRequest(region_id=REGION)).body
    plans = {plan.plan_id: plan for plan in body.plans}
    first = plans[PLAN]
    assert (first.core, first.memory, first.disk_size, first.bandwidth) == (2, 1.0, 40, 3)
    assert isinstance(first.origin_price, str) and first.currency == "CNY"
    assert json.loads(first.support_platform) == ["Linux", "Windows"]
    assert json.loads(plans[LINUX_ONLY_PLAN].support_platform) == ["Linux"]


def test_unknown_region_is_invalid_parameter(world: World) -> None:
    client = world.swas(world.account())
    error = tea_error(lambda: client.list_plans(swas.ListPlansRequest(region_id="mars-north-1")))
    assert (error.code, error.status) == ("InvalidParameter", 400)
    assert '"RegionId"' in error.message


def test_create_instances_runs_at_once_with_a_system_disk(world: World) -> None:
    client = world.swas(world.account())
    request = swas.CreateInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, plan_id=PLAN, period=1, amount=2
    )
    ids = client.create_instances(request).body.instance_ids
    assert len(ids) == 2 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    listed = client.list_instances(
        swas.ListInstancesRequest(region_id=REGION, instance_ids=json.dumps(ids))
    ).body
    assert listed.total_count == 2
    instance = listed.instances[0]
    assert instance.status == "Running" and instance.plan_id == PLAN
    assert instance.creation_time.endswith("Z") and instance.expired_time.endswith("T16:00:00Z")
    assert [d.disk_type for d in instance.disks] == ["System"]
    assert instance.disks[0].size == 40 and instance.disks[0].disk_id.startswith("d-")


def test_data_disk_from_request_or_plan(world: World) -> None:
    client = world.swas(world.account())
    with_param = server(client, data_disk=100)
    request = swas.CreateInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, plan_id=PLAN_WITH_DATA_DISK, period=3
    )
    from_plan = client.create_instances(request).body.instance_ids[0]
    for instance_id, size in ((with_param, 100), (from_plan, 40)):
        disks = client.list_disks(
            swas.ListDisksRequest(region_id=REGION, instance_id=instance_id)
        ).body
        assert sorted(
            (d.disk_type, d.size if d.disk_type == "Data" else 0) for d in disks.disks
        ) == [
            ("Data", size),
            ("System", 0),
        ]
        assert all(d.instance_id == instance_id for d in disks.disks)
    data_only = client.list_disks(
        swas.ListDisksRequest(region_id=REGION, instance_id=with_param, disk_type="data")
    ).body
    assert [d.disk_type for d in data_only.disks] == ["Data"] and data_only.total_count == 1


def test_create_instances_errors(world: World) -> None:
    client = world.swas(world.account())

    def order(**changes: object) -> swas.CreateInstancesRequest:
        values: dict[str, object] = {
            "region_id": REGION,
            "image_id": LINUX_IMAGE,
            "plan_id": PLAN,
            "period": 1,
        }
        return swas.CreateInstancesRequest(**{**values, **changes})

    cases = [
        (order(plan_id="swas.nope"), "InvalidPlanId.NotFound", 404),
        (order(image_id="0" * 32), "InvalidImageId.NotFound", 404),
        (order(period=2), "InvalidPeriod.ValueNotSupported", 400),
        (order(amount=21), "InvalidAmount.ValueNotSupported", 400),
        (order(data_disk_size=30), "InvalidDataDiskSize.ValueNotSupported", 400),
        (order(charge_type="PostPaid"), "InvalidChargeType.ValueNotSupported", 400),
        (order(plan_id=LINUX_ONLY_PLAN, image_id=WINDOWS_IMAGE), "PlatformNotMatch", 400),
        (
            swas.CreateInstancesRequest(region_id=REGION, plan_id=PLAN, period=1),
            "MissingParameter",
            400,
        ),
    ]
    for request, code, status in cases:
        error = tea_error(lambda r=request: client.create_instances(r))  # type: ignore[misc]
        assert (error.code, error.status) == (code, status), request.to_map()
    listed = client.list_instances(swas.ListInstancesRequest(region_id=REGION)).body
    assert listed.total_count == 0, "a failed order creates nothing"


def test_list_instances_pages_and_is_per_account_and_region(world: World) -> None:
    owner, other = world.account(), world.account()
    client = world.swas(owner)
    made = [server(client) for _ in range(3)]
    server(world.swas(other))
    server(client, region="cn-beijing")
    first = client.list_instances(
        swas.ListInstancesRequest(region_id=REGION, page_size=2, page_number=1)
    ).body
    second = client.list_instances(
        swas.ListInstancesRequest(region_id=REGION, page_size=2, page_number=2)
    ).body
    assert (first.total_count, first.page_size, first.page_number) == (3, 2, 1)
    assert [i.instance_id for i in first.instances + second.instances] == made
    error = tea_error(
        lambda: client.list_instances(swas.ListInstancesRequest(region_id=REGION, page_size=101))
    )
    assert (error.code, error.status) == ("InvalidParameter", 400)


def test_snapshots_are_accomplished_at_once(world: World) -> None:
    client = world.swas(world.account())
    instance_id = server(client, data_disk=40)
    system_disk, data_disk = (
        disk_of(client, instance_id, "System"),
        disk_of(client, instance_id, "Data"),
    )
    system_snapshot, data_snapshot = snapshot(client, system_disk), snapshot(client, data_disk)
    assert system_snapshot.startswith("s-") and len(system_snapshot) == 22
    body = client.list_snapshots(swas.ListSnapshotsRequest(region_id=REGION)).body
    found = {s.snapshot_id: s for s in body.snapshots}
    assert body.total_count == 2
    assert (
        found[system_snapshot].status == "Accomplished"
        and found[system_snapshot].progress == "100%"
    )
    assert found[system_snapshot].instance_id == instance_id
    assert (
        found[data_snapshot].source_disk_type == "Data" and found[data_snapshot].instance_id == ""
    )
    only_data = client.list_snapshots(
        swas.ListSnapshotsRequest(region_id=REGION, source_disk_type="Data")
    ).body
    assert [s.snapshot_id for s in only_data.snapshots] == [data_snapshot]
    by_id = client.list_snapshots(
        swas.ListSnapshotsRequest(region_id=REGION, snapshot_ids=json.dumps([system_snapshot]))
    ).body
    assert [s.snapshot_id for s in by_id.snapshots] == [system_snapshot]


def test_create_snapshot_errors_and_limit(world: World) -> None:
    owner, stranger = world.account(), world.account()
    client = world.swas(owner)
    disk_id = disk_of(client, server(client), "System")

    def take(name: str, disk: str = disk_id, who: object = client) -> object:
        request = swas.CreateSnapshotRequest(region_id=REGION, disk_id=disk, snapshot_name=name)
        return who.create_snapshot(request)  # type: ignore[attr-defined]

    cases = [
        (lambda: take("1starts-with-digit"), "InvalidSnapshotName.ValueNotSupported", 400),
        (lambda: take("http://x"), "InvalidSnapshotName.ValueNotSupported", 400),
        (lambda: take("ok-name", disk="d-doesnotexist00000000"), "InvalidDiskId.NotFound", 404),
        (lambda: take("ok-name", who=world.swas(stranger)), "InvalidDiskId.NotFound", 404),
    ]
    for call, code, status in cases:
        error = tea_error(call)
        assert (error.code, error.status) == (code, status)
    take("first.snap")
    error = tea_error(lambda: take("first.snap"))
    assert (error.code, error.status) == ("InvalidSnapshotName.Duplicate", 400)
    take(unique("second"))
    take(unique("third"))
    error = tea_error(lambda: take(unique("fourth")))
    assert (error.code, error.status) == ("SnapshotLimitExceed", 403)


def test_list_images_catalogue_and_type_filter(world: World) -> None:
    client = world.swas(world.account())
    everything = client.list_images(swas.ListImagesRequest(region_id=REGION)).body.images
    kinds = {image.image_type for image in everything}
    assert kinds == {"system", "app"}
    assert all(len(i.image_id) == 32 and i.platform in ("Linux", "Windows") for i in everything)
    apps = client.list_images(swas.ListImagesRequest(region_id=REGION, image_type="app")).body
    assert apps.images and all(i.image_type == "app" for i in apps.images)
    one = client.list_images(
        swas.ListImagesRequest(region_id=REGION, image_ids=json.dumps([LINUX_IMAGE]))
    ).body
    assert [i.image_id for i in one.images] == [LINUX_IMAGE]
    error = tea_error(
        lambda: client.list_images(swas.ListImagesRequest(region_id=REGION, image_type="public"))
    )
    assert (error.code, error.status) == ("InvalidImageType.ValueNotSupported", 400)
