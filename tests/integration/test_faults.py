"""Fault rules through the official SDKs (docs/testing.md, "Faults"): each effect (error,
delay, timeout), counts, fractions with a seed, scoping by account and region; a faulted call
changes nothing and is in the audit trail with its error code."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from alibabacloud_actiontrail20200706 import models as trail
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from support import ram
from support.errors import tea_error
from support.raw import rpc_params
from support.swas import REGION, custom_image, share, share_users
from support.world import AccountKeys, World

from imageshare.domain.faults import InvalidRule, fires
from imageshare.http.requestlog import REQUEST_LOGGER, JsonFormatter

OTHER_REGION = "cn-shanghai"


@pytest.fixture(autouse=True)
def no_rules_left(world: World) -> Iterator[None]:
    yield
    world.faults.clear()  # the session's server is shared with every other test


def describe(world: World, who: AccountKeys, region: str = REGION, **config: Any) -> Any:
    request = ecs.DescribeImagesRequest(region_id=region, image_owner_alias="self")
    return world.ecs(who, **config).describe_images(request)


def test_the_next_two_calls_answer_service_unavailable_then_the_third_succeeds(
    world: World,
) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, count=2)
    for _ in range(2):
        error = tea_error(lambda: describe(world, who))
        assert (error.code, error.status) == ("ServiceUnavailable", 503)
        assert error.data["Message"] == (
            "The request has failed due to a temporary failure of the server."
        )
    assert describe(world, who).body.total_count == 0


def test_an_error_of_any_code_status_and_message(world: World) -> None:
    who = world.account()
    world.faults.add(
        "ecs:DescribeImages",
        account=who,
        error="InvalidImageName.Duplicated",
        status=409,
        message="The image name is already in use.",
        count=1,
    )
    error = tea_error(lambda: describe(world, who))
    assert (error.code, error.status) == ("InvalidImageName.Duplicated", 409)
    assert error.data["Message"] == "The image name is already in use."
    assert error.data["HostId"] == "ecs.cn-hangzhou.aliyuncs.com"


def test_a_documented_throttling_code_brings_its_status_and_message(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, error="Throttling.User")
    error = tea_error(lambda: describe(world, who))
    assert (error.code, error.status) == ("Throttling.User", 400)
    assert error.data["Message"] == "Request was denied due to user flow control."


def test_a_rule_for_one_account_leaves_the_others_alone(world: World) -> None:
    alice, bob = world.account(), world.account()
    world.faults.add("ecs:DescribeImages", account=alice)
    assert tea_error(lambda: describe(world, alice)).code == "ServiceUnavailable"
    assert describe(world, bob).body.total_count == 0


def test_an_accounts_rule_covers_its_ram_users_and_role_sessions(world: World) -> None:
    owner = world.account()
    _, user = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    session = ram.session(world, user, role_arn)
    world.faults.add("sts:GetCallerIdentity", account=owner, count=3)
    for caller in (owner, user, session):
        error = tea_error(world.sts(caller).get_caller_identity)
        assert error.code == "ServiceUnavailable"
    assert world.sts(session).get_caller_identity().body.identity_type == "AssumedRoleUser"


def test_a_rule_for_one_region_leaves_the_others_alone(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, region=OTHER_REGION)
    assert describe(world, who).body.total_count == 0
    assert tea_error(lambda: describe(world, who, OTHER_REGION)).code == "ServiceUnavailable"


def test_every_action_of_a_product_and_only_that_product(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:*", account=who)
    assert tea_error(lambda: describe(world, who)).code == "ServiceUnavailable"
    request = swas.ListCustomImageShareAccountsRequest(region_id=REGION, image_id="m-none")
    swas_error = tea_error(lambda: world.swas(who).list_custom_image_share_accounts(request))
    assert swas_error.code != "ServiceUnavailable"


def test_a_removed_rule_stops_applying(world: World) -> None:
    who = world.account()
    rule = world.faults.add("ecs:DescribeImages", account=who)
    assert tea_error(lambda: describe(world, who)).code == "ServiceUnavailable"
    rule.remove()
    assert describe(world, who).body.total_count == 0
    assert rule.current() is None


def test_a_fraction_with_a_seed_fires_on_the_same_calls_every_time(world: World) -> None:
    who = world.account()
    expected = [fires(0.5, 7, n) for n in range(1, 21)]
    assert 0 < sum(expected) < 20
    for _ in range(2):
        rule = world.faults.add("ecs:DescribeImages", account=who, probability=0.5, seed=7)
        outcomes = [_faulted(lambda: describe(world, who)) for _ in range(20)]
        assert outcomes == expected
        current = rule.current()
        assert current is not None and (current.seen, current.fired) == (20, sum(expected))
        rule.remove()


def test_a_fraction_with_a_count_stops_after_the_count(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, probability=0.5, seed=3, count=2)
    outcomes = [_faulted(lambda: describe(world, who)) for _ in range(30)]
    assert sum(outcomes) == 2
    assert outcomes == _first_firing([fires(0.5, 3, n) for n in range(1, 31)], 2)


def test_a_delay_makes_the_answer_late_and_the_call_still_happens(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, delay_ms=400, count=1)
    started = time.monotonic()
    assert describe(world, who).body.total_count == 0
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    describe(world, who)
    assert time.monotonic() - started < 0.4


def test_a_timeout_holds_the_connection_past_the_clients_read_timeout(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, timeout_ms=5000, count=1)
    started = time.monotonic()
    with pytest.raises(Exception) as info:
        describe(world, who, read_timeout=300)
    assert "timed out" in str(info.value).lower()
    assert time.monotonic() - started < 4
    assert describe(world, who).body.total_count == 0


def test_a_timeout_closes_the_connection_without_an_answer(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, timeout_ms=200, count=1)
    client = world.ecs(who)
    request = ecs.DescribeImagesRequest(region_id=REGION, image_owner_alias="self")
    started = time.monotonic()
    with pytest.raises(Exception) as info:
        client.describe_images(request)
    assert time.monotonic() - started >= 0.2
    assert not hasattr(info.value, "status_code"), "no HTTP answer, so no status"


def test_a_timeout_answers_nothing_on_the_wire(world: World) -> None:
    who = world.account()
    world.faults.add("sts:GetCallerIdentity", account=who, timeout_ms=300, count=1)
    raw = _signed_get_caller_identity(world, who)
    with socket.create_connection((world.host, world.port), timeout=5) as conn:
        conn.sendall(raw)
        assert conn.recv(1024) == b"", "the connection closes with nothing sent"


def test_a_faulted_change_changes_nothing_and_is_in_the_audit_trail(world: World) -> None:
    owner, friend = world.account(), world.account()
    image_id = custom_image(world, owner)
    world.faults.add("swas-open:AddCustomImageShareAccount", account=owner, count=1)
    error = tea_error(lambda: share(world, owner, image_id, friend.id))
    assert error.code == "ServiceUnavailable"
    assert share_users(world, owner, image_id) == []
    request = trail.LookupEventsRequest(
        lookup_attribute=[
            trail.LookupEventsRequestLookupAttribute(
                key="EventName", value="AddCustomImageShareAccount"
            )
        ]
    )
    events = world.actiontrail(owner).lookup_events(request).body.events
    assert [e["errorCode"] for e in events] == ["ServiceUnavailable"]
    assert events[0]["requestId"] == error.request_id


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.entries.append(json.loads(JsonFormatter().format(record)))


def test_faulted_calls_are_in_the_request_log_with_their_codes(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:DescribeImages", account=who, count=1)
    world.faults.add("ecs:DescribeImages", account=who, timeout_ms=100, count=1)
    world.faults.add("ecs:DescribeImages", account=who, delay_ms=150, count=1)
    logger, lines = logging.getLogger(REQUEST_LOGGER), _Lines()
    saved = logger.level
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    try:
        assert tea_error(lambda: describe(world, who)).code == "ServiceUnavailable"
        with pytest.raises(Exception, match="(?i)closed|aborted|disconnected|reset|timed out"):
            describe(world, who)
        describe(world, who)
    finally:
        logger.removeHandler(lines)
        logger.setLevel(saved)
    mine = [e for e in lines.entries if e["account_id"] == who.id]
    assert [(e["status"], e["error_code"]) for e in mine] == [
        (503, "ServiceUnavailable"),
        (504, "RequestTimeout"),
        (200, ""),
    ]
    assert mine[2]["duration_ms"] >= 150, "a delayed call's line counts its delay"


def test_unknown_actions_and_bad_rules_are_refused(world: World) -> None:
    with pytest.raises(InvalidRule, match="ecs:DescribeImagez"):
        world.faults.add("ecs:DescribeImagez")
    with pytest.raises(InvalidRule, match="needs a status and a message"):
        world.faults.add("ecs:DescribeImages", error="Made.Up")
    with pytest.raises(InvalidRule, match="one effect"):
        world.faults.add("ecs:DescribeImages", delay_ms=10, timeout_ms=10)
    with pytest.raises(InvalidRule, match="probability"):
        world.faults.add("ecs:DescribeImages", probability=0)
    assert world.faults.list() == []


def _faulted(call: Any) -> bool:
    try:
        call()
    except Exception as error:
        assert getattr(error, "code", None) == "ServiceUnavailable", error
        return True
    return False


def _first_firing(would_fire: list[bool], count: int) -> list[bool]:
    fired, out = 0, []
    for fire in would_fire:
        out.append(fire and fired < count)
        fired += out[-1]
    return out


def _signed_get_caller_identity(world: World, who: AccountKeys) -> bytes:
    params = rpc_params(who.key_id, who.secret, "GetCallerIdentity", "2015-04-01", [])
    return f"POST /?{urlencode(params)} HTTP/1.1\r\nHost: {world.endpoint}\r\n".encode() + (
        b"Content-Length: 0\r\n\r\n"
    )
