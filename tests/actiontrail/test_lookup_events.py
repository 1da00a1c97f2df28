"""ActionTrail LookupEvents through the official SDK (actiontrail 2020-07-06), on SQLite and
PostgreSQL: each account's own events, reads and writes, successes and failures, every filter,
isolation between accounts, RAM, no secret in an event, and a server with the trail off (paging,
the time window and the parameter errors: test_lookup_events_queries)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from alibabacloud_actiontrail20200706 import models as at
from alibabacloud_swas_open20200601 import models as swas
from support import ram
from support.actiontrail import Event, condition, events, lookup
from support.databases import migrated_database_url
from support.errors import tea_error
from support.raw import rpc_params, send
from support.server import running_server
from support.swas import REGION, custom_image
from support.world import AccountKeys, World
from Tea.exceptions import TeaException


@dataclass(frozen=True)
class Story:
    """One account's calls: a read, a share (a write), a failed read and a failed write."""

    owner: AccountKeys
    other: AccountKeys
    image_id: str
    read_id: str
    share_id: str
    failed_read_id: str
    failed_write_id: str


def story(world: World) -> Story:
    owner, other = world.account(), world.account()
    image_id = custom_image(world, owner)
    client = world.swas(owner)
    read = client.list_regions(swas.ListRegionsRequest())
    share = client.add_custom_image_share_account(
        swas.AddCustomImageShareAccountRequest(
            region_id=REGION, image_id=image_id, account=[other.id]
        )
    )
    missing = swas.ListCustomImageShareAccountsRequest(region_id=REGION, image_id="m-nothere")
    failed_read = tea_error(partial(client.list_custom_image_share_accounts, missing))
    bad_share = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id="m-nothere", account=[other.id]
    )
    failed_write = tea_error(partial(client.add_custom_image_share_account, bad_share))
    return Story(
        owner,
        other,
        image_id,
        read.body.request_id,
        share.body.request_id,
        failed_read.request_id,
        failed_write.request_id,
    )


def by_id(found: list[Event]) -> dict[str, Event]:
    return {event["eventId"]: event for event in found}


def test_reads_writes_successes_and_failures_are_events(world: World) -> None:
    s = story(world)
    found = by_id(events(world, s.owner))
    read, share = found[s.read_id], found[s.share_id]
    failed_read, failed_write = found[s.failed_read_id], found[s.failed_write_id]
    assert (read["eventName"], read["eventRW"], read["serviceName"]) == (
        "ListRegions",
        "Read",
        "Swas-open",
    )
    assert (share["eventName"], share["eventRW"]) == ("AddCustomImageShareAccount", "Write")
    assert (share["resourceType"], share["resourceName"]) == ("ACS::SWAS::CustomImage", s.image_id)
    assert share["requestParameters"]["ImageId"] == s.image_id
    assert str(s.other.id) in json.dumps(share["requestParameters"])
    assert "errorCode" not in share
    assert failed_read["errorCode"] == "InvalidImageId.NotFound" and failed_read["errorMessage"]
    assert (failed_write["eventRW"], failed_write["errorCode"]) == (
        "Write",
        "InvalidImageId.NotFound",
    )
    for event in (read, share):
        assert event["eventId"] == event["requestId"]
        assert event["eventSource"] == "swas.cn-hangzhou.aliyuncs.com"
        assert event["apiVersion"] == "2020-06-01" and event["acsRegion"] == REGION
        assert event["eventVersion"] == "1" and event["eventType"] == "ApiCall"
        assert event["sourceIpAddress"] == "127.0.0.1" and "Python" in event["userAgent"]
        assert event["userIdentity"] == {
            "type": "root-account",
            "principalId": str(s.owner.id),
            "accountId": str(s.owner.id),
            "accessKeyId": s.owner.key_id,
            "userName": "root",
        }
        moment = datetime.strptime(event["eventTime"], "%Y-%m-%dT%H:%M:%SZ")
        assert abs(moment - datetime.now(UTC).replace(tzinfo=None)) < timedelta(minutes=1)


def test_an_account_sees_only_its_own_events(world: World) -> None:
    s = story(world)
    mine = {e["eventId"] for e in events(world, s.owner)}
    theirs = {e["eventId"] for e in events(world, s.other)}
    assert s.share_id in mine and not mine & theirs
    # Even asked by id, another account's event is not there.
    assert events(world, s.other, lookup_attribute=condition("EventId", s.share_id)) == []


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("EventName", "AddCustomImageShareAccount", {"share_id", "failed_write_id"}),
        ("EventRW", "Write", {"share_id", "failed_write_id"}),
        ("EventRW", "read", {"read_id", "failed_read_id"}),
        ("EventId", "share_id", {"share_id"}),
        ("ServiceName", "swas-open", {"read_id", "share_id", "failed_read_id", "failed_write_id"}),
    ],
)
def test_each_condition_selects_its_events(
    world: World, key: str, value: str, expected: set[str]
) -> None:
    s = story(world)
    asked = getattr(s, value) if value.endswith("_id") else value
    found = {e["eventId"] for e in events(world, s.owner, lookup_attribute=condition(key, asked))}
    mine = {
        getattr(s, name) for name in ("read_id", "share_id", "failed_read_id", "failed_write_id")
    }
    assert found & mine == {getattr(s, name) for name in expected}


def test_resource_user_and_access_key_conditions(world: World) -> None:
    s = story(world)
    by_resource = events(world, s.owner, lookup_attribute=condition("ResourceName", s.image_id))
    assert s.share_id in {e["eventId"] for e in by_resource}
    assert all(e["resourceName"] == s.image_id for e in by_resource)
    typed = events(
        world, s.owner, lookup_attribute=condition("ResourceType", "ACS::SWAS::Instance")
    )
    assert typed and all(e["resourceType"] == "ACS::SWAS::Instance" for e in typed)
    name, alice = ram.user(world, s.owner, system=("AliyunSWASReadOnlyAccess",))
    listed = world.swas(alice).list_regions(swas.ListRegionsRequest()).body.request_id
    for key, value in (("User", name), ("EventAccessKeyId", alice.key_id)):
        found = events(world, s.owner, lookup_attribute=condition(key, value))
        assert [e["eventId"] for e in found] == [listed]
        assert found[0]["userIdentity"]["type"] == "ram-user"
        assert found[0]["userIdentity"]["userName"] == name
    root = events(world, s.owner, lookup_attribute=condition("User", "root"))
    assert s.share_id in {e["eventId"] for e in root}


def test_ram_decides_who_may_look(world: World) -> None:
    owner = world.account()
    _, nobody = ram.user(world, owner, system=("AliyunSWASReadOnlyAccess",))
    denied = tea_error(partial(world.actiontrail(nobody).lookup_events, at.LookupEventsRequest()))
    assert (denied.code, denied.status) == ("Forbidden.RAM", 403)
    allowed = ram.document(ram.allow("actiontrail:LookupEvents"))
    _, auditor = ram.user(world, owner, custom=(allowed,))
    world.swas(owner).list_regions(swas.ListRegionsRequest())
    # A RAM user with the permission sees the whole account's trail, the denial included.
    found = events(world, auditor)
    assert denied.request_id in {e["eventId"] for e in found}
    both = ram.document(ram.allow("actiontrail:*"), ram.deny("actiontrail:LookupEvents"))
    _, refused = ram.user(world, owner, custom=(both,))
    error = tea_error(partial(world.actiontrail(refused).lookup_events, at.LookupEventsRequest()))
    assert error.code == "Forbidden.RAM"


def test_no_secret_signature_or_token_in_an_event(world: World) -> None:
    owner = world.account()
    _, alice = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(
        world, owner, ram.trust(f"acs:ram::{owner.id}:root"), "AliyunSWASFullAccess"
    )
    session = ram.session(world, alice, role_arn)
    world.swas(session).list_regions(swas.ListRegionsRequest())
    extra = [("RegionId", REGION), ("AccessKeySecret", "leaked-1"), ("Password", "leaked-2")]
    signed = rpc_params(owner.key_id, owner.secret, "ListRegions", "2020-06-01", extra)
    assert send(world.endpoint, signed).status == 200
    found = events(world, owner)
    text = json.dumps(found)
    assert len(found) >= 4
    for secret in (owner.secret, alice.secret, session.secret, session.security_token):
        assert secret and secret not in text
    assert dict(signed)["Signature"] not in text
    assert "leaked-1" not in text and "leaked-2" not in text
    rpc = next(e for e in found if e["eventId"] == send_id(found, "ListRegions", owner))
    assert rpc["requestParameters"] == {"RegionId": REGION}
    assumed = [e for e in found if e["userIdentity"]["type"] == "assumed-role"]
    assert assumed and assumed[0]["userIdentity"]["accessKeyId"] == session.key_id


def send_id(found: list[Event], name: str, who: AccountKeys) -> str:
    """The newest root call of ``name`` (the RPC v1 one, sent last)."""
    return next(
        str(e["eventId"])
        for e in found
        if e["eventName"] == name and e["userIdentity"]["accessKeyId"] == who.key_id
    )


def test_lookup_is_an_event_too(world: World) -> None:
    who = world.account()
    first = lookup(world, who)
    again = {e["eventName"] for e in events(world, who)}
    assert first.request_id and "LookupEvents" in again
    with pytest.raises(TeaException):
        lookup(world, who, max_results="99")
    failed = events(world, who, lookup_attribute=condition("EventName", "LookupEvents"))
    assert any(e.get("errorCode") == "InvalidParameter" for e in failed)


def test_a_server_with_the_trail_off_records_nothing(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """IMAGESHARE_AUDIT_TRAIL=off: the calls answer as always, and no event is kept."""
    tmp = str(tmp_path_factory.mktemp(f"trail-off-{backend}"))
    with (
        migrated_database_url(backend, tmp) as url,
        running_server(url, audit_trail=False) as (
            endpoint,
            store,
        ),
    ):
        world = World(endpoint, store)
        told = story(world)
        assert told.share_id and told.failed_read_id
        assert events(world, told.owner) == []
        assert lookup(world, told.owner).request_id
        assert events(world, told.owner) == []
