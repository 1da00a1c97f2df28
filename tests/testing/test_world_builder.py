"""The world builder and the in-process server of imageshare.testing, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from aliyunsdkswas_open.request.v20200601.ListCustomImagesRequest import (
    ListCustomImagesRequest,
)
from support.databases import migrated_database_url
from support.world import World as SupportWorld

import imageshare.testing as testing
from imageshare.testing.sdk import SdkMissing
from imageshare.testing.server import serve_in_thread
from imageshare.testing.world import AccountKeys, World


@pytest.fixture
def world(server: SupportWorld) -> World:
    return World(server.endpoint, server.store)


def _account_ids(world: World) -> set[int]:
    with world.store.unit_of_work() as uow:
        return {account.id for account in uow.accounts.list()}


def test_accounts_with_chosen_ids_and_sites(world: World) -> None:
    chosen = 1888888888888888  # nothing else in the session picks ids; random ones miss it
    who = world.account(site="international", id=chosen)
    assert (who.id, who.site) == (chosen, "international")
    assert world.swas(who).list_regions(swas.ListRegionsRequest()).body.regions
    before = _account_ids(world)
    for site, account_id, message in [
        ("mars", None, "unknown site 'mars'"),
        ("china", 123, "must be 16 digits beginning with 1"),
        ("china", 2000000000000000, "must be 16 digits beginning with 1"),
        ("china", chosen, "already exists"),
    ]:
        with pytest.raises(ValueError, match=message):
            world.account(site=site, id=account_id)
    assert _account_ids(world) == before


def test_swas_image_goes_through_the_official_path(world: World) -> None:
    owner = world.account()
    image = world.swas_image(owner, region="cn-beijing", name="base-image")
    assert image.id.startswith("m-") and (image.region, image.name) == ("cn-beijing", "base-image")
    request = swas.ListCustomImagesRequest(region_id="cn-beijing")
    listed = world.swas(owner).list_custom_images(request).body.custom_images
    assert [(i.image_id, i.name) for i in listed] == [(image.id, "base-image")]
    assert listed[0].instance_id == image.instance_id
    assert listed[0].system_snapshot_id == image.system_snapshot_id


def test_ecs_image_goes_through_the_official_path(world: World) -> None:
    owner = world.account()
    image_id = world.ecs_image(owner, region="cn-beijing", name="ecs-base")
    request = ecs.DescribeImagesRequest(region_id="cn-beijing", image_owner_alias="self")
    listed = world.ecs(owner).describe_images(request).body.images.image
    assert [(i.image_id, i.image_name, i.status) for i in listed] == [
        (image_id, "ecs-base", "Available")
    ]
    instance_id = world.ecs_instance(owner, "cn-beijing", image_id)
    described = world.ecs(owner).describe_instances(
        ecs.DescribeInstancesRequest(region_id="cn-beijing", instance_ids=f'["{instance_id}"]')
    )
    assert described.body.instances.instance[0].image_id == image_id


def test_old_sdk_client_needs_no_set_endpoint(world: World) -> None:
    owner = world.account()
    image = world.swas_image(owner)
    # The old SDK takes RegionId from the client, and now its endpoint too.
    body = json.loads(world.old(owner).do_action_with_exception(ListCustomImagesRequest()))
    assert [i["ImageId"] for i in body["CustomImages"]] == [image.id]


def test_a_missing_sdk_names_the_package_to_install(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "alibabacloud_ecd20200930.client", None)
    who = AccountKeys(1000000000000000, "china", "LTAIany", "secret")
    with pytest.raises(SdkMissing, match="pip install alibabacloud-ecd20200930"):
        world.ecd(who)


def test_the_package_names_load_on_first_use() -> None:
    assert testing.World is World and testing.AccountKeys is AccountKeys
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = testing.Nope


def test_running_server_resets_exports_snapshots_and_restores(tmp_path: Path) -> None:
    with migrated_database_url("sqlite", str(tmp_path)) as url, serve_in_thread(url) as server:
        world = World(server.endpoint, server.store)
        owner = world.account()
        image = world.swas_image(owner)
        saved = server.export()
        server.snapshot("with-image")
        server.reset()
        assert all(rows == [] for rows in server.export()["tables"].values())
        server.restore("with-image")
        assert server.export()["tables"] == saved["tables"]
        server.reset()
        server.import_state(saved)
        request = swas.ListCustomImagesRequest(region_id=world.region)
        listed = world.swas(owner).list_custom_images(request).body.custom_images
        assert [i.image_id for i in listed] == [image.id]
        assert (server.host, server.url) == ("127.0.0.1", f"http://127.0.0.1:{server.port}")


def test_ram_users_with_a_policy_and_ecd_images(world: World) -> None:
    from alibabacloud_ecd20200930 import models as ecd

    owner, friend = world.account(), world.account()
    image_id = world.ecd_image(owner, name="golden")
    reader = world.ram_user(
        owner,
        policy={"Version": "1", "Statement": [
            {"Effect": "Allow", "Action": "ecd:DescribeImages", "Resource": "*"}
        ]},
    )  # fmt: skip
    described = world.ecd(reader).describe_images(
        ecd.DescribeImagesRequest(region_id=world.region, image_id=[image_id])
    )
    assert [image.image_id for image in described.body.images] == [image_id]
    share = ecd.ModifyImagePermissionRequest(
        region_id=world.region, image_id=image_id, add_account=[friend.id]
    )
    with pytest.raises(Exception, match="Forbidden.RAM"):
        world.ecd(reader).modify_image_permission(share)
    admin = world.ram_user(owner, system=("AliyunECDFullAccess",))
    world.ecd(admin).modify_image_permission(share)
    seen = world.ecd(friend).describe_images(
        ecd.DescribeImagesRequest(region_id=world.region, image_id=[image_id])
    )
    assert [image.image_id for image in seen.body.images] == [image_id]
