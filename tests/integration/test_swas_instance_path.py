"""The path to a custom image through the official tea SDK: plans, servers, disks,
snapshots and the image catalogue, with their documented errors."""

from __future__ import annotations

import json

import pytest
from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client
from support.errors import tea_error
from support.swas import LINUX_IMAGE, PLAN, REGION, disk_of, snapshot, unique
from support.swas import server as make_server
from support.world import AccountKeys, World

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


def _with_data_disk(client: Client, source: str) -> str:
    if source == "request":
        return make_server(client, data_disk=100)
    request = swas.CreateInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, plan_id=PLAN_WITH_DATA_DISK, period=3
    )
    instance_id: str = client.create_instances(request).body.instance_ids[0]
    return instance_id


@pytest.mark.parametrize(("source", "size"), [("request", 100), ("plan", 40)])
def test_data_disk_from_request_or_plan(world: World, source: str, size: int) -> None:
    client = world.swas(world.account())
    instance_id = _with_data_disk(client, source)
    disks = client.list_disks(swas.ListDisksRequest(region_id=REGION, instance_id=instance_id)).body
    assert sorted((d.disk_type, d.size if d.disk_type == "Data" else 0) for d in disks.disks) == [
        ("Data", size),
        ("System", 0),
    ]
    assert all(d.instance_id == instance_id for d in disks.disks)


def test_list_disks_by_type(world: World) -> None:
    client = world.swas(world.account())
    with_param = make_server(client, data_disk=100)
    data_only = client.list_disks(
        swas.ListDisksRequest(region_id=REGION, instance_id=with_param, disk_type="data")
    ).body
    assert [d.disk_type for d in data_only.disks] == ["Data"] and data_only.total_count == 1


def _order(**changes: object) -> swas.CreateInstancesRequest:
    values: dict[str, object] = {
        "region_id": REGION,
        "image_id": LINUX_IMAGE,
        "plan_id": PLAN,
        "period": 1,
    }
    return swas.CreateInstancesRequest(**{**values, **changes})


# By id: the order's changes, and the code and status of its refusal.
ORDER_REFUSALS: dict[str, tuple[dict[str, object], str, int]] = {
    "no such plan": ({"plan_id": "swas.nope"}, "InvalidPlanId.NotFound", 404),
    "no such image": ({"image_id": "0" * 32}, "InvalidImageId.NotFound", 404),
    "two months": ({"period": 2}, "InvalidPeriod.ValueNotSupported", 400),
    "21 servers": ({"amount": 21}, "InvalidAmount.ValueNotSupported", 400),
    "a 30 GB data disk": ({"data_disk_size": 30}, "InvalidDataDiskSize.ValueNotSupported", 400),
    "PostPaid": ({"charge_type": "PostPaid"}, "InvalidChargeType.ValueNotSupported", 400),
    "Windows on a Linux plan": (
        {"plan_id": LINUX_ONLY_PLAN, "image_id": WINDOWS_IMAGE},
        "PlatformNotMatch",
        400,
    ),
    "no image": ({"image_id": None}, "MissingParameter", 400),
}


@pytest.mark.parametrize(
    ("changes", "code", "status"), list(ORDER_REFUSALS.values()), ids=list(ORDER_REFUSALS)
)
def test_create_instances_errors(
    world: World, changes: dict[str, object], code: str, status: int
) -> None:
    client = world.swas(world.account())
    request = _order(**changes)
    error = tea_error(lambda: client.create_instances(request))
    assert (error.code, error.status) == (code, status), request.to_map()
    listed = client.list_instances(swas.ListInstancesRequest(region_id=REGION)).body
    assert listed.total_count == 0, "a failed order creates nothing"


def test_list_instances_pages_and_is_per_account_and_region(world: World) -> None:
    owner, other = world.account(), world.account()
    client = world.swas(owner)
    made = [make_server(client) for _ in range(3)]
    make_server(world.swas(other))
    make_server(client, region="cn-beijing")
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
    instance_id = make_server(client, data_disk=40)
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


def _take(client: Client, name: str, disk_id: str) -> object:
    request = swas.CreateSnapshotRequest(region_id=REGION, disk_id=disk_id, snapshot_name=name)
    return client.create_snapshot(request)


@pytest.fixture(scope="module")
def system_disk(server: World) -> tuple[AccountKeys, str]:
    """An owner and the system disk of its server, which refused snapshots are tried on."""
    owner = server.account()
    client = server.swas(owner)
    return owner, disk_of(client, make_server(client), "System")


# By id: the snapshot's name, its disk ("<disk>": the fixture's), who takes it, and the code
# and status of its refusal.
SNAPSHOT_REFUSALS: dict[str, tuple[str, str, str, str, int]] = {
    "a name starting with a digit": (
        "1starts-with-digit",
        "<disk>",
        "owner",
        "InvalidSnapshotName.ValueNotSupported",
        400,
    ),
    "a link for a name": (
        "http://x",
        "<disk>",
        "owner",
        "InvalidSnapshotName.ValueNotSupported",
        400,
    ),
    "no such disk": ("ok-name", "d-doesnotexist00000000", "owner", "InvalidDiskId.NotFound", 404),
    "another's disk": ("ok-name", "<disk>", "stranger", "InvalidDiskId.NotFound", 404),
}


@pytest.mark.parametrize(
    ("name", "disk", "who", "code", "status"),
    list(SNAPSHOT_REFUSALS.values()),
    ids=list(SNAPSHOT_REFUSALS),
)
def test_create_snapshot_errors(
    world: World,
    system_disk: tuple[AccountKeys, str],
    name: str,
    disk: str,
    who: str,
    code: str,
    status: int,
) -> None:
    owner, disk_id = system_disk
    client = world.swas(owner if who == "owner" else world.account())
    error = tea_error(lambda: _take(client, name, disk_id if disk == "<disk>" else disk))
    assert (error.code, error.status) == (code, status)


def test_create_snapshot_duplicate_and_limit(world: World) -> None:
    client = world.swas(world.account())
    disk_id = disk_of(client, make_server(client), "System")
    _take(client, "first.snap", disk_id)
    error = tea_error(lambda: _take(client, "first.snap", disk_id))
    assert (error.code, error.status) == ("InvalidSnapshotName.Duplicate", 400)
    _take(client, unique("second"), disk_id)
    _take(client, unique("third"), disk_id)
    error = tea_error(lambda: _take(client, unique("fourth"), disk_id))
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
