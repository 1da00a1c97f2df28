"""Throttling as documented (docs/testing.md, "Throttling") through the official SDKs: the
documented per-account rates (ActionTrail LookupEvents 2 a second, SWAS 10 a minute), custom
rates, the real code, status and message, one bucket per account shared by its RAM users, and
nothing of it when it is off."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from alibabacloud_actiontrail20200706 import models as trail
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from click.testing import CliRunner
from support import ram
from support.databases import database_url
from support.errors import tea_error
from support.server import running_server
from support.world import AccountKeys, World

from imageshare.cli import cli

RATES = "documented,ecs:DescribeImages=3"


@pytest.fixture(scope="module")
def throttled(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp(f"throttled-{backend}")
    with database_url(backend, str(tmp)) as url, running_server(url, throttle=RATES) as running:
        yield World(*running)


def _describe(world: World, who: AccountKeys) -> Any:
    request = ecs.DescribeImagesRequest(region_id="cn-hangzhou", image_owner_alias="self")
    return world.ecs(who).describe_images(request)


def _lookup(world: World, who: AccountKeys) -> Any:
    return world.actiontrail(who).lookup_events(trail.LookupEventsRequest())


def _passed(call: Any) -> bool:
    try:
        call()
    except Exception as error:
        assert (getattr(error, "code", None), getattr(error, "status_code", None)) == (
            "Throttling.User",
            400,
        ), error
        return False
    return True


def test_a_custom_rate_refuses_the_fourth_call_of_a_burst(throttled: World) -> None:
    who = throttled.account()
    assert [_passed(lambda: _describe(throttled, who)) for _ in range(5)] == [
        True, True, True, False, False,
    ]  # fmt: skip
    error = tea_error(lambda: _describe(throttled, who))
    assert error.data["Message"] == "Request was denied due to user flow control."
    assert error.request_id


def test_a_bucket_refills_at_its_rate(throttled: World) -> None:
    who = throttled.account()
    while _passed(lambda: _describe(throttled, who)):
        pass
    time.sleep(0.4)  # 3 a second: a token every third of a second
    assert _passed(lambda: _describe(throttled, who))
    assert not _passed(lambda: _describe(throttled, who))


def test_each_account_has_its_own_bucket_shared_by_its_ram_users(throttled: World) -> None:
    owner, other = throttled.account(), throttled.account()
    _, user = ram.user(throttled, owner, system=("AliyunECSReadOnlyAccess",))
    assert all(_passed(lambda: _describe(throttled, owner)) for _ in range(2))
    assert _passed(lambda: _describe(throttled, user))
    assert not _passed(lambda: _describe(throttled, user)), "the account's third call was it"
    assert all(_passed(lambda: _describe(throttled, other)) for _ in range(3))


def test_lookup_events_is_documented_at_two_a_second(throttled: World) -> None:
    who = throttled.account()
    assert [_passed(lambda: _lookup(throttled, who)) for _ in range(3)] == [True, True, False]
    time.sleep(0.6)
    assert _passed(lambda: _lookup(throttled, who))


def test_swas_is_documented_at_ten_a_minute(throttled: World) -> None:
    who = throttled.account()
    request = swas.ListImagesRequest(region_id="cn-hangzhou")
    outcomes = [_passed(lambda: throttled.swas(who).list_images(request)) for _ in range(11)]
    assert outcomes == [True] * 10 + [False]
    other = swas.ListRegionsRequest()
    assert all(_passed(lambda: throttled.swas(who).list_regions(other)) for _ in range(12))


def test_a_throttled_change_changes_nothing_and_is_in_the_audit_trail(throttled: World) -> None:
    who = throttled.account()
    image = throttled.swas_image(who)
    request = swas.DeleteCustomImageRequest(region_id="cn-hangzhou", image_id=image.id)
    missing = swas.DeleteCustomImageRequest(region_id="cn-hangzhou", image_id="m-none")
    for _ in range(10):  # use up DeleteCustomImage's ten a minute on images that are not there
        assert tea_error(lambda: throttled.swas(who).delete_custom_image(missing)).status == 404
    assert tea_error(lambda: throttled.swas(who).delete_custom_image(request)).code == (
        "Throttling.User"
    )
    listed = throttled.swas(who).list_custom_images(
        swas.ListCustomImagesRequest(region_id="cn-hangzhou")
    )
    assert [i.image_id for i in listed.body.custom_images] == [image.id]
    events = _lookup(throttled, who).body.events
    codes = [e.get("errorCode") for e in events if e["eventName"] == "DeleteCustomImage"]
    assert codes.count("Throttling.User") == 1


def test_off_by_default(world: World) -> None:
    who = world.account()
    assert all(_passed(lambda: _lookup(world, who)) for _ in range(6))


def test_serve_refuses_a_throttle_it_cannot_read() -> None:
    result = CliRunner().invoke(cli, ["serve", "--throttle", "ecs:DescribeImages=fast"])
    assert result.exit_code == 2
    assert "product:Action=N" in result.output
