"""CopyImage and CancelCopyImage through the official ECD tea SDK: a copy is a new image in
the destination region, "Creating" for IMAGESHARE_ECD_COPY_IMAGE_SECONDS on the server's
clock, with no shares; CancelCopyImage stops it while it is Creating and is refused
afterwards. The clock is frozen in every test and advanced to move a copy along."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from alibabacloud_ecd20200930 import models as ecd
from support.databases import database_url
from support.ecd import OTHER_REGION, REGION, image, modify, permitted, visible
from support.errors import tea_error
from support.server import running_server
from support.world import AccountKeys, World

COPY_MINUTES = 10


@pytest.fixture(scope="module")
def copying_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A server whose ECD copies take COPY_MINUTES."""
    tmp = str(tmp_path_factory.mktemp(f"ecd-copy-{backend}"))
    seconds = COPY_MINUTES * 60
    with (
        database_url(backend, tmp) as url,
        running_server(url, ecd_copy_image_seconds=seconds) as (endpoint, store),
    ):
        yield World(endpoint, store)


@pytest.fixture
def world(copying_server: World) -> Iterator[World]:
    copying_server.clock.freeze()
    try:
        yield copying_server
    finally:
        copying_server.clock.reset()


def _arrive(world: World) -> None:
    world.clock.advance(minutes=COPY_MINUTES)


def _copy(
    world: World, who: AccountKeys, image_id: str, name: str = "the-copy", **extra: Any
) -> str:
    request = ecd.CopyImageRequest(
        region_id=extra.pop("region_id", REGION),
        image_id=image_id,
        destination_region_id=extra.pop("destination_region_id", OTHER_REGION),
        destination_image_name=name,
        **extra,
    )
    copy_id: str = world.ecd(who).copy_image(request).body.image_id
    return copy_id


def _cancel(world: World, who: AccountKeys, image_id: str, region: str = OTHER_REGION) -> None:
    request = ecd.CancelCopyImageRequest(region_id=region, image_id=image_id)
    world.ecd(who).cancel_copy_image(request)


def test_a_copy_arrives_in_the_destination_without_the_shares(world: World) -> None:
    owner, friend = world.account(), world.account()
    source = image(world, owner, name="source", encrypted=True)
    shared = image(world, owner, name="shared-source")
    modify(world, owner, shared, add=[friend.id])
    copy_id = _copy(world, owner, source, destination_description="copied here")
    arriving = visible(world, owner, OTHER_REGION)[copy_id]
    assert (arriving.status, arriving.name, arriving.description) == (
        "Creating",
        "the-copy",
        "copied here",
    )
    assert arriving.progress == "0%"
    assert arriving.volume_encryption_enabled is True, "a copy of an encrypted image is too"
    assert set(visible(world, owner, OTHER_REGION, image_status="Creating")) == {copy_id}
    assert visible(world, owner, OTHER_REGION, image_status="Available") == {}
    world.clock.advance(minutes=COPY_MINUTES / 2)
    halfway = visible(world, owner, OTHER_REGION)[copy_id]
    assert (halfway.status, halfway.progress) == ("Creating", "50%")
    world.clock.advance(minutes=COPY_MINUTES / 2)
    arrived = visible(world, owner, OTHER_REGION)[copy_id]
    assert (arrived.status, arrived.progress) == ("Available", "100%")
    assert visible(world, owner)[source].status == "Available", "the source is untouched"
    shared_copy = _copy(world, owner, shared, name="shared-copy")
    assert permitted(world, owner, shared_copy, OTHER_REGION) == []
    assert shared_copy not in visible(world, friend, OTHER_REGION)
    assert permitted(world, owner, shared) == [str(friend.id)]


@dataclass
class Refusing:
    """An owner with a source image, a name taken in the destination, and a friend's image
    shared to the owner: what every refused copy is tried against."""

    owner: AccountKeys
    source: str
    theirs: str


@pytest.fixture(scope="module")
def refusing(copying_server: World) -> Refusing:
    owner, friend = copying_server.account(), copying_server.account()
    source = image(copying_server, owner)
    image(copying_server, owner, OTHER_REGION, name="taken-there")
    theirs = image(copying_server, friend)
    modify(copying_server, friend, theirs, add=[owner.id])
    return Refusing(owner, source, theirs)


# By id: the image ("<source>" and the like name the fixture's), the changes to the request,
# and the code, status and a word of the message expected.
COPY_REFUSALS: dict[str, tuple[str, dict[str, Any], str, int, str]] = {
    "to its own region": (
        "<source>",
        {"destination_region_id": REGION},
        "InvalidParameter",
        400,
        "DestinationRegionId",
    ),
    "to an unknown region": (
        "<source>",
        {"destination_region_id": "cn-qingdao"},
        "InvalidParameter",
        400,
        "DestinationRegionId",
    ),
    "a bad name": ("<source>", {"name": "1-bad"}, "InvalidParameter", 400, "DestinationImageName"),
    "a name taken there": (
        "<source>",
        {"name": "taken-there"},
        "ImageNameAlreadyExist",
        400,
        "DestinationImageName",
    ),
    "shared to the owner": ("<theirs>", {}, "OperationDenied.SharedImage", 403, "<theirs>"),
    "no such image": ("m-doesnotexist0000", {}, "InvalidImageId.NotFound", 404, "ImageId"),
    "no name": ("<source>", {"name": None}, "MissingParameter", 400, "DestinationImageName"),
}


@pytest.mark.parametrize(
    ("image_id", "extra", "code", "status", "named"),
    list(COPY_REFUSALS.values()),
    ids=list(COPY_REFUSALS),
)
def test_copy_refusals(
    world: World,
    refusing: Refusing,
    image_id: str,
    extra: dict[str, Any],
    code: str,
    status: int,
    named: str,
) -> None:
    def given(value: str) -> str:
        return getattr(refusing, value[1:-1]) if value.startswith("<") else value

    error = tea_error(lambda: _copy(world, refusing.owner, given(image_id), **extra))
    assert (error.code, error.status) == (code, status), extra
    assert given(named) in error.message
    names = [seen.name for seen in visible(world, refusing.owner, OTHER_REGION).values()]
    assert names == ["taken-there"], "no refused copy was made"


def test_a_copy_on_its_way_can_be_neither_copied_nor_shared(world: World) -> None:
    owner, friend = world.account(), world.account()
    copy_id = _copy(world, owner, image(world, owner))
    error = tea_error(
        lambda: _copy(
            world,
            owner,
            copy_id,
            name="copy-of-copy",
            region_id=OTHER_REGION,
            destination_region_id=REGION,
        )
    )
    assert (error.code, error.status) == ("IncorrectImageStatus", 400)
    error = tea_error(lambda: modify(world, owner, copy_id, add=[friend.id], region=OTHER_REGION))
    assert (error.code, error.status) == ("IncorrectImageStatus", 400)
    assert copy_id in error.message and "Creating" in error.message
    _arrive(world)  # arrived: both allowed
    modify(world, owner, copy_id, add=[friend.id], region=OTHER_REGION)
    _copy(
        world,
        owner,
        copy_id,
        name="copy-of-copy",
        region_id=OTHER_REGION,
        destination_region_id=REGION,
    )


def test_cancel_copy_image(world: World) -> None:
    owner = world.account()
    source = image(world, owner)
    copy_id = _copy(world, owner, source)
    error = tea_error(lambda: _cancel(world, owner, copy_id, REGION))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    assert "CopyImage" in error.message, "RegionId of CancelCopyImage is the destination"
    _cancel(world, owner, copy_id)
    assert copy_id not in visible(world, owner, OTHER_REGION)
    assert source in visible(world, owner), "the source is untouched"
    error = tea_error(lambda: _cancel(world, owner, copy_id))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    error = tea_error(lambda: _cancel(world, owner, source, REGION))
    assert (error.code, error.status) == ("IncorrectImageStatus", 400)
    assert "not being copied" in error.message
    arrived = _copy(world, owner, source, name="second-copy")
    _arrive(world)
    error = tea_error(lambda: _cancel(world, owner, arrived))
    assert (error.code, error.status) == ("IncorrectImageStatus", 400)
    assert arrived in visible(world, owner, OTHER_REGION)


def test_only_the_owner_cancels(world: World) -> None:
    owner, stranger = world.account(), world.account()
    copy_id = _copy(world, owner, image(world, owner))
    error = tea_error(lambda: _cancel(world, stranger, copy_id))
    assert (error.code, error.status) == ("InvalidImageId.NotFound", 404)
    assert visible(world, owner, OTHER_REGION)[copy_id].status == "Creating"
