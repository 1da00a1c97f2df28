"""CreateCustomImage, ListCustomImages and ListImages for custom images, through the
official tea SDK, with every documented error (deleting custom images:
test_swas_delete_custom_images)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from alibabacloud_swas_open20200601 import models as swas
from support.errors import tea_error
from support.swas import (
    OTHER_REGION,
    REGION,
    custom_image,
    disk_of,
    server,
    share,
    snapshot,
    unique,
    visible,
)
from support.swas import server as make_server
from support.world import AccountKeys, World


def _image_request(**values: object) -> swas.CreateCustomImageRequest:
    return swas.CreateCustomImageRequest(region_id=REGION, **values)


def test_create_custom_image_with_data_snapshot_tags_and_description(world: World) -> None:
    who = world.account()
    client = world.swas(who)
    instance_id = server(client, data_disk=60)
    system = snapshot(client, disk_of(client, instance_id, "System"))
    data = snapshot(client, disk_of(client, instance_id, "Data"))
    request = _image_request(
        instance_id=instance_id,
        system_snapshot_id=system,
        data_snapshot_id=data,
        image_name="中文-golden:v1_2",
        description="base image",
        resource_group_id="rg-aek2bti7cf7abcd",
        tag=[swas.CreateCustomImageRequestTag(key="team", value="infra")],
    )
    image_id = client.create_custom_image(request).body.image_id
    assert image_id.startswith("m-") and len(image_id) == 22
    image = visible(world, who)[image_id]
    assert (image.name, image.description, image.status) == ("中文-golden:v1_2", "base image", "1")
    assert (image.instance_id, image.system_snapshot_id, image.data_snapshot_id) == (
        instance_id,
        system,
        data,
    )
    assert (image.required_system_disk_size, image.required_data_disk_size) == (40, 60)
    assert image.user_id == who.id and image.in_share is False and image.in_share_user is False
    assert [(t.key, t.value) for t in image.tags] == [("team", "infra")]
    assert image.resource_group_id == "rg-aek2bti7cf7abcd"
    assert image.creation_time.endswith("Z")


@dataclass(frozen=True)
class ImageSources:
    """An account's server with both snapshots, a second server, and a stranger's server."""

    who: AccountKeys
    instance_id: str
    system: str
    data: str
    other_instance: str
    their_instance: str

    def resolve(self, values: dict[str, str]) -> dict[str, str]:
        """``values`` with each "<name>" replaced by that attribute (the ids exist per run)."""
        return {k: getattr(self, v[1:-1]) if v.startswith("<") else v for k, v in values.items()}


@pytest.fixture(scope="module")
def sources(server: World) -> ImageSources:
    who, stranger = server.account(), server.account()
    client = server.swas(who)
    instance_id = make_server(client, data_disk=40)
    system = snapshot(client, disk_of(client, instance_id, "System"))
    data = snapshot(client, disk_of(client, instance_id, "Data"))
    other, theirs = make_server(client), make_server(server.swas(stranger))
    return ImageSources(who, instance_id, system, data, other, theirs)


GOOD = {"instance_id": "<instance_id>", "system_snapshot_id": "<system>", "image_name": "good-name"}
CREATE_ERRORS = [
    ({**GOOD, "image_name": "-bad"}, "InvalidParam.IllegalImageName", 400),
    ({**GOOD, "image_name": "x"}, "InvalidParam.IllegalImageName", 400),
    ({**GOOD, "image_name": "has.dot"}, "InvalidParam.IllegalImageName", 400),
    ({**GOOD, "image_name": "a" * 129}, "InvalidParam.IllegalImageName", 400),
    ({**GOOD, "instance_id": "f" * 32}, "InvalidInstanceId.NotFound", 404),
    ({**GOOD, "instance_id": "<their_instance>"}, "InvalidInstanceId.NotFound", 404),
    ({**GOOD, "system_snapshot_id": "s-x"}, "InvalidParam.SystemSnapshotIdNotFound", 400),
    ({**GOOD, "system_snapshot_id": "<data>"}, "InvalidParam.SystemSnapshotIdNotSupport", 400),
    ({**GOOD, "instance_id": "<other_instance>"}, "InvalidParam.SystemSnapshotIdNotSupport", 400),
    ({**GOOD, "data_snapshot_id": "s-x"}, "InvalidParam.DataSnapshotIdNotFound", 400),
    ({**GOOD, "data_snapshot_id": "<system>"}, "InvalidParam.DataSnapshotIdNotFound", 400),
    ({"instance_id": "<instance_id>", "image_name": "n1"}, "MissingParameter", 400),
]


@pytest.mark.parametrize(("values", "code", "status"), CREATE_ERRORS)
def test_create_custom_image_errors(
    world: World, sources: ImageSources, values: dict[str, str], code: str, status: int
) -> None:
    request = _image_request(**sources.resolve(values))
    error = tea_error(lambda: world.swas(sources.who).create_custom_image(request))
    assert (error.code, error.status) == (code, status), values
    assert visible(world, sources.who) == {}, "failed creates leave nothing behind"


def test_a_missing_system_snapshot_is_named_in_the_message(
    world: World, sources: ImageSources
) -> None:
    request = _image_request(**sources.resolve({**GOOD, "system_snapshot_id": "s-x"}))
    error = tea_error(lambda: world.swas(sources.who).create_custom_image(request))
    assert "systemSnapshotId" in error.message


def test_image_name_must_be_unique_per_region(world: World) -> None:
    who = world.account()
    name = unique("dup")
    custom_image(world, who, name=name)
    error = tea_error(lambda: custom_image(world, who, name=name))
    assert (error.code, error.status) == ("ImageNameAlreadyExist", 400)
    custom_image(world, who, region=OTHER_REGION, name=name)
    custom_image(world, world.account(), name=name)


def test_custom_image_quota_is_three_per_server(world: World) -> None:
    who = world.account()
    client = world.swas(who)
    instance_id = server(client)
    system = snapshot(client, disk_of(client, instance_id, "System"))
    for _ in range(3):
        request = _image_request(
            instance_id=instance_id, system_snapshot_id=system, image_name=unique("q")
        )
        client.create_custom_image(request)
    request = _image_request(
        instance_id=instance_id, system_snapshot_id=system, image_name=unique("q")
    )
    error = tea_error(lambda: client.create_custom_image(request))
    assert (error.code, error.status) == ("CustomImageQuotaLimit", 400)
    assert error.message.startswith("code: 400, The maximum number of custom image")


def test_list_custom_images_filters_and_string_paging(world: World) -> None:
    who = world.account()
    client = world.swas(who)
    instance_id = server(client)
    system = snapshot(client, disk_of(client, instance_id, "System"))
    names = [unique("f") for _ in range(3)]
    ids = []
    for index, name in enumerate(names):
        tags = [swas.CreateCustomImageRequestTag(key="n", value=str(index))]
        request = _image_request(
            instance_id=instance_id, system_snapshot_id=system, image_name=name, tag=tags
        )
        ids.append(client.create_custom_image(request).body.image_id)
    other = custom_image(world, who)

    def listed(**filters: object) -> list[str]:
        request = swas.ListCustomImagesRequest(region_id=REGION, **filters)
        return [i.image_id for i in client.list_custom_images(request).body.custom_images]

    assert listed(image_ids=json.dumps([ids[0], other])) == [ids[0], other]
    assert listed(image_ids=f"{ids[1]},{ids[2]}") == ids[1:]
    assert listed(image_names=json.dumps(names[:2])) == ids[:2]
    assert listed(instance_id=instance_id) == ids
    assert listed(system_snapshot_id=system) == ids
    assert listed(tag=[swas.ListCustomImagesRequestTag(key="n", value="2")]) == [ids[2]]
    page = client.list_custom_images(
        swas.ListCustomImagesRequest(region_id=REGION, page_size=2, page_number=2)
    ).body
    assert (page.total_count, page.page_size, page.page_number) == ("4", "2", "2")
    assert [i.image_id for i in page.custom_images] == [ids[2], other]
    made_from = server_from(world, who, ids[0])
    assert visible(world, who)[ids[0]].create_instances == [made_from]


def server_from(world: World, who: object, image_id: str) -> str:
    request = swas.CreateInstancesRequest(
        region_id=REGION, image_id=image_id, plan_id="swas.s2.c2m1s40b3t04", period=1
    )
    made: str = world.swas(who).create_instances(request).body.instance_ids[0]  # type: ignore[arg-type]
    return made


def test_list_images_includes_visible_custom_images(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)

    def customs(who: object) -> list[str]:
        request = swas.ListImagesRequest(region_id=REGION, image_type="custom")
        images = world.swas(who).list_images(request).body.images  # type: ignore[arg-type]
        return [i.image_id for i in images]

    assert customs(owner) == [image_id] and customs(friend) == []
    share(world, owner, image_id, friend.id)
    assert customs(friend) == [image_id]
    server_from(world, friend, image_id)  # a recipient can launch a server from it
