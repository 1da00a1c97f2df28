"""A test of your own image-distribution code, run against imageshare instead of Alibaba Cloud.

    pip install imageshare alibabacloud-swas-open20200601 pytest
    pytest examples/test_with_imageshare.py

The plugin comes with the package: no conftest, no server to start. Each test gets the
``imageshare`` fixture - a world builder on an empty state - and real official-SDK clients.
"""

from __future__ import annotations

import pytest
from alibabacloud_swas_open20200601 import models
from alibabacloud_swas_open20200601.client import Client
from Tea.exceptions import TeaException

from imageshare.testing import AccountKeys, RunningServer, World

REGION = "cn-hangzhou"


# --- the code under test: what your automation might look like ---------------------------


def publish_golden_image(client: Client, image_id: str, team_accounts: list[int]) -> None:
    """Share a golden image with every team account, in one call."""
    request = models.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=team_accounts
    )
    client.add_custom_image_share_account(request)


def images_visible_to(client: Client) -> list[str]:
    request = models.ListCustomImagesRequest(region_id=REGION, page_size=100)
    return [image.image_id for image in client.list_custom_images(request).body.custom_images]


# --- the tests -----------------------------------------------------------------------------


def test_every_team_sees_the_published_image(imageshare: World) -> None:
    platform, web, data = imageshare.account(), imageshare.account(), imageshare.account()
    golden = imageshare.swas_image(platform, name="golden-2026-11")

    publish_golden_image(imageshare.swas(platform), golden.id, [web.id, data.id])

    assert images_visible_to(imageshare.swas(web)) == [golden.id]
    assert images_visible_to(imageshare.swas(data)) == [golden.id]


def test_publishing_to_the_other_site_fails_like_the_real_service(imageshare: World) -> None:
    platform = imageshare.account(site="china")
    overseas = imageshare.account(site="international")
    golden = imageshare.swas_image(platform)

    with pytest.raises(TeaException) as error:
        publish_golden_image(imageshare.swas(platform), golden.id, [overseas.id])

    assert error.value.code == "InvalidImageId.BidMismatch"
    assert images_visible_to(imageshare.swas(overseas)) == []


# --- an expensive world, built once and restored for each test that needs it ---------------


@pytest.fixture(scope="session")
def catalogue(imageshare_server: RunningServer) -> tuple[AccountKeys, list[str]]:
    imageshare_server.reset()
    world = World(imageshare_server.endpoint, imageshare_server.store)
    platform = world.account()
    images = [world.swas_image(platform, name=f"golden-{n}").id for n in range(5)]
    imageshare_server.snapshot("catalogue")
    return platform, images


@pytest.fixture
def with_catalogue(
    imageshare: World, imageshare_server: RunningServer, catalogue: tuple[AccountKeys, list[str]]
) -> tuple[AccountKeys, list[str]]:
    imageshare_server.restore("catalogue")  # exactly the saved rows, in a few milliseconds
    return catalogue


@pytest.mark.parametrize("team_count", [1, 3])
def test_publishing_the_whole_catalogue(
    imageshare: World, with_catalogue: tuple[AccountKeys, list[str]], team_count: int
) -> None:
    platform, images = with_catalogue
    teams = [imageshare.account() for _ in range(team_count)]
    for image_id in images:
        publish_golden_image(imageshare.swas(platform), image_id, [t.id for t in teams])
    for team in teams:
        assert sorted(images_visible_to(imageshare.swas(team))) == sorted(images)
