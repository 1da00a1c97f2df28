"""Helpers for the ActionTrail tests (no tests here): LookupEvents through the official SDK
(actiontrail 2020-07-06), and its events as the wire has them."""

from __future__ import annotations

from typing import Any

from alibabacloud_actiontrail20200706 import models as at

from support.world import AccountKeys, World

Event = dict[str, Any]


def lookup(world: World, who: AccountKeys, **fields: Any) -> Any:
    return world.actiontrail(who).lookup_events(at.LookupEventsRequest(**fields)).body


def condition(key: str, value: str) -> list[at.LookupEventsRequestLookupAttribute]:
    return [at.LookupEventsRequestLookupAttribute(key=key, value=value)]


def events(world: World, who: AccountKeys, **fields: Any) -> list[Event]:
    found: list[Event] = lookup(world, who, max_results="50", **fields).events
    return found
