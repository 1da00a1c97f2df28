"""ECS DescribeImages through the official ECS tea SDK: the public catalogue, the caller's own
custom images (and SWAS images it shared to ECS), every filter, the exact JSON shapes and
types, paging past the end, and each documented error."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from support.ecs import REGION, custom_ids, ecs_image, image_ids, images, unique
from support.errors import tea_error
from support.swas import OTHER_REGION, custom_image, share
from support.world import AccountKeys, World

from imageshare.domain.catalogue import SYSTEM_IMAGES

AVAILABLE_SYSTEM = [i.id for i in SYSTEM_IMAGES if i.status == "Available"]
DEPRECATED_SYSTEM = [i.id for i in SYSTEM_IMAGES if i.status == "Deprecated"]


def _status(world: World, who: AccountKeys, image_id: str, operation: str) -> None:
    request = swas.ModifyImageShareStatusRequest(
        region_id=REGION, image_id=image_id, operation=operation
    )
    world.swas(who).modify_image_share_status(request)


def test_shared_to_ecs_appears_for_the_owner_in_the_same_region(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id, kept_in_swas = custom_image(world, owner), custom_image(world, owner)
    share(world, owner, image_id, friend.id)
    assert custom_ids(world, owner) == []
    _status(world, owner, image_id, "Share")
    assert custom_ids(world, owner) == [image_id]
    assert kept_in_swas not in custom_ids(world, owner)
    assert custom_ids(world, owner, OTHER_REGION) == []
    assert custom_ids(world, friend) == [], "sharing to ECS is for the owner's own ECS"
    assert image_ids(world, owner, image_owner_alias="self") == [image_id]
    assert image_id not in image_ids(world, owner, image_owner_alias="system")
    assert image_ids(world, owner, image_id=f"{image_id},m-other") == [image_id]
    _status(world, owner, image_id, "UnShare")
    assert custom_ids(world, owner) == []


def test_system_catalogue_and_its_shape(world: World) -> None:
    who = world.account()
    body = images(world, who, image_owner_alias="system", page_size=100)
    assert [i.image_id for i in body.images.image] == AVAILABLE_SYSTEM
    assert body.total_count == len(AVAILABLE_SYSTEM)
    raw = body.to_map()["Images"]["Image"]
    first = next(i for i in raw if i["ImageId"] == "aliyun_3_x64_20G_alibase_20240819.vhd")
    assert first["ImageOwnerAlias"] == "system" and first["OSType"] == "linux"
    assert first["Platform"] == "Aliyun" and first["Architecture"] == "x86_64"
    assert isinstance(first["Size"], int) and isinstance(first["ImageOwnerId"], int)
    assert first["IsPublic"] is True and first["Usage"] == "none"
    assert first["ImageFamily"] == "acs:alibaba_cloud_linux_3_2104_lts_x64"
    disk = first["DiskDeviceMappings"]["DiskDeviceMapping"][0]
    assert isinstance(disk["Size"], str) and disk["Encrypted"] is False
    assert first["Tags"] == {"Tag": []} and first["CreationTime"].endswith("Z")
    windows = images(world, who, image_owner_alias="system", ostype="windows").images.image
    assert [(i.ostype, i.size) for i in windows] == [("windows", 40)]
    assert (
        image_ids(world, who, region=OTHER_REGION, image_owner_alias="system") == AVAILABLE_SYSTEM
    )


def test_status_filter_default_all_and_lists(world: World) -> None:
    who = world.account()
    assert image_ids(world, who, image_owner_alias="system", status="Deprecated") == (
        DEPRECATED_SYSTEM
    )
    every = image_ids(world, who, image_owner_alias="system", status="ALL")
    assert set(every) == {i.id for i in SYSTEM_IMAGES}
    both = image_ids(world, who, image_owner_alias="system", status="Available,Deprecated")
    assert set(both) == set(every)
    assert image_ids(world, who, image_owner_alias="system", status="CreateFailed") == []
    creating = ecs_image(world, who, creating_for=60)
    assert creating not in custom_ids(world, who), "default Status is Available"
    assert custom_ids(world, who, status="Creating") == [creating]
    found = images(world, who, status="Creating", image_id=creating).images.image[0]
    assert found.status == "Creating" and found.progress != "100%"
    assert custom_ids(world, who, status="ALL") == [creating]


def test_no_alias_lists_system_then_own_newest_first(world: World) -> None:
    who = world.account()
    older, newer = ecs_image(world, who), ecs_image(world, who)
    listed = image_ids(world, who)
    assert listed == [*AVAILABLE_SYSTEM, newer, older]
    assert image_ids(world, who, image_owner_alias="self") == [newer, older]
    assert image_ids(world, who, image_owner_alias="marketplace") == []


def test_paging_across_the_catalogue_and_past_the_end(world: World) -> None:
    who = world.account()
    made = [ecs_image(world, who) for _ in range(3)]
    everything = image_ids(world, who)
    pages = []
    for number in range(1, 10):
        body = images(world, who, page_size=3, page_number=number)
        assert (body.page_number, body.page_size) == (number, 3)
        assert body.total_count == len(AVAILABLE_SYSTEM) + 3
        pages.append([i.image_id for i in body.images.image])
        if not pages[-1]:
            break
    assert [i for page in pages for i in page] == everything
    assert set(made) <= set(everything)
    past = images(world, who, page_size=100, page_number=200)
    assert past.images.image == [] and past.total_count == len(everything)


def test_name_family_os_architecture_and_instance_type(world: World) -> None:
    who = world.account()
    golden = ecs_image(world, who, name=unique("Golden_Web"), family="web-family")
    arm = ecs_image(world, who, architecture="arm64", platform="Linux")
    win = ecs_image(world, who, platform="Windows", os_name="Windows Server 2022")
    assert custom_ids(world, who, image_name="golden_") == [golden], "fuzzy, any case"
    assert custom_ids(world, who, image_name="%") == [], "LIKE wildcards are literal"
    assert custom_ids(world, who, image_family="web-family") == [golden]
    assert custom_ids(world, who, ostype="windows") == [win]
    assert custom_ids(world, who, ostype="Linux") == [arm, golden]
    assert custom_ids(world, who, architecture="arm64") == [arm]
    arm_system = image_ids(world, who, image_owner_alias="system", architecture="arm64")
    assert arm_system == ["aliyun_3_arm64_20G_alibase_20240819.vhd"]
    assert custom_ids(world, who, instance_type="ecs.g8y.large") == [arm]
    assert win in custom_ids(world, who, instance_type="ecs.g7.large")
    assert custom_ids(world, who, instance_type="ecs.g8y.large", architecture="x86_64") == []


def test_owner_attributes_tags_and_creation_window(world: World) -> None:
    who, other = world.account(), world.account()
    tagged = ecs_image(
        world, who, tags=[("team", "web"), ("env", "prod")], system_snapshot_id="s-source"
    )
    grouped = ecs_image(world, who, resource_group_id="rg-golden")
    assert custom_ids(world, who, snapshot_id="s-source") == [tagged]
    assert custom_ids(world, who, resource_group_id="rg-golden") == [grouped]
    tag = ecs.DescribeImagesRequestTag
    assert custom_ids(world, who, tag=[tag(key="team", value="web")]) == [tagged]
    assert custom_ids(world, who, tag=[tag(key="team")]) == [tagged]
    assert custom_ids(world, who, tag=[tag(key="team", value="db")]) == []
    assert custom_ids(world, other, tag=[tag(key="team")]) == []
    found = images(world, who, image_id=tagged).images.image[0]
    assert {(t.tag_key, t.tag_value) for t in found.tags.tag} == {("team", "web"), ("env", "prod")}
    window = ecs.DescribeImagesRequestFilter
    after = [window(key="CreationStartTime", value="2099-01-01T00:00Z")]
    assert custom_ids(world, who, filter=after) == []
    since = [window(key="CreationStartTime", value="2020-01-01T00:00Z")]
    assert set(custom_ids(world, who, filter=since)) == {tagged, grouped}
    before = [window(key="CreationEndTime", value="2024-01-01T00:00Z")]
    assert image_ids(world, who, filter=before, status="ALL") == DEPRECATED_SYSTEM


def test_usage_and_support_flags(world: World) -> None:
    who = world.account()
    made = ecs_image(world, who)
    assert made in custom_ids(world, who, usage="none")
    assert image_ids(world, who, usage="instance") == [], "no instance runs any image yet"
    assert custom_ids(world, who, is_support_cloudinit=False) == []
    assert custom_ids(world, who, is_support_io_optimized=True) == [made]
    assert custom_ids(world, who, usable=True) == [made]
    assert custom_ids(world, who, usable=False) == []
    assert made in custom_ids(world, who, show_expired=False, action_type="CreateEcs")


BAD_FILTERS: list[tuple[dict[str, Any], int, str, str]] = [
    (
        {"image_owner_alias": "friends"},
        400,
        "InvalidImageOwnerAlias.ValueNotSupported",
        "The specified ImageOwnerAlias value is not supported.",
    ),
    (
        {"is_public": True},
        400,
        "InvalidImageOwnerAlias.PublicImageUnsupported",
        "When querying images, the parameter ImageOwnerAlias should be others while specified "
        "parameter IsPublic is true.",
    ),
    (
        {"image_owner_alias": "self", "image_owner_id": 1234567890123456},
        400,
        "InvalidOperation.ImageOwnerIdUnsupported",
        'The parameter "ImageOwnerId" is not supported in this context, it is only valid when '
        "querying shared images or community images.",
    ),
    ({"ostype": "beos"}, 404, "InvalidOSType", "The specified OSType is not valid."),
    (
        {"architecture": "sparc"},
        404,
        "InvalidArchitecture",
        "The specified Architecture is not valid.",
    ),
    ({"usage": "sometimes"}, 404, "InvalidUsage", "The specified Usage is not valid."),
    (
        {"instance_type": "ecs.nope.large"},
        400,
        "InvalidInstanceType.ValueNotSupported",
        "The specified instance type ecs.nope.large does not exist. You can use the "
        "DescribeInstanceTypes API to query the available instance types.",
    ),
    (
        {"tag": [ecs.DescribeImagesRequestTag(value="orphan")]},
        400,
        "InvalidTag.Mismatch",
        "The specified Tag.n.Key and Tag.n.Value are not match.",
    ),
    (
        {"tag": [ecs.DescribeImagesRequestTag(key=f"k{n}") for n in range(21)]},
        400,
        "InvalidTagCount",
        "The specified tags are beyond the permitted range.",
    ),
    (
        {"filter": [ecs.DescribeImagesRequestFilter(key="Colour", value="red")]},
        404,
        "InvalidFilterKey.NotFound",
        "The specified Filter Key is not found.",
    ),
    (
        {"filter": [ecs.DescribeImagesRequestFilter(key="CreationStartTime", value="yesterday")]},
        404,
        "InvalidFilterValue",
        "The specified Filter Value is not valid.",
    ),
    (
        {"filter": [ecs.DescribeImagesRequestFilter(key="NetworkType", value="wifi")]},
        400,
        "InvalidFilterValue.NetworkType",
        "The specified networkType value in the Filter is invalid.",
    ),
    (
        {"dry_run": True},
        400,
        "DryRunOperation",
        "Request validation has been passed with DryRun flag set.",
    ),
]


@pytest.mark.parametrize(("filters", "status", "code", "message"), BAD_FILTERS)
def test_documented_errors(
    world: World, filters: dict[str, Any], status: int, code: str, message: str
) -> None:
    request = ecs.DescribeImagesRequest(region_id=REGION, **filters)
    error = tea_error(lambda: world.ecs(world.account()).describe_images(request))
    assert (error.status, error.code, error.data["Message"]) == (status, code, message)


@pytest.mark.parametrize(
    ("filters", "parameter"),
    [({"page_size": 101}, "PageSize"), ({"page_number": 0}, "PageNumber")],
)
def test_paging_bounds(world: World, filters: dict[str, Any], parameter: str) -> None:
    request = ecs.DescribeImagesRequest(region_id=REGION, **filters)
    error = tea_error(lambda: world.ecs(world.account()).describe_images(request))
    assert (error.status, error.code) == (400, "InvalidParameter")
    assert f'"{parameter}"' in error.message


def test_unknown_region(world: World) -> None:
    request = ecs.DescribeImagesRequest(region_id="mars-north-1")
    error = tea_error(lambda: world.ecs(world.account()).describe_images(request))
    assert (error.status, error.code) == (400, "InvalidParameter")
