"""SWAS share refusals, each case its own test against module-scoped images: bad accounts,
too many accounts in a call, images not the caller's (or not in that region), bad pages and
illegal share operations. Each refusal changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client
from support.errors import tea_error
from support.swas import (
    OTHER_REGION,
    REGION,
    custom_image,
    share,
    share_users,
    visible,
)
from support.world import AccountKeys, World


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


def _share_call(world: World, who: AccountKeys, operation: str) -> Any:
    client = world.swas(who)
    if operation == "add":
        return client.add_custom_image_share_account
    return client.remove_custom_image_share_account


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
    call = _share_call(world, targets.owner, operation)
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=targets.image_id, account=[targets.good.id, named]
    )
    error = tea_error(lambda: call(request))
    assert (error.code, error.status) == (code, status)
    assert share_users(world, targets.owner, targets.image_id) == []


@pytest.mark.parametrize("operation", ["add", "remove"])
def test_account_count_per_call(world: World, targets: ShareTargets, operation: str) -> None:
    call = _share_call(world, targets.owner, operation)
    eleven = [world.account().id for _ in range(11)]
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=targets.image_id, account=eleven
    )
    error = tea_error(lambda: call(request))
    assert (error.code, error.status) == ("InvalidParameter", 400)
    assert '"Account"' in error.message
    request = swas.AddCustomImageShareAccountRequest(region_id=REGION, image_id=targets.image_id)
    error = tea_error(lambda: call(request))
    assert (error.code, error.status) == ("MissingParameter", 400)
    assert share_users(world, targets.owner, targets.image_id) == []


def test_a_missing_account_is_named(world: World, targets: ShareTargets) -> None:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=targets.image_id, account=[targets.good.id, MISSING_ACCOUNT]
    )
    error = tea_error(lambda: _share_call(world, targets.owner, "add")(request))
    assert str(MISSING_ACCOUNT) in error.message


@pytest.fixture(scope="module")
def shared(server: World) -> tuple[AccountKeys, AccountKeys, str]:
    """An owner and a friend, and the owner's image shared with the friend."""
    owner, friend = server.account(), server.account()
    image_id = custom_image(server, owner)
    share(server, owner, image_id, friend.id)
    return owner, friend, image_id


def _not_own_calls(client: Client, region: str, image_id: str, third: int, owner: int) -> Any:
    """By action: a call that would change or read the image's shares, were it the caller's;
    Add names a stranger, Remove the owner."""
    return {
        "AddCustomImageShareAccount": lambda: client.add_custom_image_share_account(
            swas.AddCustomImageShareAccountRequest(
                region_id=region, image_id=image_id, account=[third]
            )
        ),
        "RemoveCustomImageShareAccount": lambda: client.remove_custom_image_share_account(
            swas.RemoveCustomImageShareAccountRequest(
                region_id=region, image_id=image_id, account=[owner]
            )
        ),
        "ListCustomImageShareAccounts": lambda: client.list_custom_image_share_accounts(
            swas.ListCustomImageShareAccountsRequest(region_id=region, image_id=image_id)
        ),
        "ModifyImageShareStatus": lambda: client.modify_image_share_status(
            swas.ModifyImageShareStatusRequest(
                region_id=region, image_id=image_id, operation="Share"
            )
        ),
        "DeleteCustomImage": lambda: client.delete_custom_image(
            swas.DeleteCustomImageRequest(region_id=region, image_id=image_id)
        ),
    }


# By id: who calls, in which region, about which image ("<image>": the shared one).
NOT_OWN = {
    "another region": ("owner", OTHER_REGION, "<image>"),
    "no such image": ("owner", REGION, "m-doesnotexist0000000"),
    "shared with the caller": ("friend", REGION, "<image>"),  # still not the caller's
    "a stranger's": ("third", REGION, "<image>"),
}
ACTIONS = [
    "AddCustomImageShareAccount",
    "RemoveCustomImageShareAccount",
    "ListCustomImageShareAccounts",
    "ModifyImageShareStatus",
    "DeleteCustomImage",
]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("who", "region", "target"), list(NOT_OWN.values()), ids=list(NOT_OWN))
def test_sharing_needs_an_own_image_in_that_region(
    world: World,
    shared: tuple[AccountKeys, AccountKeys, str],
    who: str,
    region: str,
    target: str,
    action: str,
) -> None:
    owner, friend, image_id = shared
    third = world.account()
    caller = {"owner": owner, "friend": friend, "third": third}[who]
    target = image_id if target == "<image>" else target
    calls = _not_own_calls(world.swas(caller), region, target, third.id, owner.id)
    error = tea_error(calls[action])
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    assert error.message.startswith("code: 404, The specified ImageId does not exist.")
    assert share_users(world, owner, image_id) == [friend.id]


@pytest.mark.parametrize(
    ("number", "size"), [(1, 51), (0, 10), (1, 0)], ids=["51 a page", "page 0", "0 a page"]
)
def test_list_share_accounts_bad_pages(
    world: World, targets: ShareTargets, number: int, size: int
) -> None:
    request = swas.ListCustomImageShareAccountsRequest(
        region_id=REGION, image_id=targets.image_id, page_number=number, page_size=size
    )
    client = world.swas(targets.owner)
    error = tea_error(lambda: client.list_custom_image_share_accounts(request))
    assert (error.code, error.status) == ("InvalidParameter", 400)


@pytest.mark.parametrize("operation", ["share", "Delete", ""])
def test_illegal_share_status_operations(
    world: World, targets: ShareTargets, operation: str
) -> None:
    request = swas.ModifyImageShareStatusRequest(
        region_id=REGION, image_id=targets.image_id, operation=operation
    )
    error = tea_error(lambda: world.swas(targets.owner).modify_image_share_status(request))
    assert (error.code, error.status) == ("InvalidParam.OperationIllegal", 400)
    assert "The specified parameter operation is illegal." in error.message
    assert visible(world, targets.owner)[targets.image_id].in_share is False
