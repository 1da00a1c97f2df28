"""The clock tests control (docs/testing.md), through the official SDKs on both databases:
what a frozen or advanced server clock moves (creation times, STS expiry, ClientToken
retention, audit event times) and what it leaves on the real time (the signature's window)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from alibabacloud_actiontrail20200706 import models as at
from alibabacloud_sts20150401 import models as sts
from alibabacloud_swas_open20200601 import models as swas
from support import ram
from support.errors import tea_error
from support.swas import REGION, custom_image, share_users
from support.world import AccountKeys, World

from imageshare.domain.times import utcnow, wire_time
from imageshare.testing.clock import TestClock


@pytest.fixture
def clock(world: World) -> Iterator[TestClock]:
    """The server's clock, back to the real time after the test (the server is shared)."""
    try:
        yield world.clock
    finally:
        world.clock.reset()


def _creation_time(world: World, who: AccountKeys, image_id: str) -> str:
    request = swas.ListCustomImagesRequest(region_id=REGION, image_ids=f'["{image_id}"]')
    [image] = world.swas(who).list_custom_images(request).body.custom_images
    created: str = image.creation_time
    return created


def test_a_frozen_clock_stands_still_and_advances_only_when_told(
    world: World, clock: TestClock
) -> None:
    frozen = clock.freeze()
    assert clock.frozen and clock.now() == frozen
    owner = world.account()
    first = custom_image(world, owner)
    assert _creation_time(world, owner, first) == wire_time(frozen)
    later = clock.advance(hours=2, minutes=3, seconds=4)
    assert later == frozen + timedelta(hours=2, minutes=3, seconds=4)
    second = custom_image(world, owner)
    assert _creation_time(world, owner, second) == wire_time(later)


def test_an_advanced_running_clock_keeps_its_lead_and_resume_continues(
    world: World, clock: TestClock
) -> None:
    clock.advance(hours=72)
    lead = clock.now() - utcnow()
    assert timedelta(days=3) - timedelta(seconds=5) < lead <= timedelta(days=3, seconds=5)
    frozen = clock.freeze()
    clock.advance(minutes=1)
    resumed = clock.resume()
    assert resumed == frozen + timedelta(minutes=1)
    assert not clock.frozen and clock.now() >= resumed  # running on from there


def test_sdk_calls_still_verify_far_from_the_real_time(world: World, clock: TestClock) -> None:
    """The client signs with its own (real) clock: the timestamp window is the real time's,
    so no SDK call fails with a timestamp error however far the server's clock is moved."""
    clock.freeze()
    clock.advance(hours=24 * 400)
    owner = world.account()
    assert world.swas(owner).list_regions(swas.ListRegionsRequest()).body.regions
    assert world.old(owner).do_action_with_exception(_old_sdk_regions())


def _old_sdk_regions() -> object:
    from aliyunsdkswas_open.request.v20200601.ListRegionsRequest import ListRegionsRequest

    return ListRegionsRequest()


def test_an_sts_token_expires_when_the_clock_passes_its_expiration(
    world: World, clock: TestClock
) -> None:
    owner = world.account()
    _, alice = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    clock.freeze()
    request = sts.AssumeRoleRequest(role_arn=role_arn, role_session_name="ci", duration_seconds=900)
    credentials = world.sts(alice).assume_role(request).body.credentials
    assert credentials.expiration == wire_time(clock.now() + timedelta(seconds=900))
    keys = AccountKeys(
        owner.id,
        owner.site,
        credentials.access_key_id,
        credentials.access_key_secret,
        credentials.security_token,
    )
    clock.advance(seconds=899)
    assert world.sts(keys).get_caller_identity().body.identity_type == "AssumedRoleUser"
    clock.advance(seconds=1)
    error = tea_error(lambda: world.sts(keys).get_caller_identity())
    assert (error.code, error.status) == ("InvalidSecurityToken.Expired", 400)


def _share(world: World, who: AccountKeys, image_id: str, account: int, token: str) -> object:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[account], client_token=token
    )
    return world.swas(who).add_custom_image_share_account(request)


def test_a_client_token_is_remembered_for_its_window_on_the_clock(
    world: World, clock: TestClock
) -> None:
    owner, first, second = world.account(), world.account(), world.account()
    image_id = custom_image(world, owner)
    clock.freeze()
    _share(world, owner, image_id, first.id, "retry-me")
    clock.advance(hours=23, minutes=59)
    error = tea_error(lambda: _share(world, owner, image_id, second.id, "retry-me"))
    assert error.code == "IdempotentParameterMismatch", "a day's window: still remembered"
    clock.advance(minutes=2)
    _share(world, owner, image_id, second.id, "retry-me")  # past the window: a new request
    assert set(share_users(world, owner, image_id)) == {first.id, second.id}


def test_audit_events_carry_the_server_time(world: World, clock: TestClock) -> None:
    owner = world.account()
    clock.freeze()
    moment = clock.advance(hours=24 * 400)  # far from the real time: no real event matches
    read = world.swas(owner).list_regions(swas.ListRegionsRequest()).body.request_id
    request = at.LookupEventsRequest(max_results="50")
    events = world.actiontrail(owner).lookup_events(request).body.events
    [event] = [e for e in events if e["eventId"] == read]
    assert event["eventTime"] == wire_time(moment)


def test_a_reset_brings_back_the_real_time(world: World, clock: TestClock) -> None:
    clock.freeze()
    clock.advance(hours=48)
    from imageshare.services import state

    state.reset(world.store, keep_demo=True)
    assert not clock.frozen
    assert abs(clock.now() - utcnow()) < timedelta(seconds=5)


@pytest.mark.parametrize(
    "step",
    [{"seconds": -1}, {"minutes": float("nan")}, {"hours": 24 * 3661}, {"seconds": True}],
)
def test_the_clock_never_runs_backwards_nor_jumps_absurdly(
    clock: TestClock, step: dict[str, float]
) -> None:
    from imageshare.services.clock import ClockError

    before = clock.freeze()
    with pytest.raises(ClockError):
        clock.advance(**step)
    assert clock.now() == before
