"""ModifyImageSharePermission, DescribeImageSharePermission and the deprecated
ModifyImageShareGroupPermission through the official ECS tea SDK: the owner's and the
recipient's side, every documented rule and error with its exact text, community images,
DryRun, regions and sites."""

from __future__ import annotations

import re

from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from support.ecs import (
    OTHER_REGION,
    REGION,
    custom_ids,
    ecs_image,
    images,
    modify,
    permission,
    shared_ids,
)
from support.errors import SdkError, tea_error
from support.swas import custom_image
from support.world import AccountKeys, World

from imageshare.domain.ecs import SERVICE_KEY
from imageshare.domain.regions import INTERNATIONAL

NOT_FOUND = (404, "InvalidImageId.NotFound", "The specified ImageId does not exist.")
# The service's own text, double space included: F5's image generator matches on it.
NO_ACCOUNT = (
    404,
    "InvalidAccount.NotFound",
    'The specified parameter "AddAccount.n" or "RemoveAccount.n"  does not exist.',
)


def _wire(error: SdkError) -> tuple[int, str, str]:
    return (error.status, error.code, error.data["Message"])


def _refused(world: World, owner: AccountKeys, image_id: str, **change: object) -> SdkError:
    return tea_error(lambda: modify(world, owner, image_id, **change))  # type: ignore[arg-type]


def test_share_describe_and_unshare(world: World) -> None:
    owner, b, c = world.account(), world.account(), world.account()
    image_id = ecs_image(world, owner)
    modify(world, owner, image_id, add=[b.id])
    modify(world, owner, image_id, add=[c.id, b.id])  # re-adding b keeps its SharedTime
    body = permission(world, owner, image_id)
    raw = body.to_map()
    assert [a["AliyunId"] for a in raw["Accounts"]["Account"]] == [str(b.id), str(c.id)]
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["SharedTime"])
        for a in raw["Accounts"]["Account"]
    )
    assert raw["ShareGroups"] == {"ShareGroup": []}
    assert (body.total_count, body.page_number, body.page_size) == (2, 1, 10)
    assert (body.image_id, body.region_id) == (image_id, REGION)
    modify(world, owner, image_id, remove=[b.id, world.account().id])  # a stranger: no-op
    assert shared_ids(world, owner, image_id) == [c.id]
    modify(world, owner, image_id, add=[b.id], remove=[c.id])
    assert shared_ids(world, owner, image_id) == [b.id]
    self_shared = images(world, owner, image_id=image_id).images.image[0]
    assert self_shared.is_self_shared == "true"


def test_permission_paging_past_the_end(world: World) -> None:
    owner = world.account()
    accounts = [world.account().id for _ in range(3)]
    image_id = ecs_image(world, owner)
    modify(world, owner, image_id, add=accounts)
    first = permission(world, owner, image_id, page_size=2, page_number=1)
    second = permission(world, owner, image_id, page_size=2, page_number=2)
    past = permission(world, owner, image_id, page_size=2, page_number=50)
    listed = [int(a.aliyun_id) for p in (first, second) for a in p.accounts.account]
    # One call's accounts share one SharedTime; ties are listed by account id.
    assert listed == sorted(accounts) and first.total_count == 3
    assert past.accounts.account == [] and past.total_count == 3


def test_the_recipient_sees_uses_but_cannot_manage(world: World) -> None:
    owner, recipient, stranger = world.account(), world.account(), world.account()
    image_id = ecs_image(world, owner)
    modify(world, owner, image_id, add=[recipient.id])
    seen = images(world, recipient, image_owner_alias="others").images.image
    assert [(i.image_id, i.image_owner_alias, i.image_owner_id) for i in seen] == [
        (image_id, "others", owner.id)
    ]
    assert seen[0].is_self_shared == "" and seen[0].tags.tag == []
    assert image_id in custom_ids(world, recipient), "no alias: shared images too"
    assert custom_ids(world, recipient, image_owner_alias="self") == []
    assert custom_ids(world, recipient, image_owner_alias="others", image_owner_id=owner.id) == [
        image_id
    ]
    assert (
        custom_ids(world, recipient, image_owner_alias="others", image_owner_id=stranger.id) == []
    )
    assert custom_ids(world, stranger) == [] and custom_ids(world, recipient, OTHER_REGION) == []
    # No re-sharing, no peeking at the share list: as if the image were not there.
    assert _wire(_refused(world, recipient, image_id, add=[stranger.id])) == NOT_FOUND
    describe = tea_error(lambda: permission(world, recipient, image_id))
    assert _wire(describe) == NOT_FOUND
    modify(world, owner, image_id, remove=[recipient.id])
    assert custom_ids(world, recipient) == [], "gone once unshared"


def test_another_accounts_image_is_not_found_exactly_like_a_missing_one(world: World) -> None:
    owner, other = world.account(), world.account()
    image_id = ecs_image(world, owner)
    foreign = _refused(world, other, image_id, add=[owner.id])
    missing = _refused(world, other, "m-doesnotexist0000000", add=[owner.id])
    assert _wire(foreign) == _wire(missing) == NOT_FOUND
    elsewhere = _refused(world, owner, image_id, add=[other.id], region=OTHER_REGION)
    assert _wire(elsewhere) == NOT_FOUND, "an image is shared in its own region"


def test_account_rules_and_their_texts(world: World) -> None:
    owner = world.account()
    image_id = ecs_image(world, owner)
    assert _wire(_refused(world, owner, image_id, add=[owner.id])) == (
        404,
        "InvalidAccount.Forbbiden",
        "The specified Account does not yourself.",
    )
    assert _wire(_refused(world, owner, image_id, add=[1999999999999999])) == NO_ACCOUNT
    assert _wire(_refused(world, owner, image_id, add=["not-an-account"])) == NO_ACCOUNT
    assert _wire(_refused(world, owner, image_id, remove=[1999999999999999])) == NO_ACCOUNT
    assert shared_ids(world, owner, image_id) == [], "a refused call changes nothing"
    abroad = world.account(INTERNATIONAL)
    modify(world, owner, image_id, add=[abroad.id])  # ECS shares across sites
    assert shared_ids(world, owner, image_id) == [abroad.id]


def test_first_ten_accounts_only_and_the_per_image_limit(world: World) -> None:
    owner = world.account()
    image_id = ecs_image(world, owner)
    eleven = [world.account().id for _ in range(11)]
    modify(world, owner, image_id, add=eleven)
    assert shared_ids(world, owner, image_id) == sorted(eleven[:10]), "the eleventh is ignored"
    for _ in range(4):
        modify(world, owner, image_id, add=[world.account().id for _ in range(10)])
    assert permission(world, owner, image_id).total_count == 50
    over = _refused(world, owner, image_id, add=[world.account().id])
    assert _wire(over) == (
        403,
        "QuotaExceed.ShareImageUser",
        "The shared Image user Quota exceeds.",
    )
    modify(world, owner, image_id, add=[world.account().id], remove=[eleven[0]])  # a swap fits
    assert permission(world, owner, image_id).total_count == 50


def test_encryption_rule(world: World) -> None:
    owner, b = world.account(), world.account()
    service_key = ecs_image(world, owner, encryption_key_id=SERVICE_KEY)
    assert _wire(_refused(world, owner, service_key, add=[b.id])) == (
        403,
        "InvalidOperation.ServiceKeyEncryptedImageUnsupported",
        "The specified service key encrypted image is not supported for this operation. "
        "Please switch to a CMK (Customer Master Key) encrypted image and retry.",
    )
    customer_key = ecs_image(world, owner, encryption_key_id="key-cmk-0123456789")
    modify(world, owner, customer_key, add=[b.id])
    assert shared_ids(world, owner, customer_key) == [b.id]
    published = _refused(world, owner, customer_key, is_public=True)
    assert _wire(published) == (
        403,
        "OperationDeined.EncryptedSnapshot",
        "The image contains encrypted snapshots, which do not support share.",
    )


def test_deprecated_and_creating_images(world: World) -> None:
    owner, b = world.account(), world.account()
    deprecated = ecs_image(world, owner, status="Deprecated")
    assert _wire(_refused(world, owner, deprecated, add=[b.id])) == (
        403,
        "OperationDenied.InvalidImageStatus",
        "The specified image cannot be shared when it is deprecated.",
    )
    creating = ecs_image(world, owner, creating_for=60)
    assert _refused(world, owner, creating, add=[b.id]).code == "IncorrectImageStatus"


def test_community_images(world: World) -> None:
    owner, earlier, stranger = world.account(), world.account(), world.account()
    image_id = ecs_image(world, owner)
    modify(world, owner, image_id, add=[earlier.id])
    modify(world, owner, image_id, is_public=True)
    modify(world, owner, image_id, is_public=True)  # again: nothing changes
    body = permission(world, owner, image_id)
    assert body.to_map()["ShareGroups"] == {"ShareGroup": [{"Group": "all"}]}
    community = custom_ids(world, stranger, image_owner_alias="others", is_public=True)
    assert image_id in community
    assert custom_ids(world, stranger, image_owner_alias="others") == []
    assert image_id in custom_ids(world, stranger, is_public=None), "no alias: community too"
    assert image_id not in custom_ids(world, stranger, is_public=False)
    elsewhere = custom_ids(
        world, stranger, OTHER_REGION, image_owner_alias="others", is_public=True
    )
    assert image_id not in elsewhere
    listed = images(world, stranger, image_owner_alias="others", is_public=True, image_id=image_id)
    seen = listed.images.image[0]
    assert seen.is_public is True and seen.image_owner_id == owner.id
    assert _wire(_refused(world, owner, image_id, add=[stranger.id])) == (
        403,
        "Image.Public",
        "The specified image is public image.",
    )
    conflict = _refused(world, owner, image_id, add=[stranger.id], is_public=True)
    assert _wire(conflict) == (
        403,
        "InvalidParameter.IsPublic",
        "The specified parameter IsPublic is conflicted with other parameters.",
    )
    modify(world, owner, image_id, is_public=False)
    assert custom_ids(world, stranger) == [], "unpublished: gone for everyone else"
    assert custom_ids(world, earlier) == [image_id], "shared before publishing: kept"
    modify(world, owner, image_id, is_public=False)  # a regular image: no change


def test_dry_run_checks_everything_and_changes_nothing(world: World) -> None:
    owner, b = world.account(), world.account()
    image_id = ecs_image(world, owner)
    passed = _refused(world, owner, image_id, add=[b.id], dry_run=True)
    assert _wire(passed) == (
        400,
        "DryRunOperation",
        "Request validation has been passed with DryRun flag set.",
    )
    assert shared_ids(world, owner, image_id) == []
    failed = _refused(world, owner, image_id, add=[owner.id], dry_run=True)
    assert failed.code == "InvalidAccount.Forbbiden"


def test_group_permission_is_the_community_switch(world: World) -> None:
    owner, stranger = world.account(), world.account()
    image_id = ecs_image(world, owner)
    client = world.ecs(owner)
    group = ecs.ModifyImageShareGroupPermissionRequest
    client.modify_image_share_group_permission(
        group(region_id=REGION, image_id=image_id, add_group=["all"])
    )
    assert image_id in custom_ids(world, stranger, image_owner_alias="others", is_public=True)
    client.modify_image_share_group_permission(
        group(region_id=REGION, image_id=image_id, remove_group=["all"])
    )
    assert image_id not in custom_ids(world, stranger, image_owner_alias="others", is_public=True)
    bad = group(region_id=REGION, image_id=image_id, add_group=["friends"])
    error = tea_error(lambda: client.modify_image_share_group_permission(bad))
    assert _wire(error) == (400, "InvalidGroup.Malformed", "The specified Group is wrongly formed.")


def test_a_swas_image_shared_to_ecs_is_launchable_not_shareable_through_ecs(world: World) -> None:
    owner, b = world.account(), world.account()
    image_id = custom_image(world, owner)
    share_to_ecs = swas.ModifyImageShareStatusRequest(
        region_id=REGION, image_id=image_id, operation="Share"
    )
    world.swas(owner).modify_image_share_status(share_to_ecs)
    assert custom_ids(world, owner, image_owner_alias="self") == [image_id]
    assert _wire(_refused(world, owner, image_id, add=[b.id])) == NOT_FOUND
