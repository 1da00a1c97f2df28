"""CopyImage, CancelCopyImage and DeleteImage through the official ECS tea SDK: the owner's
and the recipient's rights, the retry that meets InvalidImageName.Duplicated, copies in flight,
encryption, and each documented error with its exact text (ModifyImageAttribute and
DescribeImageFromFamily: test_ecs_image_attributes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support.databases import migrated_database_url
from support.ecs import OTHER_REGION, REGION, custom_ids, ecs_image, modify, shared_ids
from support.ecs import copy_image as _copy
from support.ecs import one_image as _one
from support.ecs import unique as unique_name
from support.errors import SdkError, tea_error
from support.server import running_server
from support.world import AccountKeys, World

NOT_FOUND = (404, "InvalidImageId.NotFound", "The specified ImageId does not exist.")


def _wire(error: SdkError) -> tuple[int, str, str]:
    return (error.status, error.code, error.data["Message"])


def _delete(world: World, who: AccountKeys, image_id: str, **extra: Any) -> None:
    request = ecs.DeleteImageRequest(
        region_id=extra.pop("region_id", REGION), image_id=image_id, **extra
    )
    world.ecs(who).delete_image(request)


def _refused_copy(world: World, who: AccountKeys, image_id: str) -> SdkError:
    return tea_error(lambda: _copy(world, who, image_id, destination_region_id=REGION))


def test_copy_to_another_region_and_the_retry_that_meets_the_duplicate(world: World) -> None:
    owner, friend = world.account(), world.account()
    source = ecs_image(world, owner, family="golden", tags=[("team", "web")])
    modify(world, owner, source, add=[friend.id])
    name = unique_name("golden-copy")
    tag = ecs.CopyImageRequestTag(key="stage", value="copied")
    copy = _copy(world, owner, source, destination_image_name=name, tag=[tag])
    seen = _one(world, owner, copy, OTHER_REGION)
    assert (seen.image_name, seen.status, seen.is_copied, seen.image_family) == (
        name,
        "Available",
        True,
        "golden",
    )
    assert [(t.tag_key, t.tag_value) for t in seen.tags.tag] == [("stage", "copied")]
    assert shared_ids(world, owner, copy, OTHER_REGION) == [], "a copy carries no shares"
    retried = tea_error(lambda: _copy(world, owner, source, destination_image_name=name))
    assert _wire(retried) == (400, "InvalidImageName.Duplicated", "The destination image is exist.")
    token, retry_name = unique_name("token"), unique_name("retried")
    first = _copy(world, owner, source, destination_image_name=retry_name, client_token=token)
    again = _copy(world, owner, source, destination_image_name=retry_name, client_token=token)
    assert again == first, "the same ClientToken: the first answer, no duplicate error"
    unnamed = _copy(world, owner, source)  # the copy keeps the source's name
    assert (
        _one(world, owner, unnamed, OTHER_REGION).image_name
        == _one(world, owner, source).image_name
    )
    same_region = tea_error(lambda: _copy(world, owner, source, destination_region_id=REGION))
    assert same_region.code == "InvalidImageName.Duplicated", "and so cannot stay beside it"


def test_copy_rules_for_recipients_community_and_encryption(world: World) -> None:
    owner, recipient, stranger = world.account(), world.account(), world.account()
    source = ecs_image(world, owner)
    modify(world, owner, source, add=[recipient.id])
    mine = _copy(world, recipient, source, destination_region_id=REGION)
    assert _one(world, recipient, mine).image_owner_alias == "self"
    modify(world, owner, source, remove=[recipient.id])
    assert mine in custom_ids(world, recipient), "the recipient's copy is its own"
    modify(world, owner, source, add=[recipient.id])
    abroad = tea_error(lambda: _copy(world, recipient, source))
    assert _wire(abroad) == (
        403,
        "OperationDenied.SameRegionOnly",
        "The image shared from others can not be copied to another region directly.",
    )
    assert _wire(tea_error(lambda: _copy(world, stranger, source))) == NOT_FOUND
    kms = tea_error(lambda: _copy(world, owner, source, kmskey_id="key-cmk-1"))
    assert _wire(kms) == (
        400,
        "InvalidParameter.EncryptedIllegal",
        "The specified parameter Encrypted must be true when kmsKeyId is not empty.",
    )
    by_service = _copy(world, owner, source, encrypted=True, destination_image_name=unique_name())
    refused = tea_error(
        lambda: modify(world, owner, by_service, add=[recipient.id], region=OTHER_REGION)
    )
    assert refused.code == "InvalidOperation.ServiceKeyEncryptedImageUnsupported"
    by_customer = _copy(
        world,
        owner,
        source,
        encrypted=True,
        kmskey_id="key-cmk-1",
        destination_image_name=unique_name(),
    )
    modify(world, owner, by_customer, add=[recipient.id], region=OTHER_REGION)
    assert (
        _one(world, owner, by_customer, OTHER_REGION)
        .disk_device_mappings.disk_device_mapping[0]
        .encrypted
    )


@pytest.mark.parametrize("who", ["owner", "stranger"])
def test_nobody_copies_a_public_image(world: World, who: str) -> None:
    owner = world.account()
    published = ecs_image(world, owner)
    modify(world, owner, published, is_public=True)
    refused = _refused_copy(world, owner if who == "owner" else world.account(), published)
    assert _wire(refused) == (403, "Image.Public", "The specified image is public image.")


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A server whose copies take a minute to become Available: copies in flight."""
    tmp = str(tmp_path_factory.mktemp("slow-ecs"))
    with (
        migrated_database_url("sqlite", tmp) as url,
        running_server(url, ecs_copy_image_seconds=60) as (
            endpoint,
            store,
        ),
    ):
        yield World(endpoint, store)


def test_a_copy_in_flight(slow: World) -> None:
    owner = slow.account()
    source = ecs_image(slow, owner)
    copy = _copy(slow, owner, source)
    seen = _one(slow, owner, copy, OTHER_REGION)
    assert seen.status == "Creating" and seen.progress != "100%"
    assert copy not in custom_ids(slow, owner, OTHER_REGION), "not Available yet"
    deleting = tea_error(lambda: _delete(slow, owner, copy, region_id=OTHER_REGION))
    assert _wire(deleting) == (
        403,
        "OperationDenied.ImageCopying",
        "The image is being copied. Please use the CancelCopyImage API.",
    )
    onward = tea_error(lambda: _copy(slow, owner, copy, region_id=OTHER_REGION))
    assert _wire(onward) == (403, "OperationDenied.ImageCopying", "The Image are coping.")
    cancel = ecs.CancelCopyImageRequest(region_id=OTHER_REGION, image_id=copy)
    slow.ecs(owner).cancel_copy_image(cancel)
    assert custom_ids(slow, owner, OTHER_REGION, status="ALL") == []
    assert _wire(tea_error(lambda: slow.ecs(owner).cancel_copy_image(cancel))) == NOT_FOUND
    arrived = ecs.CancelCopyImageRequest(region_id=REGION, image_id=source)
    not_copying = tea_error(lambda: slow.ecs(owner).cancel_copy_image(arrived))
    assert (not_copying.status, not_copying.code) == (400, "IncorrectImageStatus")


def test_delete_rules(world: World) -> None:
    owner, recipient = world.account(), world.account()
    image_id = ecs_image(world, owner)
    modify(world, owner, image_id, add=[recipient.id])
    assert _wire(tea_error(lambda: _delete(world, recipient, image_id))) == NOT_FOUND
    shared = tea_error(lambda: _delete(world, owner, image_id))
    assert _wire(shared) == (
        403,
        "ImageUseShared",
        "The specified image has been shared to others. You can use the "
        "DescribeImageSharePermission API to query the users who have been shared.",
    )
    dry = tea_error(lambda: _delete(world, owner, image_id, force=True, dry_run=True))
    assert dry.code == "DryRunOperation" and image_id in custom_ids(world, recipient)
    _delete(world, owner, image_id, force=True)
    assert image_id not in custom_ids(world, recipient), "deleted: gone for the recipient"
    assert _wire(tea_error(lambda: _delete(world, owner, image_id))) == NOT_FOUND
    published = ecs_image(world, owner)
    modify(world, owner, published, is_public=True)
    assert _wire(tea_error(lambda: _delete(world, owner, published, force=True))) == (
        403,
        "ImageIsPublic",
        "You can not delete public image, please modify it to private.",
    )
    creating = ecs_image(world, owner, creating_for=60)
    assert _wire(tea_error(lambda: _delete(world, owner, creating))) == (
        403,
        "ImageIsCreating",
        "The specified image is being created.",
    )
    plain = ecs_image(world, owner)
    _delete(world, owner, plain)
    assert plain not in custom_ids(world, owner, status="ALL")
