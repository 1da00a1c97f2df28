"""Instances, disks, snapshots and CreateImage through the official ECS tea SDK, and the two
rules an unshare sets (SWAS ModifyImageShareStatus UnShare and ECS account shares alike):
the image can no longer launch an instance, and an instance made from it can no longer
re-initialise its system disk."""

from __future__ import annotations

from typing import Any

from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from support.ecs import REGION, custom_ids, ecs_image, images, modify
from support.ecs import unique as unique_name
from support.errors import SdkError, tea_error
from support.swas import custom_image
from support.world import AccountKeys, World

LINUX = "aliyun_3_x64_20G_alibase_20240819.vhd"
NOT_FOUND = (404, "InvalidImageId.NotFound", "The specified ImageId does not exist.")
WRONG_STATE = (
    403,
    "IncorrectInstanceStatus",
    "The current status of the resource does not support this operation.",
)


def _wire(error: SdkError) -> tuple[int, str, str]:
    return (error.status, error.code, error.data["Message"])


def _run(world: World, who: AccountKeys, image_id: str, **extra: Any) -> list[str]:
    request = ecs.RunInstancesRequest(
        region_id=REGION, image_id=image_id, instance_type="ecs.g7.large", **extra
    )
    ids: list[str] = world.ecs(who).run_instances(request).body.instance_id_sets.instance_id_set
    return ids


def _stop(world: World, who: AccountKeys, instance_id: str) -> None:
    world.ecs(who).stop_instance(ecs.StopInstanceRequest(instance_id=instance_id))


def _system_disk(world: World, who: AccountKeys, instance_id: str) -> Any:
    request = ecs.DescribeDisksRequest(
        region_id=REGION, instance_id=instance_id, disk_type="system"
    )
    return world.ecs(who).describe_disks(request).body.disks.disk[0]


def _reinit(world: World, who: AccountKeys, disk_id: str) -> None:
    world.ecs(who).re_init_disk(ecs.ReInitDiskRequest(disk_id=disk_id))


def test_run_describe_stop_start_delete(world: World) -> None:
    who = world.account()
    data = ecs.RunInstancesRequestDataDisk(size=100, category="cloud_essd")
    ids = _run(world, who, LINUX, amount=2, instance_name="web", data_disk=[data])
    assert len(ids) == 2 and all(i.startswith("i-") for i in ids)
    request = ecs.DescribeInstancesRequest(region_id=REGION, instance_ids=f'["{ids[0]}"]')
    body = world.ecs(who).describe_instances(request).body
    raw = body.to_map()["Instances"]["Instance"][0]
    assert (raw["InstanceId"], raw["Status"], raw["ImageId"], raw["OSType"]) == (
        ids[0], "Running", LINUX, "linux",
    )  # fmt: skip
    assert isinstance(raw["Cpu"], int) and raw["Memory"] == 8192 and body.total_count == 1
    disks = (
        world.ecs(who)
        .describe_disks(ecs.DescribeDisksRequest(region_id=REGION, instance_id=ids[0]))
        .body.disks.disk
    )
    assert sorted((d.type, d.size) for d in disks) == [("data", 100), ("system", 20)]
    assert (
        _wire(
            tea_error(
                lambda: world.ecs(who).start_instance(ecs.StartInstanceRequest(instance_id=ids[0]))
            )
        )
        == WRONG_STATE
    )
    deleting = ecs.DeleteInstanceRequest(instance_id=ids[0])
    assert _wire(tea_error(lambda: world.ecs(who).delete_instance(deleting))) == WRONG_STATE
    _stop(world, who, ids[0])
    world.ecs(who).delete_instance(deleting)
    world.ecs(who).delete_instances(
        ecs.DeleteInstancesRequest(region_id=REGION, instance_id=[ids[1]], force=True)
    )
    listed = world.ecs(who).describe_instances(ecs.DescribeInstancesRequest(region_id=REGION))
    assert listed.body.total_count == 0
    other = tea_error(
        lambda: world.ecs(world.account()).stop_instance(
            ecs.StopInstanceRequest(instance_id=ids[0])
        )
    )
    assert other.code == "InvalidInstanceId.NotFound"


def test_launch_needs_a_visible_available_image(world: World) -> None:
    owner, stranger = world.account(), world.account()
    private = ecs_image(world, owner)
    assert _wire(tea_error(lambda: _run(world, stranger, private))) == NOT_FOUND
    assert _wire(tea_error(lambda: _run(world, owner, "m-doesnotexist0000000"))) == NOT_FOUND
    creating = ecs_image(world, owner, creating_for=60)
    assert tea_error(lambda: _run(world, owner, creating)).code == "IncorrectImageStatus"
    bad_type = tea_error(
        lambda: world.ecs(owner).run_instances(
            ecs.RunInstancesRequest(
                region_id=REGION, image_id=LINUX, instance_type="ecs.nope.large"
            )
        )
    )
    assert bad_type.code == "InvalidInstanceType.ValueNotSupported"
    dry = tea_error(lambda: _run(world, owner, private, dry_run=True))
    assert dry.code == "DryRunOperation"
    assert (
        world.ecs(owner)
        .describe_instances(ecs.DescribeInstancesRequest(region_id=REGION))
        .body.total_count
        == 0
    )


def test_after_an_ecs_unshare_no_launch_and_no_reinit(world: World) -> None:
    owner, recipient = world.account(), world.account()
    image_id = ecs_image(world, owner)
    modify(world, owner, image_id, add=[recipient.id])
    (instance_id,) = _run(world, recipient, image_id)
    assert images(world, recipient, image_id=image_id).images.image[0].usage == "instance"
    assert image_id in custom_ids(world, recipient, usage="instance")
    assert image_id not in custom_ids(world, recipient, usage="none")
    in_use = tea_error(
        lambda: world.ecs(owner).delete_image(
            ecs.DeleteImageRequest(region_id=REGION, image_id=image_id)
        )
    )
    assert in_use.code == "ImageUseShared"
    _stop(world, recipient, instance_id)
    disk = _system_disk(world, recipient, instance_id)
    _reinit(world, recipient, disk.disk_id)  # still shared: fine
    modify(world, owner, image_id, remove=[recipient.id])
    assert _wire(tea_error(lambda: _run(world, recipient, image_id))) == NOT_FOUND
    assert _wire(tea_error(lambda: _reinit(world, recipient, disk.disk_id))) == NOT_FOUND


def test_after_a_swas_unshare_no_launch_and_no_reinit(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)

    def status(operation: str) -> None:
        request = swas.ModifyImageShareStatusRequest(
            region_id=REGION, image_id=image_id, operation=operation
        )
        world.swas(owner).modify_image_share_status(request)

    status("Share")
    (instance_id,) = _run(world, owner, image_id)
    _stop(world, owner, instance_id)
    disk = _system_disk(world, owner, instance_id)
    _reinit(world, owner, disk.disk_id)
    status("UnShare")
    assert _wire(tea_error(lambda: _run(world, owner, image_id))) == NOT_FOUND
    assert _wire(tea_error(lambda: _reinit(world, owner, disk.disk_id))) == NOT_FOUND


def test_reinit_rules_and_deleted_images(world: World) -> None:
    owner = world.account()
    image_id = ecs_image(world, owner)
    (instance_id,) = _run(world, owner, image_id)
    disk = _system_disk(world, owner, instance_id)
    assert _wire(tea_error(lambda: _reinit(world, owner, disk.disk_id))) == WRONG_STATE
    missing = tea_error(lambda: _reinit(world, owner, "d-doesnotexist0000000"))
    assert _wire(missing) == (404, "InvalidDiskId.NotFound", "The specified disk does not exist.")
    used = tea_error(
        lambda: world.ecs(owner).delete_image(
            ecs.DeleteImageRequest(region_id=REGION, image_id=image_id)
        )
    )
    assert used.code == "ImageUsingByInstance"
    world.ecs(owner).delete_image(
        ecs.DeleteImageRequest(region_id=REGION, image_id=image_id, force=True)
    )
    _stop(world, owner, instance_id)
    assert _wire(tea_error(lambda: _reinit(world, owner, disk.disk_id))) == NOT_FOUND


def test_snapshots_and_create_image(world: World) -> None:
    owner = world.account()
    (instance_id,) = _run(world, owner, "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240816.vhd")
    name = unique_name("from-instance")
    made = (
        world.ecs(owner)
        .create_image(
            ecs.CreateImageRequest(
                region_id=REGION,
                instance_id=instance_id,
                image_name=name,
                image_family="win-golden",
            )
        )
        .body.image_id
    )
    seen = images(world, owner, image_id=made).images.image[0]
    assert (seen.image_name, seen.ostype, seen.platform, seen.size, seen.status) == (
        name, "windows", "Windows Server 2022", 40, "Available",
    )  # fmt: skip
    snapshot_id = seen.disk_device_mappings.disk_device_mapping[0].snapshot_id
    snaps = (
        world.ecs(owner)
        .describe_snapshots(ecs.DescribeSnapshotsRequest(region_id=REGION, instance_id=instance_id))
        .body.snapshots.snapshot
    )
    assert [s.snapshot_id for s in snaps] == [snapshot_id]
    disk = _system_disk(world, owner, instance_id)
    own = (
        world.ecs(owner)
        .create_snapshot(ecs.CreateSnapshotRequest(disk_id=disk.disk_id, snapshot_name="nightly"))
        .body.snapshot_id
    )
    from_snapshot = (
        world.ecs(owner)
        .create_image(ecs.CreateImageRequest(region_id=REGION, snapshot_id=own))
        .body.image_id
    )
    assert images(world, owner, image_id=from_snapshot).images.image[0].ostype == "windows"
    used = tea_error(
        lambda: world.ecs(owner).delete_snapshot(ecs.DeleteSnapshotRequest(snapshot_id=own))
    )
    assert _wire(used) == (
        403,
        "SnapshotCreatedImage",
        "The snapshot has been used to create user defined image.",
    )
    spare = (
        world.ecs(owner)
        .create_snapshot(ecs.CreateSnapshotRequest(disk_id=disk.disk_id))
        .body.snapshot_id
    )
    world.ecs(owner).delete_snapshot(ecs.DeleteSnapshotRequest(snapshot_id=spare))
    duplicate = tea_error(
        lambda: world.ecs(owner).create_image(
            ecs.CreateImageRequest(region_id=REGION, instance_id=instance_id, image_name=name)
        )
    )
    assert duplicate.code == "InvalidImageName.Duplicated"
    nothing = tea_error(
        lambda: world.ecs(owner).create_image(
            ecs.CreateImageRequest(region_id=REGION, image_name=unique_name())
        )
    )
    assert (nothing.code, nothing.status) == ("MissingParameter", 400)
    stranger = tea_error(
        lambda: world.ecs(world.account()).create_image(
            ecs.CreateImageRequest(region_id=REGION, instance_id=instance_id)
        )
    )
    assert stranger.code == "InvalidInstanceId.NotFound"
