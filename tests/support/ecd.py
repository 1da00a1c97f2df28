"""Helpers for the ECD tests (no tests here): desktops and images from the plugin's builders
(imageshare.testing.ecd), shares through the official ECD tea SDK, and short readers of what
an account sees."""

from __future__ import annotations

from collections.abc import Sequence

from alibabacloud_ecd20200930 import models as ecd

from imageshare.testing.ecd import make_image
from imageshare.testing.sdk import unique_name
from support.world import AccountKeys, World

unique = unique_name  # the plugin's: a name no other test has taken

REGION = "cn-hangzhou"
OTHER_REGION = "cn-shanghai"


def desktop(
    world: World,
    who: AccountKeys,
    region: str = REGION,
    *,
    encrypted: bool = False,
    os_type: str = "Windows",
) -> str:
    """A desktop of ``who``'s, made as `imageshare ecd desktops create` makes one."""
    return world.ecd_desktop(who, region, os_type=os_type, encrypted=encrypted)


def image(
    world: World,
    who: AccountKeys,
    region: str = REGION,
    *,
    name: str = "",
    encrypted: bool = False,
    os_type: str = "Windows",
) -> str:
    """Desktop -> CreateImage through the tea SDK (the plugin's builders); the image's id."""
    desktop_id = desktop(world, who, region, encrypted=encrypted, os_type=os_type)
    return make_image(world.ecd(who), region, desktop_id, name or None)


def modify(
    world: World,
    owner: AccountKeys,
    image_id: str,
    add: Sequence[int] = (),
    remove: Sequence[int] = (),
    region: str = REGION,
) -> None:
    request = ecd.ModifyImagePermissionRequest(
        region_id=region,
        image_id=image_id,
        add_account=list(add) or None,
        remove_account=list(remove) or None,
    )
    world.ecd(owner).modify_image_permission(request)


def permitted(world: World, owner: AccountKeys, image_id: str, region: str = REGION) -> list[str]:
    request = ecd.DescribeImagePermissionRequest(region_id=region, image_id=image_id)
    ali_uids: list[str] = world.ecd(owner).describe_image_permission(request).body.ali_uids
    return ali_uids


def visible(
    world: World, who: AccountKeys, region: str = REGION, **filters: object
) -> dict[str, ecd.DescribeImagesResponseBodyImages]:
    """Every image ``who``'s DescribeImages shows in ``region``, following NextToken."""
    seen: dict[str, ecd.DescribeImagesResponseBodyImages] = {}
    token: str | None = None
    for _ in range(100):
        request = ecd.DescribeImagesRequest(
            region_id=region, max_results=100, next_token=token, **filters
        )
        body = world.ecd(who).describe_images(request).body
        seen.update({item.image_id: item for item in body.images})
        token = body.next_token or None
        if token is None:
            return seen
    raise AssertionError("DescribeImages kept returning a NextToken")
