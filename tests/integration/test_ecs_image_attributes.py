"""ModifyImageAttribute and DescribeImageFromFamily through the official ECS tea SDK: the
owner's and the recipient's rights, names, descriptions, families and boot modes, deprecation
and its way back, a family rolled back by deprecating its newest image, and each documented
refusal with its exact text (copies and deletion: test_ecs_lifecycle)."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support.ecs import REGION, custom_ids, ecs_image, modify
from support.ecs import copy_image as _copy
from support.ecs import one_image as _one
from support.ecs import unique as unique_name
from support.errors import SdkError, tea_error
from support.world import AccountKeys, World

NOT_FOUND = (404, "InvalidImageId.NotFound", "The specified ImageId does not exist.")


def _wire(error: SdkError) -> tuple[int, str, str]:
    return (error.status, error.code, error.data["Message"])


def _modify(world: World, who: AccountKeys, image_id: str, **extra: Any) -> None:
    request = ecs.ModifyImageAttributeRequest(region_id=REGION, image_id=image_id, **extra)
    world.ecs(who).modify_image_attribute(request)


def _refused_modify(
    world: World, who: AccountKeys, image_id: str, change: dict[str, Any]
) -> SdkError:
    return tea_error(lambda: _modify(world, who, image_id, **change))


def test_modify_attributes_and_their_errors(world: World) -> None:
    owner, recipient = world.account(), world.account()
    image_id, other = ecs_image(world, owner), ecs_image(world, owner)
    name = unique_name("renamed")
    _modify(
        world,
        owner,
        image_id,
        image_name=name,
        description="for the web tier",
        image_family="web",
        boot_mode="UEFI",
    )
    seen = _one(world, owner, image_id)
    assert (seen.image_name, seen.description, seen.image_family, seen.boot_mode) == (
        name,
        "for the web tier",
        "web",
        "UEFI",
    )
    taken = tea_error(lambda: _modify(world, owner, other, image_name=name))
    assert _wire(taken) == (
        400,
        "InvalidImageName.Duplicated",
        "The specified Image name has already bean used.",
    )
    bad_name = tea_error(lambda: _modify(world, owner, image_id, image_name="aliyun-mine"))
    assert (bad_name.code, bad_name.status) == ("InvalidImageName.Malformed", 400)
    assert bad_name.data["Message"].startswith("Image names must be between 2 and 128")
    modify(world, owner, image_id, add=[recipient.id])
    assert (
        _wire(tea_error(lambda: _modify(world, recipient, image_id, image_name="mine")))
        == NOT_FOUND
    )
    deprecating = tea_error(lambda: _modify(world, owner, image_id, status="Deprecated"))
    assert _wire(deprecating) == (
        403,
        "ImageUseShared",
        "The specified image has been shared to others, please remove shared accounts first.",
    )
    modify(world, owner, image_id, remove=[recipient.id])
    _modify(world, owner, image_id, status="Deprecated")
    assert image_id not in custom_ids(world, owner) and image_id in custom_ids(
        world, owner, status="Deprecated"
    )
    assert tea_error(lambda: modify(world, owner, image_id, add=[recipient.id])).code == (
        "OperationDenied.InvalidImageStatus"
    )
    copying = tea_error(lambda: _copy(world, owner, image_id))
    assert _wire(copying) == (400, "IncorrectImageStatus", "The image not available.")
    _modify(world, owner, image_id, status="Available")
    assert image_id in custom_ids(world, owner)
    creating = ecs_image(world, owner, creating_for=60)
    assert tea_error(lambda: _modify(world, owner, creating, description="later")).code == (
        "InvalidStatus.ImageIsCreating"
    )


# By id: the attribute changed, and the status, code and message of its refusal.
MODIFY_REFUSALS: dict[str, tuple[dict[str, Any], tuple[int, str, str]]] = {
    "a link in the description": (
        {"description": "http://x"},
        (400, "InvalidDescription.Malformed", "The specified description is wrongly formed."),
    ),
    "a family named acs:": (
        {"image_family": "acs:mine"},
        (
            400,
            "InvalidImageFamily.Malformed",
            'The specified parameter "ImageFamily" is malformed.',
        ),
    ),
    "boot mode Legacy": (
        {"boot_mode": "Legacy"},
        (400, "InvalidBootMode.NotSupport", "The specified parameter BootMode is not supported."),
    ),
    "license type Retail": (
        {"license_type": "Retail"},
        (
            400,
            "InvalidLicenseType.NotSupported",
            "The specified parameter LicenseType is not supported.",
        ),
    ),
    "Available when not deprecated": (
        {"status": "Available"},
        (403, "ImageStatus.NotDeprecated", "The specified image status is not deprecated."),
    ),
}


@pytest.mark.parametrize(
    ("change", "expected"), list(MODIFY_REFUSALS.values()), ids=list(MODIFY_REFUSALS)
)
def test_modify_refusals(
    world: World, change: dict[str, Any], expected: tuple[int, str, str]
) -> None:
    owner = world.account()
    image_id = ecs_image(world, owner)
    assert _wire(_refused_modify(world, owner, image_id, change)) == expected


def _from_family(world: World, who: AccountKeys, family: str) -> dict[str, Any]:
    request = ecs.DescribeImageFromFamilyRequest(region_id=REGION, image_family=family)
    image: dict[str, Any] = (
        world.ecs(who).describe_image_from_family(request).body.to_map()["Image"]
    )
    return image


def test_image_families(world: World) -> None:
    owner, recipient = world.account(), world.account()
    centos = _from_family(world, owner, "acs:centos_7_9_x64")
    assert centos["ImageId"] == "centos_7_9_x64_20G_alibase_20240628.vhd", "not the deprecated one"
    family = unique_name("family")
    older = ecs_image(world, owner, family=family)
    newer = ecs_image(world, owner, family=family)
    assert _from_family(world, owner, family)["ImageId"] == newer
    _modify(world, owner, newer, status="Deprecated")  # rolling the family back
    assert _from_family(world, owner, family)["ImageId"] == older
    assert _from_family(world, recipient, family) == {}
    modify(world, owner, older, add=[recipient.id])
    assert _from_family(world, recipient, family)["ImageId"] == older
    assert _from_family(world, owner, unique_name("nothing")) == {}
