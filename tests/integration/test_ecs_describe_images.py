"""ECS DescribeImages shows a SWAS custom image its owner shared to ECS (ModifyImageShareStatus
Share), in the same region and for the same account only, as one of the account's own
("self") images; UnShare takes it away again."""

from __future__ import annotations

from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from support.swas import OTHER_REGION, REGION, custom_image, share
from support.world import AccountKeys, World


def _status(world: World, who: AccountKeys, image_id: str, operation: str) -> None:
    request = swas.ModifyImageShareStatusRequest(
        region_id=REGION, image_id=image_id, operation=operation
    )
    world.swas(who).modify_image_share_status(request)


def _ecs_ids(world: World, who: AccountKeys, region: str = REGION, **filters: object) -> list[str]:
    request = ecs.DescribeImagesRequest(region_id=region, **filters)
    body = world.ecs(who).describe_images(request).body
    return [image.image_id for image in body.images.image]


def test_shared_to_ecs_appears_for_the_owner_in_the_same_region(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id, kept_in_swas = custom_image(world, owner), custom_image(world, owner)
    share(world, owner, image_id, friend.id)
    assert _ecs_ids(world, owner) == []
    _status(world, owner, image_id, "Share")
    assert _ecs_ids(world, owner) == [image_id]
    assert kept_in_swas not in _ecs_ids(world, owner)
    assert _ecs_ids(world, owner, OTHER_REGION) == []
    assert _ecs_ids(world, friend) == [], "sharing to ECS is for the owner's own ECS"
    assert _ecs_ids(world, owner, image_owner_alias="self") == [image_id]
    assert _ecs_ids(world, owner, image_owner_alias="system") == []
    assert _ecs_ids(world, owner, image_id=f"{image_id},m-other") == [image_id]
    _status(world, owner, image_id, "UnShare")
    assert _ecs_ids(world, owner) == []


def test_ecs_shape_and_types(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner, name="ecs-view")
    _status(world, owner, image_id, "Share")
    body = world.ecs(owner).describe_images(ecs.DescribeImagesRequest(region_id=REGION)).body
    raw = body.to_map()
    assert isinstance(raw["Images"], dict) and isinstance(raw["Images"]["Image"], list)
    assert (body.total_count, body.page_number, body.page_size) == (1, 1, 10)
    image = body.images.image[0]
    assert (image.image_id, image.image_name, image.status) == (image_id, "ecs-view", "Available")
    assert image.image_owner_alias == "self"
    assert image.image_owner_id == owner.id and isinstance(raw["Images"]["Image"][0]["Size"], int)
    assert image.creation_time.endswith("Z") and image.ostype == "linux"


def test_ecs_paging(world: World) -> None:
    owner = world.account()
    made = [custom_image(world, owner) for _ in range(3)]
    for image_id in made:
        _status(world, owner, image_id, "Share")
    first = _ecs_ids(world, owner, page_size=2, page_number=1)
    second = _ecs_ids(world, owner, page_size=2, page_number=2)
    assert len(first) == 2 and len(second) == 1
    assert set(first + second) == set(made)
