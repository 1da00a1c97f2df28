"""ECD custom images through the official ECD tea SDK: CreateImage from a desktop and the
image DescribeImages shows for it (fields and JSON types), ModifyImageAttribute, DeleteImages,
and the RAM declarations of every ECD action (DescribeImages filters and paging:
test_ecd_describe_images)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from alibabacloud_ecd20200930 import models as ecd
from support.ecd import OTHER_REGION, REGION, desktop, image, unique, visible
from support.errors import tea_error
from support.world import AccountKeys, World

from imageshare.api.all import build_registry
from imageshare.api.products import ECD
from imageshare.domain.principal import Principal, PrincipalType

IMAGE_ID = re.compile(r"^m-[a-z0-9]{17}$")
DESKTOP_ID = re.compile(r"^ecd-[a-z0-9]{17}$")
ROOT = Principal(account_id=1000000000000001, type=PrincipalType.ROOT, access_key_id="LTAIx")
WIRE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
# JSON types exactly as alibabacloud_ecd20200930 declares DescribeImagesResponseBodyImages.
FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "AppVersion": str,
    "CreationTime": str,
    "DataDiskSize": int,
    "Description": str,
    "GpuCategory": bool,
    "GpuDriverVersion": str,
    "ImageId": str,
    "ImageType": str,
    "Name": str,
    "OsType": str,
    "Platform": str,
    "Progress": str,
    "ProtocolType": str,
    "SessionType": str,
    "SharedCount": int,
    "Size": int,
    "Status": str,
    "SupportedLanguages": list,
    "UpdateTime": str,
    "VolumeEncryptionEnabled": bool,
    "VolumeEncryptionKey": str,
}


def _raw_images(world: World, who: Any, **filters: Any) -> list[dict[str, Any]]:
    request = ecd.DescribeImagesRequest(region_id=REGION, max_results=100, **filters)
    images: list[dict[str, Any]] = world.ecd(who).describe_images(request).body.to_map()["Images"]
    return images


def test_create_image_and_describe_it(world: World) -> None:
    owner = world.account()
    desktop_id = desktop(world, owner, os_type="Linux")
    assert DESKTOP_ID.match(desktop_id)
    request = ecd.CreateImageRequest(
        region_id=REGION, desktop_id=desktop_id, image_name="golden-1", description="base image"
    )
    image_id = world.ecd(owner).create_image(request).body.image_id
    assert IMAGE_ID.match(image_id)
    [raw] = _raw_images(world, owner, image_id=[image_id])
    assert set(raw) == set(FIELD_TYPES)
    assert (raw["Name"], raw["Description"], raw["ImageType"]) == (
        "golden-1",
        "base image",
        "CUSTOM",
    )
    assert (raw["Status"], raw["Progress"], raw["SharedCount"]) == ("Available", "100%", 0)
    assert (raw["OsType"], raw["Platform"]) == ("Linux", "Ubuntu")
    assert (raw["Size"], raw["DataDiskSize"]) == (80, 50)
    assert WIRE_TIME.match(raw["CreationTime"]) and raw["UpdateTime"] == raw["CreationTime"]
    assert raw["VolumeEncryptionEnabled"] is False and raw["VolumeEncryptionKey"] == ""


@pytest.fixture(scope="module")
def described(server: World) -> dict[str, Any]:
    """One image as DescribeImages puts it on the wire."""
    owner = server.account()
    [raw] = _raw_images(server, owner, image_id=[image(server, owner, os_type="Linux")])
    return raw


@pytest.mark.parametrize("field", sorted(FIELD_TYPES))
def test_each_field_has_the_type_the_sdk_declares(described: dict[str, Any], field: str) -> None:
    kind = FIELD_TYPES[field]
    value = described[field]
    assert isinstance(value, kind) and not (kind is int and isinstance(value, bool)), value


def test_encrypted_desktop_and_system_disk_only(world: World) -> None:
    owner = world.account()
    encrypted = image(world, owner, encrypted=True)
    seen = visible(world, owner)[encrypted]
    assert seen.volume_encryption_enabled is True
    assert re.match(r"^[0-9a-f-]{36}$", seen.volume_encryption_key)
    request = ecd.CreateImageRequest(
        region_id=REGION, desktop_id=desktop(world, owner), image_name="sys", disk_type="SYSTEM"
    )
    system_only = world.ecd(owner).create_image(request).body.image_id
    assert (visible(world, owner)[system_only].data_disk_size, seen.data_disk_size) == (0, 50)


@dataclass(frozen=True)
class Desktops:
    """An owner with one image ("taken") and desktops here and elsewhere; another's desktop."""

    owner: AccountKeys
    mine: str
    theirs: str
    elsewhere: str


@pytest.fixture(scope="module")
def desktops(server: World) -> Desktops:
    owner, other = server.account(), server.account()
    mine, theirs = desktop(server, owner), desktop(server, other)
    elsewhere = desktop(server, owner, OTHER_REGION)
    image(server, owner, name="taken")
    return Desktops(owner, mine, theirs, elsewhere)


CREATE_REFUSALS: list[tuple[dict[str, Any], str, int, str]] = [
    ({"desktop_id": "ecd-doesnotexist00000"}, "InvalidDesktopId.NotFound", 404, "DesktopId"),
    ({"desktop_id": "<theirs>"}, "InvalidDesktopId.NotFound", 404, "DesktopId"),
    ({"desktop_id": "<elsewhere>"}, "InvalidDesktopId.NotFound", 404, "DesktopId"),
    ({}, "MissingParameter", 400, "DesktopId"),
    ({"desktop_id": "<mine>", "image_name": "9lives"}, "InvalidParameter", 400, "ImageName"),
    ({"desktop_id": "<mine>", "image_name": "a"}, "InvalidParameter", 400, "ImageName"),
    ({"desktop_id": "<mine>", "image_name": "a/b"}, "InvalidParameter", 400, "ImageName"),
    ({"desktop_id": "<mine>", "description": "http://x"}, "InvalidParameter", 400, "Description"),
    ({"desktop_id": "<mine>", "disk_type": "DATA"}, "InvalidParameter", 400, "DiskType"),
    ({"desktop_id": "<mine>", "snapshot_id": "s-1"}, "InvalidParameter", 400, "SnapshotId"),
    ({"desktop_id": "<mine>", "image_name": "taken"}, "ImageNameAlreadyExist", 400, "ImageName"),
    ({"desktop_id": "<mine>", "region_id": "cn-qingdao"}, "InvalidParameter", 400, "RegionId"),
]


@pytest.mark.parametrize(("fields", "code", "status", "named"), CREATE_REFUSALS)
def test_create_image_refusals_change_nothing(
    world: World, desktops: Desktops, fields: dict[str, Any], code: str, status: int, named: str
) -> None:
    # "<mine>" and the like: the fixture's desktops, whose ids exist only once it has run.
    given = {k: getattr(desktops, v[1:-1]) if v.startswith("<") else v for k, v in fields.items()}
    request = ecd.CreateImageRequest(**{"region_id": REGION, **given})
    error = tea_error(lambda: world.ecd(desktops.owner).create_image(request))
    assert (error.code, error.status) == (code, status), fields
    assert named in error.message, (fields, error.message)
    assert len(visible(world, desktops.owner)) == 1


def test_names_are_unique_per_owner_and_region(world: World) -> None:
    owner, other = world.account(), world.account()
    image(world, owner, name="shared-name")
    image(world, owner, OTHER_REGION, name="shared-name")
    image(world, other, name="shared-name")
    assert [i.name for i in visible(world, owner).values()] == ["shared-name"]
    assert [i.name for i in visible(world, owner, OTHER_REGION).values()] == ["shared-name"]


def test_modify_image_attribute(world: World) -> None:
    owner = world.account()
    image_id, other_id = image(world, owner, name="before"), image(world, owner, name="other")
    client = world.ecd(owner)

    def modify(**fields: Any) -> None:
        request = ecd.ModifyImageAttributeRequest(region_id=REGION, image_id=image_id, **fields)
        client.modify_image_attribute(request)

    modify(name="after", description="now described")
    seen = visible(world, owner)[image_id]
    assert (seen.name, seen.description) == ("after", "now described")
    modify()  # neither given: nothing changes
    modify(description="again")
    assert visible(world, owner)[image_id].name == "after"
    request = ecd.ModifyImageAttributeRequest(region_id=REGION, image_id="m-doesnotexist0000")
    error = tea_error(lambda: client.modify_image_attribute(request))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    names = {i.name for i in visible(world, owner).values()}
    assert names == {"after", "other"} and other_id in visible(world, owner)


@pytest.fixture(scope="module")
def renaming(server: World) -> tuple[AccountKeys, str]:
    """An owner's image "before", beside its image "other": a name taken."""
    owner = server.account()
    image(server, owner, name="other")
    return owner, image(server, owner, name="before")


@pytest.mark.parametrize(
    ("name", "code"),
    [("other", "ImageNameAlreadyExist"), ("1x", "InvalidParameter")],
    ids=["a name taken", "a bad name"],
)
def test_rename_refusals(
    world: World, renaming: tuple[AccountKeys, str], name: str, code: str
) -> None:
    owner, image_id = renaming
    request = ecd.ModifyImageAttributeRequest(region_id=REGION, image_id=image_id, name=name)
    error = tea_error(lambda: world.ecd(owner).modify_image_attribute(request))
    assert error.code == code and error.status == 400
    assert '"Name"' in error.message or 'Name "other"' in error.message
    assert {i.name for i in visible(world, owner).values()} == {"before", "other"}


def test_delete_images_is_all_or_nothing(world: World) -> None:
    owner, other = world.account(), world.account()
    first, second = image(world, owner), image(world, owner)
    theirs = image(world, other)
    client = world.ecd(owner)
    for ids, code, status in (
        ([first, "m-doesnotexist0000"], "InvalidImageId.NotFound", 404),
        ([first, theirs], "InvalidImageId.NotFound", 404),
        ([f"m-{n}" for n in range(101)], "InvalidParameter", 400),
        ([], "MissingParameter", 400),
    ):
        request = ecd.DeleteImagesRequest(region_id=REGION, image_id=ids or None)
        error = tea_error(lambda r=request: client.delete_images(r))  # type: ignore[misc]
        assert (error.code, error.status) == (code, status)
    assert set(visible(world, owner)) == {first, second}
    client.delete_images(ecd.DeleteImagesRequest(region_id=REGION, image_id=[first, second]))
    assert visible(world, owner) == {} and set(visible(world, other)) == {theirs}
    reuse = ecd.CreateImageRequest(region_id=REGION, desktop_id=desktop(world, owner))
    assert client.create_image(reuse).body.image_id, "a deleted image's name is free again"


def test_every_ecd_action_declares_its_ram_action_and_resource() -> None:
    ecd_actions = {a.name: a for a in build_registry() if a.product is ECD}
    assert set(ecd_actions) >= {
        "CreateImage",
        "DescribeImages",
        "DeleteImages",
        "ModifyImageAttribute",
        "CopyImage",
        "CancelCopyImage",
        "ModifyImagePermission",
        "DescribeImagePermission",
        "DescribeRegions",
    }
    for name, action in ecd_actions.items():
        assert action.ram_action == f"ecd:{name}"
        assert action.resource(ROOT, None) == "*"
        assert not action.idempotent, f"{name} takes no ClientToken"
    assert unique("x") != unique("x")
