"""DeleteCustomImage and DeleteCustomImages through the official tea SDK: an image not found
in another region or for a stranger, an image shared to an account or to ECS that cannot be
deleted until unshared, the JSON array deleted all or nothing, and every documented error
(creating and listing custom images: test_swas_custom_images)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from alibabacloud_swas_open20200601 import models as swas
from support.errors import tea_error
from support.swas import OTHER_REGION, REGION, custom_image, share, visible
from support.world import AccountKeys, World


@dataclass(frozen=True)
class Undeletable:
    """Images deletes refuse: shared to an account, to ECS, or asked of a stranger/region."""

    owner: AccountKeys
    to_account: str
    to_ecs: str
    plain: str


@pytest.fixture(scope="module")
def undeletable(server: World) -> Undeletable:
    owner, friend = server.account(), server.account()
    made = Undeletable(owner, *(custom_image(server, owner) for _ in range(3)))
    share(server, owner, made.to_account, friend.id)
    server.swas(owner).modify_image_share_status(
        swas.ModifyImageShareStatusRequest(
            region_id=REGION, image_id=made.to_ecs, operation="Share"
        )
    )
    return made


def _undeleted(world: World, undeletable: Undeletable) -> None:
    made = {undeletable.to_account, undeletable.to_ecs, undeletable.plain}
    assert set(visible(world, undeletable.owner)) == made, "a refused delete deletes nothing"


@pytest.mark.parametrize(("region", "who"), [(OTHER_REGION, "owner"), (REGION, "stranger")])
def test_delete_custom_image_not_found(
    world: World, undeletable: Undeletable, region: str, who: str
) -> None:
    caller = world.swas(undeletable.owner if who == "owner" else world.account())
    request = swas.DeleteCustomImageRequest(region_id=region, image_id=undeletable.plain)
    error = tea_error(lambda: caller.delete_custom_image(request))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    _undeleted(world, undeletable)


def test_delete_custom_image(world: World) -> None:
    who = world.account()
    client = world.swas(who)
    image_id = custom_image(world, who)
    client.delete_custom_image(swas.DeleteCustomImageRequest(region_id=REGION, image_id=image_id))
    assert image_id not in visible(world, who)
    request = swas.DeleteCustomImageRequest(region_id=REGION, image_id=image_id)
    error = tea_error(lambda: client.delete_custom_image(request))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)


@pytest.mark.parametrize("shared", ["to_account", "to_ecs"])
def test_shared_image_cannot_be_deleted_until_unshared(
    world: World, undeletable: Undeletable, shared: str
) -> None:
    image_id = getattr(undeletable, shared)
    request = swas.DeleteCustomImageRequest(region_id=REGION, image_id=image_id)
    error = tea_error(lambda: world.swas(undeletable.owner).delete_custom_image(request))
    assert (error.code, error.status) == ("CustomImageInShare", 400)
    assert "disable sharing first" in error.message
    _undeleted(world, undeletable)


def test_shared_image_cannot_be_deleted_in_a_batch(world: World, undeletable: Undeletable) -> None:
    batch = swas.DeleteCustomImagesRequest(
        region_id=REGION, image_ids=json.dumps([undeletable.to_ecs])
    )
    error = tea_error(lambda: world.swas(undeletable.owner).delete_custom_images(batch))
    assert (error.code, error.status) == ("CustomImageInShare", 400)
    assert "please unshare first" in error.message
    _undeleted(world, undeletable)


def test_delete_custom_images_takes_a_json_array_all_or_nothing(world: World) -> None:
    who = world.account()
    client = world.swas(who)
    first, second, third = (custom_image(world, who) for _ in range(3))
    bad = swas.DeleteCustomImagesRequest(
        region_id=REGION, image_ids=json.dumps([first, "m-doesnotexist0000000"])
    )
    error = tea_error(lambda: client.delete_custom_images(bad))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    assert set(visible(world, who)) == {first, second, third}
    good = swas.DeleteCustomImagesRequest(region_id=REGION, image_ids=json.dumps([first, second]))
    client.delete_custom_images(good)
    assert set(visible(world, who)) == {third}
    too_many = swas.DeleteCustomImagesRequest(
        region_id=REGION, image_ids=json.dumps([f"m-{i:020d}" for i in range(16)])
    )
    error = tea_error(lambda: client.delete_custom_images(too_many))
    assert (error.code, error.status) == ("InvalidParameter", 400)
    error = tea_error(
        lambda: client.delete_custom_images(swas.DeleteCustomImagesRequest(region_id=REGION))
    )
    assert (error.code, error.status) == ("MissingParameter", 400)
