"""RAM and ECS DescribeImages: "If you set ImageOwnerAlias to system or others ... RAM policies
are ignored in the request"; any other listing needs ecs:DescribeImages on
acs:ecs:{region}:{account}:image/*. Policies made with the official RAM SDK, calls through the
official ECS SDK."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support import ram
from support.ecs import OTHER_REGION, REGION, ecs_image, modify
from support.errors import tea_error
from support.world import AccountKeys, World

from imageshare.domain.catalogue import SYSTEM_IMAGES

AVAILABLE_SYSTEM = {i.id for i in SYSTEM_IMAGES if i.status == "Available"}


def _list(world: World, who: AccountKeys, region: str = REGION, **query: Any) -> set[str]:
    request = ecs.DescribeImagesRequest(region_id=region, page_size=100, **query)
    return {i.image_id for i in world.ecs(who).describe_images(request).body.images.image}


def _denied(world: World, who: AccountKeys, **query: Any) -> str:
    error = tea_error(lambda: _list(world, who, **query))
    assert (error.status, error.code) == (403, "Forbidden.RAM")
    detail = error.data["AccessDeniedDetail"]
    assert detail["AuthAction"] == "ecs:DescribeImages"
    return str(detail["NoPermissionType"])


@pytest.mark.parametrize(
    "policies",
    [(), (ram.document(ram.deny("ecs:DescribeImages")),)],
    ids=["no policy", "explicit deny"],
)
def test_system_and_shared_images_list_whatever_the_policies(
    world: World, policies: tuple[str, ...]
) -> None:
    owner, sharer = world.account(), world.account()
    shared = ecs_image(world, sharer)
    modify(world, sharer, shared, add=[owner.id])
    own = ecs_image(world, owner)
    _, alice = ram.user(world, owner, custom=policies)
    assert _list(world, alice, image_owner_alias="system") == AVAILABLE_SYSTEM
    assert _list(world, alice, image_owner_alias="others") == {shared}
    expected = "ExplicitDeny" if policies else "ImplicitDeny"
    assert _denied(world, alice, image_owner_alias="self") == expected
    assert _denied(world, alice) == expected, "no alias lists the account's own images too"
    assert own not in _list(world, alice, image_owner_alias="others")


def test_own_images_need_describe_images_on_the_region(world: World) -> None:
    owner = world.account()
    here, there = ecs_image(world, owner), ecs_image(world, owner, OTHER_REGION)
    arn = f"acs:ecs:{REGION}:{owner.id}:image/*"
    _, alice = ram.user(world, owner, custom=(ram.document(ram.allow("ecs:DescribeImages", arn)),))
    assert _list(world, alice, image_owner_alias="self") == {here}
    everything = _list(world, alice)  # other tests' community images may list here too
    assert AVAILABLE_SYSTEM | {here} <= everything and there not in everything
    error = tea_error(lambda: _list(world, alice, OTHER_REGION, image_owner_alias="self"))
    assert error.code == "Forbidden.RAM"
    assert _list(world, owner, OTHER_REGION, image_owner_alias="self") == {there}


def test_a_read_only_system_policy_lists_own_images(world: World) -> None:
    owner = world.account()
    own = ecs_image(world, owner)
    _, reader = ram.user(world, owner, system=("AliyunECSReadOnlyAccess",))
    assert _list(world, reader, image_owner_alias="self") == {own}
