"""ECS in world files: instances from public images, images of them (with fixed ids and
families) and shares, loaded and then real to the official ECS SDK; and the checks that
refuse a bad ECS entry with its line."""

from __future__ import annotations

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support.databases import migrated_database_url
from support.server import running_server
from support.world import AccountKeys, World
from world_support import load_text

from imageshare.world import WorldInvalid
from imageshare.world.schema import parse_world

WORLD = """
version: 1
accounts:
  - name: builder
    id: 1000000000000701
    access_keys: [{id: LTAIecsbuilder0000000001, secret: ecs-builder-secret-000000001}]
    ecs:
      instances:
        - {name: bake, region: cn-hangzhou, image: ubuntu_22_04_x64_20G_alibase_20240812.vhd}
      images:
        - {name: golden-ecs, instance: bake, id: m-ecsgolden00000000001, family: golden}
  - name: user
    id: 1000000000000702
    access_keys: [{id: LTAIecsuser0000000000001, secret: ecs-user-secret-0000000001}]
shares:
  - {ecs_image: builder/golden-ecs, accounts: [user]}
"""


BAKE = (
    "        - {name: bake, region: cn-hangzhou, image: ubuntu_22_04_x64_20G_alibase_20240812.vhd}"
)


def _keys(account_id: int, key_id: str, secret: str) -> AccountKeys:
    return AccountKeys(account_id, "china", key_id, secret)


def test_an_ecs_world_is_real_to_the_sdk(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp(f"ecs-world-{backend}")
    with migrated_database_url(backend, str(tmp)) as url, running_server(url) as (endpoint, store):
        loaded = load_text(store, WORLD)
        world = World(endpoint, store)
        builder = _keys(
            1000000000000701, "LTAIecsbuilder0000000001", "ecs-builder-secret-000000001"
        )
        user = _keys(1000000000000702, "LTAIecsuser0000000000001", "ecs-user-secret-0000000001")
        assert loaded.counts["ECS instances"] == 1 and loaded.counts["shares"] == 1
        request = ecs.DescribeImagesRequest(region_id="cn-hangzhou", image_owner_alias="self")
        own = world.ecs(builder).describe_images(request).body.images.image
        assert [(i.image_id, i.image_family, i.platform) for i in own] == [
            ("m-ecsgolden00000000001", "golden", "Ubuntu")
        ]
        shared = (
            world.ecs(user)
            .describe_images(
                ecs.DescribeImagesRequest(region_id="cn-hangzhou", image_owner_alias="others")
            )
            .body.images.image
        )
        assert [(i.image_id, i.image_owner_id) for i in shared] == [
            ("m-ecsgolden00000000001", 1000000000000701)
        ]
        instances = (
            world.ecs(builder)
            .describe_instances(ecs.DescribeInstancesRequest(region_id="cn-hangzhou"))
            .body.instances.instance
        )
        assert [i.instance_name for i in instances] == ["bake"]


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("        - {name: bake, region: mars-1}", 'ECS is not offered in region "mars-1"'),
        (
            "        - {name: bake, region: cn-hangzhou, image: nope.vhd}",
            'no ECS public image "nope.vhd"',
        ),
        (
            "        - {name: bake, region: cn-hangzhou, instance_type: ecs.x}",
            'no instance type "ecs.x"',
        ),
    ],
)
def test_bad_ecs_instances_are_refused_with_their_line(line: str, needle: str) -> None:
    text = WORLD.replace(BAKE, line)
    with pytest.raises(WorldInvalid) as refused:
        parse_world(text, "world.yaml")
    assert needle in str(refused.value) and "world.yaml:" in str(refused.value)
