"""The ECS sharing actions through aliyun-python-sdk-ecs's typed requests (RPC v1 signatures,
booleans sent as "True"), as publishing scripts still call them: F5's image generator matches
the InvalidAccount.NotFound text with its double space; the ISUCON portal pages share lists
with PageSize=50 until a page comes back empty, leaving RegionId to the client's region."""

from __future__ import annotations

import json
from typing import Any

from aliyunsdkecs.request.v20140526.DescribeImageSharePermissionRequest import (
    DescribeImageSharePermissionRequest,
)
from aliyunsdkecs.request.v20140526.DescribeImagesRequest import DescribeImagesRequest
from aliyunsdkecs.request.v20140526.ModifyImageSharePermissionRequest import (
    ModifyImageSharePermissionRequest,
)
from support.ecs import ecs_image, shared_ids
from support.errors import old_error
from support.world import AccountKeys, World


def _runner(world: World, who: AccountKeys) -> Any:
    client = world.old(who)

    def run(request: Any) -> dict[str, Any]:
        request.set_endpoint(world.host)
        request.set_protocol_type("http")
        body: dict[str, Any] = json.loads(client.do_action_with_exception(request))
        return body

    return run


def _share(image_id: str, add: list[int], **extra: Any) -> ModifyImageSharePermissionRequest:
    request = ModifyImageSharePermissionRequest()
    request.set_ImageId(image_id)
    request.set_AddAccounts([str(a) for a in add])
    for name, value in extra.items():
        getattr(request, f"set_{name}")(value)
    return request


def test_share_and_page_until_empty(world: World) -> None:
    owner = world.account()
    friends = sorted(world.account().id for _ in range(3))
    image_id = ecs_image(world, owner)
    run = _runner(world, owner)
    assert run(_share(image_id, friends))["RequestId"]
    seen: list[int] = []
    for page in range(1, 10):
        listing = DescribeImageSharePermissionRequest()  # no RegionId: the client's region
        listing.set_ImageId(image_id)
        listing.set_PageSize(2)
        listing.set_PageNumber(page)
        accounts = run(listing)["Accounts"]["Account"]
        if not accounts:
            break
        seen += [int(a["AliyunId"]) for a in accounts]
    assert seen == friends


def test_old_sdk_errors_and_booleans(world: World) -> None:
    owner = world.account()
    image_id = ecs_image(world, owner)
    run = _runner(world, owner)
    error = old_error(lambda: run(_share(image_id, [1999999999999999])))
    assert error.code == "InvalidAccount.NotFound" and error.status == 404
    assert error.message.startswith(
        'The specified parameter "AddAccount.n" or "RemoveAccount.n"  does not exist.'
    )
    dry = old_error(lambda: run(_share(image_id, [world.account().id], DryRun=True)))
    assert (dry.code, dry.status) == ("DryRunOperation", 400)
    assert shared_ids(world, owner, image_id) == []
    publish = ModifyImageSharePermissionRequest()
    publish.set_ImageId(image_id)
    publish.set_IsPublic(True)
    run(publish)
    stranger = _runner(world, world.account())
    community = DescribeImagesRequest()
    community.set_ImageOwnerAlias("others")
    community.set_IsPublic(True)
    found = stranger(community)["Images"]["Image"]
    mine = [i for i in found if i["ImageId"] == image_id]  # other tests publish images too
    assert len(mine) == 1 and mine[0]["IsPublic"] is True and mine[0]["ImageOwnerId"] == owner.id
