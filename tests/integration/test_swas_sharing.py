"""Sharing SWAS custom images with accounts and to ECS: every documented rule, limit and
error, through the tea SDK and the old aliyun-python-sdk-swas-open request classes."""

from __future__ import annotations

import json
import re
import time

from alibabacloud_swas_open20200601 import models as swas
from aliyunsdkswas_open.request.v20200601.AddCustomImageShareAccountRequest import (
    AddCustomImageShareAccountRequest,
)
from aliyunsdkswas_open.request.v20200601.ListCustomImageShareAccountsRequest import (
    ListCustomImageShareAccountsRequest,
)
from aliyunsdkswas_open.request.v20200601.ModifyImageShareStatusRequest import (
    ModifyImageShareStatusRequest,
)
from aliyunsdkswas_open.request.v20200601.RemoveCustomImageShareAccountRequest import (
    RemoveCustomImageShareAccountRequest,
)
from support.errors import old_error, tea_error
from support.swas import (
    REGION,
    custom_image,
    share,
    share_users,
    unshare,
    visible,
)
from support.world import AccountKeys, World

SHARED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.0$")


def _add(
    world: World, owner: AccountKeys, image_id: str, accounts: list[int], **extra: str
) -> None:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=extra.get("region", REGION), image_id=image_id, account=accounts
    )
    world.swas(owner).add_custom_image_share_account(request)


def test_share_list_and_unshare(world: World) -> None:
    owner, b, c = world.account(), world.account(), world.account()
    image_id = custom_image(world, owner)
    share(world, owner, image_id, b.id)
    share(world, owner, image_id, c.id)
    request = swas.ListCustomImageShareAccountsRequest(region_id=REGION, image_id=image_id)
    body = world.swas(owner).list_custom_image_share_accounts(request).body
    assert (body.total_count, body.page_number, body.page_size) == (2, 1, 10)
    assert [u.user_id for u in body.image_share_users] == [b.id, c.id]
    assert all(SHARED_TIME.match(u.shared_time) for u in body.image_share_users)
    raw = body.to_map()["ImageShareUsers"][0]["UserId"]
    assert isinstance(raw, int)
    assert visible(world, owner)[image_id].in_share_user is True
    unshare(world, owner, image_id, b.id, c.id)
    assert share_users(world, owner, image_id) == []
    assert visible(world, owner)[image_id].in_share_user is False


def test_readding_keeps_the_first_shared_time_and_removing_a_stranger_is_a_no_op(
    world: World,
) -> None:
    owner, b, c = world.account(), world.account(), world.account()
    image_id = custom_image(world, owner)
    share(world, owner, image_id, b.id)
    request = swas.ListCustomImageShareAccountsRequest(region_id=REGION, image_id=image_id)
    first = world.swas(owner).list_custom_image_share_accounts(request).body.image_share_users
    time.sleep(1.1)  # SharedTime shows seconds: a rewrite would be visible
    share(world, owner, image_id, b.id, b.id)
    again = world.swas(owner).list_custom_image_share_accounts(request).body.image_share_users
    assert [(u.user_id, u.shared_time) for u in again] == [(b.id, first[0].shared_time)]
    unshare(world, owner, image_id, c.id)
    assert share_users(world, owner, image_id) == [b.id]


def test_ten_accounts_in_one_call(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    ten = [world.account().id for _ in range(10)]
    _add(world, owner, image_id, ten)
    assert sorted(share_users(world, owner, image_id)) == sorted(ten)


def test_per_image_limit_is_all_or_nothing(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    first = [world.account().id for _ in range(8)]
    _add(world, owner, image_id, first)
    more = [world.account().id for _ in range(3)]
    error = tea_error(lambda: _add(world, owner, image_id, more))
    assert (error.code, error.status) == ("QuotaExceed.ShareImageUser", 403)
    assert "at most 10 accounts" in error.message
    assert sorted(share_users(world, owner, image_id)) == sorted(first)
    _add(world, owner, image_id, [first[0], *more[:2]])  # re-adding one does not count twice
    assert len(share_users(world, owner, image_id)) == 10


def test_list_share_accounts_paging(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    accounts = [world.account().id for _ in range(5)]
    _add(world, owner, image_id, accounts)
    client = world.swas(owner)

    def page(number: int, size: int) -> swas.ListCustomImageShareAccountsResponseBody:
        request = swas.ListCustomImageShareAccountsRequest(
            region_id=REGION, image_id=image_id, page_number=number, page_size=size
        )
        return client.list_custom_image_share_accounts(request).body

    ordered = [u.user_id for u in page(1, 50).image_share_users]
    assert sorted(ordered) == sorted(accounts)
    assert ordered == [u.user_id for u in page(1, 50).image_share_users], "stable order"
    pages = [u.user_id for n in (1, 2, 3) for u in page(n, 2).image_share_users]
    assert pages == ordered
    assert page(3, 2).total_count == 5 and page(4, 2).image_share_users == []


def test_modify_image_share_status(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    client = world.swas(owner)

    def modify(operation: str) -> None:
        request = swas.ModifyImageShareStatusRequest(
            region_id=REGION, image_id=image_id, operation=operation
        )
        client.modify_image_share_status(request)

    assert visible(world, owner)[image_id].in_share is False
    modify("Share")
    modify("Share")
    assert visible(world, owner)[image_id].in_share is True
    modify("UnShare")
    modify("UnShare")
    assert visible(world, owner)[image_id].in_share is False


def test_recipient_side(world: World) -> None:
    owner, recipient = world.account(), world.account()
    shared, private = custom_image(world, owner), custom_image(world, owner)
    own = custom_image(world, recipient)
    share(world, owner, shared, recipient.id)
    assert set(visible(world, recipient)) == {shared, own}
    assert set(visible(world, recipient, share=True)) == {shared}
    assert set(visible(world, recipient, share=False)) == {own}
    seen = visible(world, recipient)[shared]
    assert seen.user_id == owner.id and seen.in_share_user is True
    assert seen.instance_id == "" and seen.system_snapshot_id == "" and seen.tags == []
    assert private not in visible(world, recipient)
    assert set(visible(world, owner, share=True)) == set()
    unshare(world, owner, shared, recipient.id)
    assert set(visible(world, recipient)) == {own}


def test_old_sdk_sharing_actions(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    client = world.old(owner)

    def run(request: object) -> dict[str, object]:
        request.set_endpoint("127.0.0.1")  # type: ignore[attr-defined]
        request.set_protocol_type("http")  # type: ignore[attr-defined]
        body: dict[str, object] = json.loads(client.do_action_with_exception(request))
        return body

    add = AddCustomImageShareAccountRequest()
    add.set_ImageId(image_id)
    add.set_Accounts([friend.id])
    assert run(add)["RequestId"]
    listing = ListCustomImageShareAccountsRequest()
    listing.set_ImageId(image_id)
    listing.set_PageSize(50)
    body = run(listing)
    assert body["TotalCount"] == 1
    assert [u["UserId"] for u in body["ImageShareUsers"]] == [friend.id]  # type: ignore[attr-defined]
    status = ModifyImageShareStatusRequest()
    status.set_ImageId(image_id)
    status.set_Operation("Share")
    run(status)
    assert visible(world, owner)[image_id].in_share is True
    remove = RemoveCustomImageShareAccountRequest()
    remove.set_ImageId(image_id)
    remove.set_Accounts([friend.id])
    run(remove)
    assert share_users(world, owner, image_id) == []
    status.set_Operation("Stop")
    error = old_error(lambda: run(status))
    assert (error.code, error.status) == ("InvalidParam.OperationIllegal", 400)
    missing = ListCustomImageShareAccountsRequest()
    missing.set_ImageId("m-doesnotexist0000000")
    error = old_error(lambda: run(missing))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
