"""Helpers for the SWAS tests (no tests here): the plugin's builders (imageshare.testing.swas)
with this suite's default region, and short readers of what an account sees."""

from __future__ import annotations

from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client

from imageshare.testing import swas as builders
from imageshare.testing.sdk import unique_name
from support.world import AccountKeys, World

unique = unique_name  # the plugin's: a name no other test has taken

REGION = "cn-hangzhou"
OTHER_REGION = "cn-beijing"
LINUX_IMAGE = builders.LINUX_IMAGE_ID
PLAN = builders.PLAN_ID


def server(client: Client, region: str = REGION, data_disk: int | None = None) -> str:
    return builders.make_instance(client, region, data_disk)


def disk_of(client: Client, instance_id: str, kind: str, region: str = REGION) -> str:
    return builders.disk_of(client, region, instance_id, kind)


def snapshot(client: Client, disk_id: str, region: str = REGION) -> str:
    return builders.make_snapshot(client, region, disk_id)


def custom_image(world: World, who: AccountKeys, region: str = REGION, name: str = "") -> str:
    """Server -> system-disk snapshot -> custom image, as the plugin's World makes one."""
    return world.swas_image(who, region, name or None).id


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
