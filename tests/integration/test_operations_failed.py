"""An operation that takes time and ends CreateFailed because a fault rule says so
(``world.faults.add("ecs:CreateImage", fail_operation=True)``), through the official SDKs:
the image is in progress for its whole duration, shows its product's failed status once the
run ends, and can be deleted but not shared, copied or launched."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from support import ecd as ecd_support
from support import ecs as ecs_support
from support import swas as swas_support
from support.operations import frozen, refused, slow_operations_world
from support.world import World

from imageshare.testing.ecs import DEFAULT_ECS_IMAGE, make_instance

MINUTES = 10
REGION, OTHER_REGION = ecs_support.REGION, ecs_support.OTHER_REGION


@pytest.fixture(scope="module")
def failing_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with slow_operations_world(backend, tmp_path_factory, "failing", MINUTES) as world:
        yield world


@pytest.fixture
def world(failing_server: World) -> Iterator[World]:
    with frozen(failing_server) as ready:
        yield ready


def test_an_ecs_image_that_fails(world: World) -> None:
    owner, friend = world.account(), world.account()
    world.faults.add("ecs:CreateImage", fail_operation=True, account=owner.id, count=1)
    instance_id = make_instance(world.ecs(owner), REGION, DEFAULT_ECS_IMAGE)
    create = ecs.CreateImageRequest(region_id=REGION, instance_id=instance_id, image_name="fails")
    image_id = world.ecs(owner).create_image(create).body.image_id
    found = ecs_support.images(world, owner, image_id=image_id, status="ALL").images.image
    assert found[0].status == "Creating", "it fails at the end of its run, not before"
    world.clock.advance(minutes=MINUTES)
    found = ecs_support.images(world, owner, image_id=image_id, status="ALL").images.image
    assert found[0].status == "CreateFailed"
    assert ecs_support.custom_ids(world, owner, status="CreateFailed") == [image_id]
    add = partial(ecs_support.modify, world, owner, image_id, add=[friend.id])
    assert refused(add) == (400, "IncorrectImageStatus")
    copy = ecs.CopyImageRequest(region_id=REGION, image_id=image_id, destination_region_id=REGION)
    assert refused(lambda: world.ecs(owner).copy_image(copy)) == (400, "IncorrectImageStatus")
    launch = partial(make_instance, world.ecs(owner), REGION, image_id)
    assert refused(launch) == (400, "IncorrectImageStatus")
    world.ecs(owner).delete_image(ecs.DeleteImageRequest(region_id=REGION, image_id=image_id))
    assert ecs_support.custom_ids(world, owner, status="ALL") == []


def test_a_swas_image_that_fails(world: World) -> None:
    owner, friend = world.account(), world.account()
    world.faults.add("swas-open:CreateCustomImage", fail_operation=True, account=owner.id)
    image = world.swas_image(owner)
    assert swas_support.visible(world, owner)[image.id].status == "4"
    world.clock.advance(minutes=MINUTES)
    assert swas_support.visible(world, owner)[image.id].status == "3"  # creation failed
    add = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image.id, account=[friend.id]
    )
    share = partial(world.swas(owner).add_custom_image_share_account, add)
    assert refused(share) == (400, "IncorrectImageStatus")
    world.swas(owner).delete_custom_image(
        swas.DeleteCustomImageRequest(region_id=REGION, image_id=image.id)
    )


def test_an_ecd_image_that_fails(world: World) -> None:
    owner, friend = world.account(), world.account()
    world.faults.add("ecd:CreateImage", fail_operation=True, region=REGION)
    image_id = ecd_support.image(world, owner)
    world.clock.advance(minutes=MINUTES)
    found = ecd_support.visible(world, owner, image_status="CreateFailed")
    assert set(found) == {image_id}
    share = partial(ecd_support.modify, world, owner, image_id, add=[friend.id])
    assert refused(share) == (400, "IncorrectImageStatus")
    copy = ecd.CopyImageRequest(
        region_id=REGION,
        image_id=image_id,
        destination_region_id=OTHER_REGION,
        destination_image_name="copy-of-failed",
    )
    assert refused(lambda: world.ecd(owner).copy_image(copy)) == (400, "IncorrectImageStatus")
    world.ecd(owner).delete_images(ecd.DeleteImagesRequest(region_id=REGION, image_id=[image_id]))


def test_a_copy_that_fails_and_the_next_that_does_not(world: World) -> None:
    owner = world.account()
    source = ecs_support.ecs_image(world, owner)
    world.faults.add("ecs:CopyImage", fail_operation=True, count=1)
    copies = [
        world.ecs(owner)
        .copy_image(
            ecs.CopyImageRequest(
                region_id=REGION,
                image_id=source,
                destination_region_id=OTHER_REGION,
                destination_image_name=f"copy-{n}",
            )
        )
        .body.image_id
        for n in range(2)
    ]
    world.clock.advance(minutes=MINUTES)
    found = ecs_support.images(world, owner, OTHER_REGION, status="ALL", page_size=100)
    assert {i.image_id: i.status for i in found.images.image if i.image_id in copies} == {
        copies[0]: "CreateFailed",
        copies[1]: "Available",
    }
