"""ActionTrail LookupEvents through the official SDK (actiontrail 2020-07-06), on SQLite and
PostgreSQL, the query itself: paging in both directions, a NextToken bound to its query, the
time window, the documented parameter errors and the limit on conditions (what an event
records and who sees it: test_lookup_events)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from alibabacloud_actiontrail20200706 import models as at
from alibabacloud_swas_open20200601 import models as swas
from support.actiontrail import condition, events, lookup
from support.errors import tea_error
from support.world import AccountKeys, World


def test_paging_in_both_directions(world: World) -> None:
    who = world.account()
    client = world.swas(who)
    made = [client.list_regions(swas.ListRegionsRequest()).body.request_id for _ in range(5)]
    only = condition("EventName", "ListRegions")
    newest_first = walk(world, who, only, "BACKWARD")
    assert newest_first == made[::-1]
    assert walk(world, who, only, "FORWARD") == made
    assert [e["eventId"] for e in events(world, who, lookup_attribute=only)] == made[::-1]


def walk(world: World, who: AccountKeys, only: Any, direction: str) -> list[str]:
    seen: list[str] = []
    token = None
    for _ in range(5):
        page = lookup(
            world,
            who,
            max_results="2",
            lookup_attribute=only,
            direction=direction,
            next_token=token,
        )
        assert len(page.events) <= 2
        seen += [e["eventId"] for e in page.events]
        token = page.next_token
        if token is None:
            return seen
    raise AssertionError("more pages than events")


def test_a_token_continues_only_its_own_query(world: World) -> None:
    who = world.account()
    for _ in range(3):
        world.swas(who).list_regions(swas.ListRegionsRequest())
    page = lookup(world, who, max_results="1", lookup_attribute=condition("EventRW", "Read"))
    assert page.next_token
    other_query = at.LookupEventsRequest(
        max_results="1", next_token=page.next_token, lookup_attribute=condition("EventRW", "Write")
    )
    error = tea_error(partial(world.actiontrail(who).lookup_events, other_query))
    assert (error.code, error.status) == ("InvalidParameter", 400)
    assert '"NextToken"' in error.message
    garbage = at.LookupEventsRequest(next_token="not-a-token")
    assert tea_error(partial(world.actiontrail(who).lookup_events, garbage)).code == (
        "InvalidParameter"
    )


def test_the_time_window(world: World) -> None:
    who = world.account()
    made = world.swas(who).list_regions(swas.ListRegionsRequest()).body.request_id
    now = datetime.now(UTC)
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    around = {"start_time": (now - timedelta(minutes=5)).strftime(stamp)}
    around["end_time"] = (now + timedelta(minutes=5)).strftime(stamp)
    page = lookup(world, who, **around)
    assert made in {e["eventId"] for e in page.events}
    assert (page.start_time, page.end_time) == (around["start_time"], around["end_time"])
    before = {
        "start_time": (now - timedelta(days=2)).strftime(stamp),
        "end_time": (now - timedelta(days=1)).strftime(stamp),
    }
    assert lookup(world, who, **before).events == []


@pytest.mark.parametrize(
    ("fields", "code", "name"),
    [
        ({"max_results": "51"}, "InvalidParameter", "MaxResults"),
        ({"max_results": "ten"}, "InvalidParameter", "MaxResults"),
        ({"direction": "SIDEWAYS"}, "InvalidParameter", "Direction"),
        ({"start_time": "2026-01-01"}, "MissingParameter", "EndTime"),
        ({"end_time": "2026-01-01T00:00:00Z"}, "MissingParameter", "StartTime"),
        (
            {"start_time": "2026-01-01 00:00:00", "end_time": "2026-01-02T00:00:00Z"},
            "InvalidParameter",
            "StartTime",
        ),
        (
            {"start_time": "2026-01-02T00:00:00Z", "end_time": "2026-01-01T00:00:00Z"},
            "InvalidParameter",
            "StartTime",
        ),
        ({"lookup_attribute": condition("Colour", "red")}, "InvalidParameter", "Key"),
    ],
)
def test_parameter_errors(world: World, fields: dict[str, Any], code: str, name: str) -> None:
    who = world.account()
    request = at.LookupEventsRequest(**fields)
    error = tea_error(partial(world.actiontrail(who).lookup_events, request))
    assert (error.code, error.status) == (code, 400)
    assert name in error.message


def test_three_conditions_are_too_many(world: World) -> None:
    who = world.account()
    three = [at.LookupEventsRequestLookupAttribute(key="EventRW", value="Read")] * 3
    request = at.LookupEventsRequest(lookup_attribute=three)
    error = tea_error(partial(world.actiontrail(who).lookup_events, request))
    assert (error.code, error.status) == ("InvalidParameter", 400)
