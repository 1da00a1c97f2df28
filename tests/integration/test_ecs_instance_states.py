"""ECS instances pass through Starting and Stopping (IMAGESHARE_ECS_INSTANCE_SETTLE_SECONDS),
on a server of its own where the passage takes two seconds: what DescribeInstances shows and
finds meanwhile, and which operations a passing instance refuses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support.databases import migrated_database_url
from support.ecs import REGION
from support.errors import tea_error
from support.server import running_server
from support.world import AccountKeys, World

SETTLE = 2.0
LINUX = "aliyun_3_x64_20G_alibase_20240819.vhd"


@pytest.fixture
def slow(backend: str, tmp_path: Path) -> Iterator[World]:
    with (
        migrated_database_url(backend, str(tmp_path)) as url,
        running_server(url, ecs_instance_settle_seconds=SETTLE) as (endpoint, store),
    ):
        yield World(endpoint, store)


def _status(world: World, who: AccountKeys, instance_id: str) -> str:
    request = ecs.DescribeInstancesRequest(region_id=REGION, instance_ids=f'["{instance_id}"]')
    return str(world.ecs(who).describe_instances(request).body.instances.instance[0].status)


def _with_status(world: World, who: AccountKeys, status: str) -> set[str]:
    request = ecs.DescribeInstancesRequest(region_id=REGION, status=status)
    return {
        i.instance_id for i in world.ecs(who).describe_instances(request).body.instances.instance
    }


def _refused(call: Any) -> None:
    error = tea_error(call)
    assert (error.status, error.code) == (403, "IncorrectInstanceStatus")


def test_instances_start_and_stop_over_time(slow: World) -> None:
    who = slow.account()
    client = slow.ecs(who)
    request = ecs.RunInstancesRequest(
        region_id=REGION, image_id=LINUX, instance_type="ecs.g7.large", amount=2
    )
    kept, dropped = client.run_instances(request).body.instance_id_sets.instance_id_set
    launched = time.monotonic()  # after the answer: the server's "now" was before it
    assert _status(slow, who, kept) == "Starting"
    assert _with_status(slow, who, "Starting") == {kept, dropped}
    assert _with_status(slow, who, "Running") == set()
    _refused(lambda: client.stop_instance(ecs.StopInstanceRequest(instance_id=kept)))
    _refused(lambda: client.delete_instance(ecs.DeleteInstanceRequest(instance_id=dropped)))
    client.delete_instance(ecs.DeleteInstanceRequest(instance_id=dropped, force=True))

    time.sleep(max(0.0, SETTLE + 0.2 - (time.monotonic() - launched)))
    assert _status(slow, who, kept) == "Running"
    assert _with_status(slow, who, "Running") == {kept}
    client.stop_instance(ecs.StopInstanceRequest(instance_id=kept))
    stopped = time.monotonic()
    assert _status(slow, who, kept) == "Stopping"
    _refused(lambda: client.start_instance(ecs.StartInstanceRequest(instance_id=kept)))
    _refused(lambda: client.delete_instance(ecs.DeleteInstanceRequest(instance_id=kept)))
    disks = client.describe_disks(ecs.DescribeDisksRequest(region_id=REGION, instance_id=kept))
    disk_id = disks.body.disks.disk[0].disk_id
    _refused(lambda: client.re_init_disk(ecs.ReInitDiskRequest(disk_id=disk_id)))

    time.sleep(max(0.0, SETTLE + 0.2 - (time.monotonic() - stopped)))
    assert _status(slow, who, kept) == "Stopped"
    client.re_init_disk(ecs.ReInitDiskRequest(disk_id=disk_id, auto_start_instance=True))
    assert _status(slow, who, kept) == "Starting"
