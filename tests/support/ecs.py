"""Helpers for the ECS tests (no tests here): ECS custom images recorded through the service
CreateImage uses, so a test can give one any attribute (platform, family, key, a "Creating"
window) the API path cannot, and without the plugin's RunInstances -> CreateImage round
trips (``World.ecs_image`` makes one as a user does); sharing and listing through the official
ECS tea SDK."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from alibabacloud_ecs20140526 import models as ecs

from imageshare.services.ecs_images import ImageOrder, create_image
from imageshare.testing.sdk import unique_name
from support.world import AccountKeys, World

REGION = "cn-hangzhou"
OTHER_REGION = "cn-shanghai"


def unique(prefix: str = "img") -> str:
    return unique_name(prefix)


def ecs_image(
    world: World,
    who: AccountKeys,
    region: str = REGION,
    *,
    creating_for: float = 0.0,
    **order: Any,
) -> str:
    """An ECS custom image of ``who``'s; ``creating_for`` seconds "Creating" first."""
    made = ImageOrder(region_id=region, name=order.pop("name", unique()), **order)
    with world.store.unit_of_work(write=True) as uow:
        now = uow.clock.now()
        ready_at = now + timedelta(seconds=creating_for) if creating_for else None
        image_id = create_image(uow, who.id, made, now, ready_at)
        uow.commit()
    return image_id


def modify(
    world: World,
    owner: AccountKeys,
    image_id: str,
    add: Sequence[int | str] = (),
    remove: Sequence[int | str] = (),
    region: str = REGION,
    **extra: Any,
) -> None:
    request = ecs.ModifyImageSharePermissionRequest(
        region_id=region,
        image_id=image_id,
        add_account=[str(a) for a in add] or None,
        remove_account=[str(a) for a in remove] or None,
        **extra,
    )
    world.ecs(owner).modify_image_share_permission(request)


def permission(
    world: World, owner: AccountKeys, image_id: str, region: str = REGION, **paging: Any
) -> ecs.DescribeImageSharePermissionResponseBody:
    request = ecs.DescribeImageSharePermissionRequest(region_id=region, image_id=image_id, **paging)
    body: ecs.DescribeImageSharePermissionResponseBody = (
        world.ecs(owner).describe_image_share_permission(request).body
    )
    return body


def shared_ids(world: World, owner: AccountKeys, image_id: str, region: str = REGION) -> list[int]:
    body = permission(world, owner, image_id, region, page_size=100)
    return [int(account.aliyun_id) for account in body.accounts.account]


def images(
    world: World, who: AccountKeys, region: str = REGION, **filters: Any
) -> ecs.DescribeImagesResponseBody:
    """DescribeImages. Community images are left out (IsPublic=false) unless ``is_public`` is
    given, even as None: the test server is shared, and other tests publish images that every
    account in the region sees."""
    filters.setdefault("is_public", False)
    request = ecs.DescribeImagesRequest(region_id=region, **filters)
    body: ecs.DescribeImagesResponseBody = world.ecs(who).describe_images(request).body
    return body


def image_ids(world: World, who: AccountKeys, region: str = REGION, **filters: Any) -> list[str]:
    body = images(world, who, region, page_size=100, **filters)
    return [image.image_id for image in body.images.image]


def custom_ids(world: World, who: AccountKeys, region: str = REGION, **filters: Any) -> list[str]:
    """What ``who`` sees besides the public catalogue (ids starting with m-)."""
    return [i for i in image_ids(world, who, region, **filters) if i.startswith("m-")]


def copy_image(world: World, who: AccountKeys, image_id: str, **extra: Any) -> str:
    """CopyImage from REGION (or ``region_id``) to OTHER_REGION (or ``destination_region_id``)."""
    extra.setdefault("destination_region_id", OTHER_REGION)
    request = ecs.CopyImageRequest(
        region_id=extra.pop("region_id", REGION), image_id=image_id, **extra
    )
    new_id: str = world.ecs(who).copy_image(request).body.image_id
    return new_id


def one_image(world: World, who: AccountKeys, image_id: str, region: str = REGION) -> Any:
    """The one image DescribeImages shows ``who`` under ``image_id``, whatever its status."""
    found = images(world, who, region, image_id=image_id, status="ALL").images.image
    assert len(found) == 1, found
    return found[0]
