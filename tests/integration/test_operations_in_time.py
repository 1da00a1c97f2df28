"""Operations that take time, through the official SDKs on both databases: ECS CreateImage
and CopyImage, SWAS CreateCustomImage and ECD CreateImage move through their documented
states as the server's clock is frozen and advanced (ECD CopyImage: test_ecd_copy.py), and
what a caller may do to the image in each state follows the documentation."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from support import ecd as ecd_support
from support import ecs as ecs_support
from support import swas as swas_support
from support.errors import tea_error
from support.operations import frozen, refused, slow_operations_world
from support.world import AccountKeys, World

from imageshare.testing.ecs import DEFAULT_ECS_IMAGE, make_instance

MINUTES = 10  # every operation's duration on this module's server
REGION, OTHER_REGION = ecs_support.REGION, ecs_support.OTHER_REGION


@pytest.fixture(scope="module")
def slow_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with slow_operations_world(backend, tmp_path_factory, "operations", MINUTES) as world:
        yield world


@pytest.fixture
def world(slow_server: World) -> Iterator[World]:
    with frozen(slow_server) as ready:
        yield ready


# --- ECS --------------------------------------------------------------------------------


def _ecs_one(world: World, who: AccountKeys, image_id: str, region: str = REGION) -> Any:
    [found] = ecs_support.images(world, who, region, image_id=image_id, status="ALL").images.image
    return found


def _ecs_state(
    world: World, who: AccountKeys, image_id: str, region: str = REGION
) -> tuple[str, str]:
    found = _ecs_one(world, who, image_id, region)
    return found.status, found.progress


def _create_ecs_image(world: World, who: AccountKeys) -> str:
    instance_id = make_instance(world.ecs(who), REGION, DEFAULT_ECS_IMAGE)
    request = ecs.CreateImageRequest(
        region_id=REGION, instance_id=instance_id, image_name=ecs_support.unique()
    )
    image_id: str = world.ecs(who).create_image(request).body.image_id
    return image_id


def _run_instance(world: World, who: AccountKeys, image_id: str) -> str:
    return make_instance(world.ecs(who), REGION, image_id)


def test_ecs_create_image_creating_then_available(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = _create_ecs_image(world, owner)
    assert _ecs_state(world, owner, image_id) == ("Creating", "0%")
    world.clock.advance(minutes=MINUTES / 2)
    assert _ecs_state(world, owner, image_id) == ("Creating", "50%")
    assert image_id not in ecs_support.custom_ids(world, owner), "DescribeImages: Available only"
    # What the documentation lets no one do to an image being created:
    add = partial(ecs_support.modify, world, owner, image_id, add=[friend.id])
    assert refused(add) == (400, "IncorrectImageStatus")
    assert refused(lambda: _run_instance(world, owner, image_id)) == (
        400,
        "IncorrectImageStatus",
    )
    delete = ecs.DeleteImageRequest(region_id=REGION, image_id=image_id)
    assert refused(lambda: world.ecs(owner).delete_image(delete)) == (403, "ImageIsCreating")
    rename = ecs.ModifyImageAttributeRequest(region_id=REGION, image_id=image_id, image_name="x-y")
    assert refused(lambda: world.ecs(owner).modify_image_attribute(rename)) == (
        403,
        "InvalidStatus.ImageIsCreating",
    )
    copy = ecs.CopyImageRequest(region_id=REGION, image_id=image_id, destination_region_id=REGION)
    assert refused(lambda: world.ecs(owner).copy_image(copy)) == (400, "IncorrectImageStatus")
    world.clock.advance(minutes=MINUTES / 2)
    assert _ecs_state(world, owner, image_id) == ("Available", "100%")
    ecs_support.modify(world, owner, image_id, add=[friend.id])
    assert _run_instance(world, friend, image_id).startswith("i-")


def test_ecs_copy_image_creating_then_available(world: World) -> None:
    owner, friend = world.account(), world.account()
    source = ecs_support.ecs_image(world, owner)
    request = ecs.CopyImageRequest(
        region_id=REGION, image_id=source, destination_region_id=OTHER_REGION
    )
    copy_id: str = world.ecs(owner).copy_image(request).body.image_id
    assert _ecs_state(world, owner, copy_id, OTHER_REGION) == ("Creating", "0%")
    world.clock.advance(minutes=MINUTES * 0.9)
    assert _ecs_state(world, owner, copy_id, OTHER_REGION) == ("Creating", "90%")
    delete = ecs.DeleteImageRequest(region_id=OTHER_REGION, image_id=copy_id)
    assert refused(lambda: world.ecs(owner).delete_image(delete)) == (
        403,
        "OperationDenied.ImageCopying",
    )
    onward = ecs.CopyImageRequest(
        region_id=OTHER_REGION,
        image_id=copy_id,
        destination_region_id=REGION,
        destination_image_name=ecs_support.unique(),
    )
    assert refused(lambda: world.ecs(owner).copy_image(onward)) == (
        403,
        "OperationDenied.ImageCopying",
    )
    add = partial(ecs_support.modify, world, owner, copy_id, add=[friend.id], region=OTHER_REGION)
    assert refused(add) == (400, "IncorrectImageStatus")
    assert _ecs_state(world, owner, source) == ("Available", "100%"), "the source is usable"
    world.clock.advance(seconds=MINUTES * 6)
    assert _ecs_state(world, owner, copy_id, OTHER_REGION) == ("Available", "100%")
    world.ecs(owner).copy_image(onward)  # arrived: copied on


def test_a_running_clock_moves_operations_too(world: World) -> None:
    owner = world.account()
    world.clock.resume()
    image_id = _create_ecs_image(world, owner)
    assert _ecs_state(world, owner, image_id)[0] == "Creating"
    world.clock.advance(minutes=MINUTES)
    assert _ecs_state(world, owner, image_id) == ("Available", "100%")


# --- SWAS -------------------------------------------------------------------------------


def _swas_status(world: World, who: AccountKeys, image_id: str) -> str:
    status: str = swas_support.visible(world, who)[image_id].status
    return status


def test_swas_create_custom_image_creating_then_available(world: World) -> None:
    owner, friend = world.account(), world.account()
    image = world.swas_image(owner)
    assert _swas_status(world, owner, image.id) == "4"  # creating
    client = world.swas(owner)
    add = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image.id, account=[friend.id]
    )
    assert refused(lambda: client.add_custom_image_share_account(add)) == (
        400,
        "IncorrectImageStatus",
    )
    to_ecs = swas.ModifyImageShareStatusRequest(
        region_id=REGION, image_id=image.id, operation="Share"
    )
    assert refused(lambda: client.modify_image_share_status(to_ecs)) == (
        400,
        "IncorrectImageStatus",
    )
    launch = swas.CreateInstancesRequest(
        region_id=REGION, image_id=image.id, plan_id=swas_support.PLAN, period=1
    )
    assert refused(lambda: client.create_instances(launch)) == (400, "IncorrectImageStatus")
    world.clock.advance(minutes=MINUTES)
    assert _swas_status(world, owner, image.id) == "1"  # available
    client.add_custom_image_share_account(add)
    client.modify_image_share_status(to_ecs)
    assert client.create_instances(launch).body.instance_ids


def test_a_creating_swas_image_may_be_deleted(world: World) -> None:
    owner = world.account()
    image = world.swas_image(owner)
    delete = swas.DeleteCustomImageRequest(region_id=REGION, image_id=image.id)
    world.swas(owner).delete_custom_image(delete)
    assert image.id not in swas_support.visible(world, owner)


# --- ECD --------------------------------------------------------------------------------


def _ecd_state(world: World, who: AccountKeys, image_id: str) -> tuple[str, str]:
    found = ecd_support.visible(world, who, image_id=[image_id])[image_id]
    return found.status, found.progress


def test_ecd_create_image_creating_then_available(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = ecd_support.image(world, owner)
    assert _ecd_state(world, owner, image_id) == ("Creating", "0%")
    assert set(ecd_support.visible(world, owner, image_status="Creating")) == {image_id}
    share = partial(ecd_support.modify, world, owner, image_id, add=[friend.id])
    assert refused(share) == (400, "IncorrectImageStatus")
    copy = ecd.CopyImageRequest(
        region_id=REGION,
        image_id=image_id,
        destination_region_id=OTHER_REGION,
        destination_image_name="its-copy",
    )
    assert refused(lambda: world.ecd(owner).copy_image(copy)) == (400, "IncorrectImageStatus")
    cancel = ecd.CancelCopyImageRequest(region_id=REGION, image_id=image_id)
    error = tea_error(lambda: world.ecd(owner).cancel_copy_image(cancel))
    assert (error.status, error.code) == (400, "IncorrectImageStatus")
    assert "not being copied" in error.message, "CreateImage's image is not a copy"
    world.clock.advance(minutes=MINUTES / 4)
    assert _ecd_state(world, owner, image_id) == ("Creating", "25%")
    world.clock.advance(minutes=MINUTES)
    assert _ecd_state(world, owner, image_id) == ("Available", "100%")
    share()
    assert world.ecd(owner).copy_image(copy).body.image_id


def test_a_creating_ecd_image_may_be_deleted(world: World) -> None:
    owner = world.account()
    image_id = ecd_support.image(world, owner)
    delete = ecd.DeleteImagesRequest(region_id=REGION, image_id=[image_id])
    world.ecd(owner).delete_images(delete)
    assert image_id not in ecd_support.visible(world, owner)
