"""ClientToken on SWAS actions: a retry with the same token and parameters replays the first
answer and changes nothing more; other parameters are IdempotentParameterMismatch; malformed
tokens are InvalidParameter; tokens belong to the calling account."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client
from support.errors import tea_error
from support.swas import (
    LINUX_IMAGE,
    PLAN,
    REGION,
    custom_image,
    disk_of,
    share_users,
    snapshot,
    unique,
    visible,
)
from support.swas import server as make_server
from support.world import AccountKeys, World


def test_create_custom_image_replays_the_first_image(world: World) -> None:
    who = world.account()
    client = world.swas(who)
    instance_id = make_server(client)
    system = snapshot(client, disk_of(client, instance_id, "System"))
    token = str(uuid.uuid4())
    request = swas.CreateCustomImageRequest(
        region_id=REGION,
        instance_id=instance_id,
        system_snapshot_id=system,
        image_name=unique("idem"),
        client_token=token,
    )
    first = client.create_custom_image(request).body
    again = client.create_custom_image(request).body
    assert again.image_id == first.image_id and again.request_id != first.request_id
    assert list(visible(world, who)) == [first.image_id]
    request.image_name = unique("other")
    error = tea_error(lambda: client.create_custom_image(request))
    assert (error.code, error.status) == ("IdempotentParameterMismatch", 400)
    assert list(visible(world, who)) == [first.image_id]


def test_create_instances_and_snapshot_replay(world: World) -> None:
    client = world.swas(world.account())
    order = swas.CreateInstancesRequest(
        region_id=REGION, image_id=LINUX_IMAGE, plan_id=PLAN, period=1, client_token="order-1"
    )
    first = client.create_instances(order).body.instance_ids
    assert client.create_instances(order).body.instance_ids == first
    listed = client.list_instances(swas.ListInstancesRequest(region_id=REGION)).body
    assert listed.total_count == 1
    disk_id = disk_of(client, first[0], "System")
    take = swas.CreateSnapshotRequest(
        region_id=REGION, disk_id=disk_id, snapshot_name="snap-a", client_token="snap-1"
    )
    snapshot_id = client.create_snapshot(take).body.snapshot_id
    assert client.create_snapshot(take).body.snapshot_id == snapshot_id
    body = client.list_snapshots(swas.ListSnapshotsRequest(region_id=REGION)).body
    assert body.total_count == 1


def test_share_replay_changes_nothing_more(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    client = world.swas(owner)
    add = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[friend.id], client_token="share-1"
    )
    client.add_custom_image_share_account(add)
    remove = swas.RemoveCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[friend.id]
    )
    client.remove_custom_image_share_account(remove)
    client.add_custom_image_share_account(add)  # a late retry of the first call
    assert share_users(world, owner, image_id) == []
    add.account = [world.account().id]
    error = tea_error(lambda: client.add_custom_image_share_account(add))
    assert (error.code, error.status) == ("IdempotentParameterMismatch", 400)
    assert error.request_id


def test_modify_share_status_replay_and_mismatch(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    client = world.swas(owner)
    request = swas.ModifyImageShareStatusRequest(
        region_id=REGION, image_id=image_id, operation="Share", client_token="status-1"
    )
    client.modify_image_share_status(request)
    client.modify_image_share_status(
        swas.ModifyImageShareStatusRequest(region_id=REGION, image_id=image_id, operation="UnShare")
    )
    client.modify_image_share_status(request)
    assert visible(world, owner)[image_id].in_share is False, "the replay did not share again"
    request.operation = "UnShare"
    error = tea_error(lambda: client.modify_image_share_status(request))
    assert (error.code, error.status) == ("IdempotentParameterMismatch", 400)


def test_a_failed_call_does_not_burn_its_token(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    client = world.swas(owner)
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[1999999999999999], client_token="retry-1"
    )
    error = tea_error(lambda: client.add_custom_image_share_account(request))
    assert error.code == "InvalidAccount.NotFound"
    request.account = [friend.id]
    client.add_custom_image_share_account(request)
    assert share_users(world, owner, image_id) == [friend.id]


def test_tokens_are_scoped_to_the_account(world: World) -> None:
    first, second = world.account(), world.account()
    images = {who.id: custom_image(world, who) for who in (first, second)}
    for who in (first, second):
        friend = world.account()
        request = swas.AddCustomImageShareAccountRequest(
            region_id=REGION, image_id=images[who.id], account=[friend.id], client_token="shared"
        )
        world.swas(who).add_custom_image_share_account(request)
        assert share_users(world, who, images[who.id]) == [friend.id]


@pytest.fixture(scope="module")
def owned(server: World) -> tuple[AccountKeys, str]:
    """An owner and its unshared image, which no malformed token may change."""
    owner = server.account()
    return owner, custom_image(server, owner)


def _tokened(client: Client, image_id: str, action: str, token: str) -> Any:
    if action == "ModifyImageShareStatus":
        return client.modify_image_share_status(
            swas.ModifyImageShareStatusRequest(
                region_id=REGION, image_id=image_id, operation="Share", client_token=token
            )
        )
    if action == "ListCustomImages":
        return client.list_custom_images(
            swas.ListCustomImagesRequest(region_id=REGION, client_token=token)
        )
    return client.delete_custom_images(
        swas.DeleteCustomImagesRequest(
            region_id=REGION, image_ids=json.dumps([image_id]), client_token=token
        )
    )


@pytest.mark.parametrize(
    "action", ["ModifyImageShareStatus", "ListCustomImages", "DeleteCustomImages"]
)
@pytest.mark.parametrize("token", ["x" * 65, "令牌"], ids=["65 characters", "not ASCII"])
def test_malformed_tokens_are_invalid_parameter(
    world: World, owned: tuple[AccountKeys, str], token: str, action: str
) -> None:
    owner, image_id = owned
    error = tea_error(lambda: _tokened(world.swas(owner), image_id, action, token))
    assert (error.code, error.status) == ("InvalidParameter", 400)
    assert '"ClientToken"' in error.message
    assert visible(world, owner)[image_id].in_share is False


def test_a_token_of_64_characters_is_taken(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    _tokened(world.swas(owner), image_id, "ModifyImageShareStatus", "x" * 64)
    assert visible(world, owner)[image_id].in_share is True
