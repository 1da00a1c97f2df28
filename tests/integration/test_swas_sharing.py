"""Sharing SWAS custom images with accounts and to ECS: every documented rule, limit and
error, through the tea SDK and the old aliyun-python-sdk-swas-open request classes."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

import pytest
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
    OTHER_REGION,
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


def test_account_count_per_call(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    client = world.swas(owner)
    eleven = [world.account().id for _ in range(11)]
    for call in (client.add_custom_image_share_account, client.remove_custom_image_share_account):
        request = swas.AddCustomImageShareAccountRequest(
            region_id=REGION, image_id=image_id, account=eleven
        )
        error = tea_error(lambda r=request, f=call: f(r))  # type: ignore[misc]
        assert (error.code, error.status) == ("InvalidParameter", 400)
        assert '"Account"' in error.message
        request = swas.AddCustomImageShareAccountRequest(region_id=REGION, image_id=image_id)
        error = tea_error(lambda r=request, f=call: f(r))  # type: ignore[misc]
        assert (error.code, error.status) == ("MissingParameter", 400)
    _add(world, owner, image_id, eleven[:10])
    assert sorted(share_users(world, owner, image_id)) == sorted(eleven[:10])


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


@dataclass(frozen=True)
class ShareTargets:
    """An owner's image, and accounts to name with it: one that is fine and one abroad."""

    owner: AccountKeys
    good: AccountKeys
    abroad: AccountKeys
    image_id: str


@pytest.fixture(scope="module")
def targets(server: World) -> ShareTargets:
    owner, good = server.account(), server.account()
    abroad = server.account(site="international")
    return ShareTargets(owner, good, abroad, custom_image(server, owner))


MISSING_ACCOUNT = 1999999999999999


@pytest.mark.parametrize(
    ("second", "code", "status"),
    [
        ("owner", "InvalidAccount.Forbbiden", 404),
        ("missing", "InvalidAccount.NotFound", 404),
        ("abroad", "InvalidImageId.BidMismatch", 403),
    ],
)
@pytest.mark.parametrize("operation", ["add", "remove"])
def test_bad_accounts_change_nothing(
    world: World, targets: ShareTargets, second: str, code: str, status: int, operation: str
) -> None:
    named = MISSING_ACCOUNT if second == "missing" else getattr(targets, second).id
    client = world.swas(targets.owner)
    call = {
        "add": client.add_custom_image_share_account,
        "remove": client.remove_custom_image_share_account,
    }[operation]
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=targets.image_id, account=[targets.good.id, named]
    )
    error = tea_error(lambda: call(request))
    assert (error.code, error.status) == (code, status)
    assert share_users(world, targets.owner, targets.image_id) == []


def test_a_missing_account_is_named(world: World, targets: ShareTargets) -> None:
    accounts = [targets.good.id, MISSING_ACCOUNT]
    error = tea_error(lambda: _add(world, targets.owner, targets.image_id, accounts))
    assert str(MISSING_ACCOUNT) in error.message


def test_sharing_needs_an_own_image_in_that_region(world: World) -> None:
    owner, friend, third = world.account(), world.account(), world.account()
    image_id = custom_image(world, owner)
    share(world, owner, image_id, friend.id)
    cases = [
        (owner, OTHER_REGION, image_id),
        (owner, REGION, "m-doesnotexist0000000"),
        (friend, REGION, image_id),  # shared with the caller, still not the caller's
        (third, REGION, image_id),
    ]
    for who, region, target in cases:
        client = world.swas(who)
        calls = [
            lambda c=client, r=region, t=target: c.add_custom_image_share_account(
                swas.AddCustomImageShareAccountRequest(region_id=r, image_id=t, account=[third.id])
            ),
            lambda c=client, r=region, t=target: c.remove_custom_image_share_account(
                swas.RemoveCustomImageShareAccountRequest(
                    region_id=r, image_id=t, account=[owner.id]
                )
            ),
            lambda c=client, r=region, t=target: c.list_custom_image_share_accounts(
                swas.ListCustomImageShareAccountsRequest(region_id=r, image_id=t)
            ),
            lambda c=client, r=region, t=target: c.modify_image_share_status(
                swas.ModifyImageShareStatusRequest(region_id=r, image_id=t, operation="Share")
            ),
            lambda c=client, r=region, t=target: c.delete_custom_image(
                swas.DeleteCustomImageRequest(region_id=r, image_id=t)
            ),
        ]
        for call in calls:
            error = tea_error(call)
            assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
            assert error.message.startswith("code: 404, The specified ImageId does not exist.")
    assert share_users(world, owner, image_id) == [friend.id]


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
    for number, size in ((1, 51), (0, 10), (1, 0)):
        error = tea_error(lambda n=number, s=size: page(n, s))  # type: ignore[misc]
        assert (error.code, error.status) == ("InvalidParameter", 400)


def test_modify_image_share_status(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    client = world.swas(owner)

    def modify(operation: str) -> None:
        request = swas.ModifyImageShareStatusRequest(
            region_id=REGION, image_id=image_id, operation=operation
        )
        client.modify_image_share_status(request)

    for operation in ("share", "Delete", ""):
        error = tea_error(lambda o=operation: modify(o))  # type: ignore[misc]
        assert (error.code, error.status) == ("InvalidParam.OperationIllegal", 400)
        assert "The specified parameter operation is illegal." in error.message
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
