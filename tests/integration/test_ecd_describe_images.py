"""DescribeImages of ECD through the official ECD tea SDK: each filter (ids, name, OS, type,
status, protocol, session, GPU), the public catalogue of system images, the filters and
parameters it rejects, the region it needs, and NextToken paging (an image's fields and their
JSON types: test_ecd_images)."""

from __future__ import annotations

from typing import Any

import pytest
from alibabacloud_ecd20200930 import models as ecd
from support.ecd import REGION, image, visible
from support.errors import tea_error
from support.world import World

from imageshare.domain.catalogue import ECD_SYSTEM_IMAGES


def test_describe_images_filters(world: World) -> None:
    owner = world.account()
    windows = image(world, owner, name="win-a")
    linux = image(world, owner, name="lin-a", os_type="Linux")
    assert set(visible(world, owner)) == {windows, linux}
    assert set(visible(world, owner, image_id=[linux, "m-doesnotexist0000"])) == {linux}
    assert set(visible(world, owner, image_name="win-a")) == {windows}
    assert set(visible(world, owner, os_type="linux")) == {linux}
    assert set(visible(world, owner, os_type="Windows")) == {windows}
    assert set(visible(world, owner, image_type="CUSTOM")) == {windows, linux}
    system = visible(world, owner, image_type="SYSTEM")
    assert set(system) == {i.id for i in ECD_SYSTEM_IMAGES}, "the public catalogue"
    assert all(i.image_type == "SYSTEM" and i.status == "Available" for i in system.values())
    linux_system = visible(world, owner, image_type="SYSTEM", os_type="Linux")
    assert set(linux_system) == {"desktopimage-ubuntu-2004-64-ch"}
    first = (
        world.ecd(owner)
        .describe_images(
            ecd.DescribeImagesRequest(region_id=REGION, image_type="SYSTEM", max_results=2)
        )
        .body
    )
    rest = (
        world.ecd(owner)
        .describe_images(
            ecd.DescribeImagesRequest(
                region_id=REGION, image_type="SYSTEM", max_results=2, next_token=first.next_token
            )
        )
        .body
    )
    paged = [i.image_id for i in first.images + rest.images]
    assert sorted(paged) == sorted(system) and not rest.next_token
    assert set(visible(world, owner, image_status="Available")) == {windows, linux}
    assert visible(world, owner, image_status="Creating") == {}
    assert set(visible(world, owner, protocol_type="ASP", session_type="SINGLE_SESSION")) == {
        windows,
        linux,
    }
    assert visible(world, owner, gpu_category=True) == {}
    assert visible(world, owner, protocol_type="HDX") == {}


BAD_FILTERS: list[tuple[dict[str, Any], str]] = [
    ({"image_type": "custom"}, "ImageType"),
    ({"image_status": "Deleted"}, "ImageStatus"),
    ({"os_type": "Mac"}, "OsType"),
    ({"max_results": 101}, "MaxResults"),
    ({"max_results": 0}, "MaxResults"),
    ({"next_token": "not-a-token"}, "NextToken"),
]


@pytest.mark.parametrize(("fields", "named"), BAD_FILTERS)
def test_describe_images_rejects_bad_filters(
    world: World, fields: dict[str, Any], named: str
) -> None:
    request = ecd.DescribeImagesRequest(region_id=REGION, **fields)
    error = tea_error(lambda: world.ecd(world.account()).describe_images(request))
    assert (error.code, error.status) == ("InvalidParameter", 400), fields
    assert f'"{named}"' in error.message


def test_describe_images_needs_a_region(world: World) -> None:
    owner = world.account()
    error = tea_error(lambda: world.ecd(owner).describe_images(ecd.DescribeImagesRequest()))
    assert (error.code, error.status) == ("MissingParameter", 400)


def test_describe_images_pages_with_next_token(world: World) -> None:
    owner = world.account()
    made = [image(world, owner, name=f"page-{n}") for n in range(5)]
    client, token, pages = world.ecd(owner), None, []
    for _ in range(5):
        request = ecd.DescribeImagesRequest(region_id=REGION, max_results=2, next_token=token)
        body = client.describe_images(request).body
        pages.append([i.image_id for i in body.images])
        token = body.next_token
        if not token:
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [i for p in pages for i in p] == made, "oldest first, each image once"
    default = client.describe_images(ecd.DescribeImagesRequest(region_id=REGION)).body
    assert len(default.images) == 5 and default.next_token == ""
