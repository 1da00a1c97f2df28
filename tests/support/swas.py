"""Helpers for the SWAS tests (no tests here): the official-SDK path from a fresh account to
a custom image, and short readers of what an account sees."""

from __future__ import annotations

import secrets

from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client

from support.world import AccountKeys, World

REGION = "cn-hangzhou"
OTHER_REGION = "cn-beijing"
LINUX_IMAGE = "87987f90ac2943c1b23f4c46cc80839c"
PLAN = "swas.s2.c2m1s40b3t04"


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def server(client: Client, region: str = REGION, data_disk: int | None = None) -> str:
    request = swas.CreateInstancesRequest(
        region_id=region, image_id=LINUX_IMAGE, plan_id=PLAN, period=1, data_disk_size=data_disk
    )
    ids: list[str] = client.create_instances(request).body.instance_ids
    return ids[0]


def disk_of(client: Client, instance_id: str, kind: str, region: str = REGION) -> str:
    request = swas.ListDisksRequest(region_id=region, instance_id=instance_id, disk_type=kind)
    disk_id: str = client.list_disks(request).body.disks[0].disk_id
    return disk_id


def snapshot(client: Client, disk_id: str, region: str = REGION) -> str:
    request = swas.CreateSnapshotRequest(
        region_id=region, disk_id=disk_id, snapshot_name=unique("snap")
    )
    snapshot_id: str = client.create_snapshot(request).body.snapshot_id
    return snapshot_id


def custom_image(world: World, who: AccountKeys, region: str = REGION, name: str = "") -> str:
    """Server -> system-disk snapshot -> custom image, all through the tea SDK."""
    client = world.swas(who)
    instance_id = server(client, region)
    system_snapshot = snapshot(client, disk_of(client, instance_id, "System", region), region)
    request = swas.CreateCustomImageRequest(
        region_id=region,
        instance_id=instance_id,
        system_snapshot_id=system_snapshot,
        image_name=name or unique("img"),
    )
    image_id: str = client.create_custom_image(request).body.image_id
    return image_id


def share(
    world: World, owner: AccountKeys, image_id: str, *accounts: int, region: str = REGION
) -> None:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=region, image_id=image_id, account=list(accounts)
    )
    world.swas(owner).add_custom_image_share_account(request)


def unshare(
    world: World, owner: AccountKeys, image_id: str, *accounts: int, region: str = REGION
) -> None:
    request = swas.RemoveCustomImageShareAccountRequest(
        region_id=region, image_id=image_id, account=list(accounts)
    )
    world.swas(owner).remove_custom_image_share_account(request)


def share_users(world: World, owner: AccountKeys, image_id: str, region: str = REGION) -> list[int]:
    request = swas.ListCustomImageShareAccountsRequest(
        region_id=region, image_id=image_id, page_size=50
    )
    body = world.swas(owner).list_custom_image_share_accounts(request).body
    return [user.user_id for user in body.image_share_users]


def visible(
    world: World, who: AccountKeys, region: str = REGION, share: bool | None = None
) -> dict[str, swas.ListCustomImagesResponseBodyCustomImages]:
    request = swas.ListCustomImagesRequest(region_id=region, share=share, page_size=100)
    images = world.swas(who).list_custom_images(request).body.custom_images
    return {image.image_id: image for image in images}
