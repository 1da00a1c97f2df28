"""ModifyImagePermission and DescribeImagePermission through the official ECD tea SDK (and
one old-SDK CommonRequest): owner, recipient, encrypted, other region, shared-to-me, other
site allowed, per-call and per-image limits, unknown image, unknown account."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from alibabacloud_ecd20200930 import models as ecd
from aliyunsdkcore.request import CommonRequest
from support.ecd import OTHER_REGION, REGION, image, modify, permitted, visible
from support.errors import tea_error
from support.raw import rpc_params, send
from support.world import AccountKeys, World

from imageshare.domain.sharing import ECD_SHARE_LIMIT

VERSION = "2020-09-30"


def test_share_describe_and_unshare(world: World) -> None:
    owner, b, c = world.account(), world.account(), world.account()
    image_id = image(world, owner)
    modify(world, owner, image_id, add=[b.id])
    modify(world, owner, image_id, add=[c.id, b.id])  # re-adding b keeps its place
    request = ecd.DescribeImagePermissionRequest(region_id=REGION, image_id=image_id)
    raw = world.ecd(owner).describe_image_permission(request).body.to_map()
    assert raw["AliUids"] == [str(b.id), str(c.id)], "strings, oldest share first"
    assert visible(world, owner)[image_id].shared_count == 2
    modify(world, owner, image_id, remove=[b.id, world.account().id])  # a stranger: no-op
    assert permitted(world, owner, image_id) == [str(c.id)]
    modify(world, owner, image_id, add=[b.id], remove=[c.id])
    assert permitted(world, owner, image_id) == [str(b.id)]
    modify(world, owner, image_id)  # neither list: nothing changes
    assert permitted(world, owner, image_id) == [str(b.id)]


def _owner_only_calls(world: World, who: AccountKeys, image_id: str, other: int) -> dict[str, Any]:
    client = world.ecd(who)
    return {
        "ModifyImagePermission": lambda: client.modify_image_permission(
            ecd.ModifyImagePermissionRequest(
                region_id=REGION, image_id=image_id, add_account=[other]
            )
        ),
        "DescribeImagePermission": lambda: client.describe_image_permission(
            ecd.DescribeImagePermissionRequest(region_id=REGION, image_id=image_id)
        ),
        "ModifyImageAttribute": lambda: client.modify_image_attribute(
            ecd.ModifyImageAttributeRequest(region_id=REGION, image_id=image_id, name="mine-now")
        ),
        "DeleteImages": lambda: client.delete_images(
            ecd.DeleteImagesRequest(region_id=REGION, image_id=[image_id])
        ),
        "CopyImage": lambda: client.copy_image(
            ecd.CopyImageRequest(
                region_id=REGION,
                image_id=image_id,
                destination_region_id=OTHER_REGION,
                destination_image_name="stolen",
            )
        ),
    }


def test_recipient_sees_the_image_and_can_change_nothing(world: World) -> None:
    owner, recipient, third = world.account(), world.account(), world.account()
    image_id = image(world, owner, name="for-recipient")
    own = image(world, recipient)
    modify(world, owner, image_id, add=[recipient.id, third.id])
    seen = visible(world, recipient)
    assert set(seen) == {image_id, own}
    shared = seen[image_id]
    assert (shared.name, shared.image_type, shared.status) == (
        "for-recipient",
        "CUSTOM",
        "Available",
    )
    assert shared.shared_count == 0, "who else has it is the owner's business"
    for call in _owner_only_calls(world, recipient, image_id, third.id).values():
        error = tea_error(call)
        assert (error.code, error.status) == ("OperationDenied.SharedImage", 403)
        assert image_id in error.message
    assert permitted(world, owner, image_id) == [str(a) for a in sorted([recipient.id, third.id])]
    assert visible(world, recipient, OTHER_REGION) == {}, "shared in its own region only"
    modify(world, owner, image_id, remove=[recipient.id])
    assert set(visible(world, recipient)) == {own}
    assert image_id in visible(world, third)
    world.ecd(owner).delete_images(ecd.DeleteImagesRequest(region_id=REGION, image_id=[image_id]))
    assert image_id not in visible(world, third)


OWNER_ONLY = [
    "ModifyImagePermission",
    "DescribeImagePermission",
    "ModifyImageAttribute",
    "DeleteImages",
    "CopyImage",
]


@dataclass
class Sharing:
    """An owner's image, shared to one account, which the tests below try to change."""

    owner: AccountKeys
    good: AccountKeys
    image_id: str


@pytest.fixture(scope="module")
def sharing(server: World) -> Sharing:
    owner, good = server.account(), server.account()
    image_id = image(server, owner)
    modify(server, owner, image_id, add=[good.id])
    return Sharing(owner, good, image_id)


@pytest.mark.parametrize("action", OWNER_ONLY)
@pytest.mark.parametrize("target", ["another's image", "no such image"])
def test_strangers_are_told_not_found(
    world: World, sharing: Sharing, target: str, action: str
) -> None:
    stranger, other = world.account(), world.account()
    image_id = sharing.image_id if target == "another's image" else "m-doesnotexist0000"
    error = tea_error(_owner_only_calls(world, stranger, image_id, other.id)[action])
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    assert error.message.startswith("code: 404, The specified ImageId does not exist.")
    assert permitted(world, sharing.owner, sharing.image_id) == [str(sharing.good.id)]


def test_encrypted_images_are_not_shared(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = image(world, owner, encrypted=True)
    error = tea_error(lambda: modify(world, owner, image_id, add=[friend.id]))
    assert (error.code, error.status) == ("OperationDeined.EncryptedSnapshot", 403)
    assert "ImageId" in error.message and image_id in error.message
    assert permitted(world, owner, image_id) == []
    assert image_id not in visible(world, friend)


def test_an_image_of_another_region_points_to_copy_image(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = image(world, owner, OTHER_REGION)
    error = tea_error(lambda: modify(world, owner, image_id, add=[friend.id]))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    assert "CopyImage" in error.message and OTHER_REGION in error.message
    modify(world, owner, image_id, add=[friend.id], region=OTHER_REGION)
    assert image_id in visible(world, friend, OTHER_REGION)


def test_sharing_across_sites_is_allowed(world: World) -> None:
    china, abroad = world.account(), world.account(site="international")
    from_china, from_abroad = image(world, china), image(world, abroad)
    modify(world, china, from_china, add=[abroad.id])
    modify(world, abroad, from_abroad, add=[china.id])
    assert from_china in visible(world, abroad) and from_abroad in visible(world, china)


MISSING = 1999999999999999
# By id: AddAccount and RemoveAccount, each account named by its role ("new" is an account
# made for the case), then the code, status and a word of the message expected.
BAD_ACCOUNTS: dict[str, tuple[dict[str, list[str]], str, int, str]] = {
    "adding the owner": ({"add": ["new", "owner"]}, "InvalidAccount.Forbbiden", 404, ""),
    "removing the owner": ({"remove": ["good", "owner"]}, "InvalidAccount.Forbbiden", 404, ""),
    "adding a missing account": (
        {"add": ["new", "missing"]},
        "InvalidAccount.NotFound",
        404,
        '"AddAccount.n"',
    ),
    "removing a missing account": (
        {"add": ["new"], "remove": ["good", "missing"]},
        "InvalidAccount.NotFound",
        404,
        '"RemoveAccount.n"',
    ),
    "adding and removing one account": (
        {"add": ["good"], "remove": ["good"]},
        "InvalidParameter",
        400,
        '"AddAccount"',
    ),
}


@pytest.mark.parametrize(
    ("lists", "code", "status", "named"), list(BAD_ACCOUNTS.values()), ids=list(BAD_ACCOUNTS)
)
def test_bad_accounts_change_nothing(
    world: World, sharing: Sharing, lists: dict[str, list[str]], code: str, status: int, named: str
) -> None:
    ids = {"owner": sharing.owner.id, "good": sharing.good.id, "missing": MISSING}

    def accounts(which: str) -> list[int]:
        return [ids[role] if role in ids else world.account().id for role in lists.get(which, [])]

    add, remove = accounts("add"), accounts("remove")
    error = tea_error(lambda: modify(world, sharing.owner, sharing.image_id, add, remove))
    assert (error.code, error.status) == (code, status)
    assert named in error.message and (
        code != "InvalidAccount.NotFound" or str(MISSING) in error.message
    )
    assert permitted(world, sharing.owner, sharing.image_id) == [str(sharing.good.id)]


def test_per_image_limit_is_all_or_nothing(world: World) -> None:
    owner = world.account()
    image_id = image(world, owner)
    accounts = [world.account().id for _ in range(ECD_SHARE_LIMIT + 2)]
    for start in range(0, ECD_SHARE_LIMIT, 10):
        modify(world, owner, image_id, add=accounts[start : start + 10])
    assert len(permitted(world, owner, image_id)) == ECD_SHARE_LIMIT
    extra = accounts[ECD_SHARE_LIMIT:]
    error = tea_error(lambda: modify(world, owner, image_id, add=extra))
    assert (error.code, error.status) == ("QuotaExceed.ShareImageUser", 403)
    assert f"at most {ECD_SHARE_LIMIT} accounts" in error.message
    modify(world, owner, image_id, add=accounts[:3])  # already there: no new share
    modify(world, owner, image_id, add=extra[:1], remove=accounts[:1])  # a swap at the limit
    shared = permitted(world, owner, image_id)
    assert len(shared) == ECD_SHARE_LIMIT and str(extra[0]) in shared
    assert str(accounts[0]) not in shared


def test_only_the_first_ten_of_a_list_count(world: World) -> None:
    owner = world.account()
    image_id = image(world, owner)
    twelve = [world.account().id for _ in range(12)]
    modify(world, owner, image_id, add=twelve)
    assert permitted(world, owner, image_id) == [str(a) for a in sorted(twelve[:10])]
    strangers = [world.account().id for _ in range(10)]
    # RemoveAccount.11 and .12 are ignored: not even checked, let alone removed.
    modify(world, owner, image_id, remove=[*strangers, twelve[0], 1999999999999999])
    assert len(permitted(world, owner, image_id)) == 10


def test_a_client_token_is_not_a_replay(world: World) -> None:
    """ModifyImagePermission takes no ClientToken: one sent anyway is ignored, not replayed."""
    owner, friend = world.account(), world.account()
    image_id = image(world, owner)
    params = [
        ("RegionId", REGION),
        ("ImageId", image_id),
        ("AddAccount.1", str(friend.id)),
        ("ClientToken", "same-token"),
    ]
    for _ in range(2):
        signed = rpc_params(owner.key_id, owner.secret, "ModifyImagePermission", VERSION, params)
        assert send(world.endpoint, signed).status == 200
        assert permitted(world, owner, image_id) == [str(friend.id)]
        modify(world, owner, image_id, remove=[friend.id])
    assert permitted(world, owner, image_id) == []


def test_old_sdk_common_request(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = image(world, owner)
    client = world.old(owner)

    def run(action: str, **params: str) -> dict[str, Any]:
        request = CommonRequest(domain="127.0.0.1", version=VERSION, action_name=action)
        request.set_protocol_type("http")
        for key, value in {"RegionId": REGION, "ImageId": image_id, **params}.items():
            request.add_query_param(key, value)
        body: dict[str, Any] = json.loads(client.do_action_with_exception(request))
        return body

    run("ModifyImagePermission", **{"AddAccount.1": str(friend.id)})
    assert run("DescribeImagePermission")["AliUids"] == [str(friend.id)]
    run("ModifyImagePermission", **{"RemoveAccount.1": str(friend.id)})
    assert run("DescribeImagePermission")["AliUids"] == []
