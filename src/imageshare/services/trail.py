"""LookupEvents: one account's audit events, a page at a time (docs/actiontrail.md).

The parameters follow ActionTrail's LookupEvents (2020-07-06): StartTime and EndTime together
or neither (then the last 7 days), Direction BACKWARD (newest first, the default) or FORWARD,
MaxResults 0-50 (0 or none: 20), one or two LookupAttribute conditions, all of which must
match, and a NextToken that continues the query it came from. Events older than the
retention period (90 days unless configured) are never answered.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from imageshare.domain.audit import expand
from imageshare.domain.paging import look_ahead
from imageshare.errors import InvalidParameter, MissingParameter
from imageshare.store.trail import FILTER_COLUMNS, TrailQuery
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

DEFAULT_WINDOW = timedelta(days=7)
DEFAULT_MAX_RESULTS = 20
MAX_RESULTS = 50
MAX_CONDITIONS = 2
DIRECTIONS = ("BACKWARD", "FORWARD")
WIRE_TIME = "%Y-%m-%dT%H:%M:%SZ"


@frozen
class Lookup:
    """LookupEvents' parameters as sent (None: not given)."""

    start_time: str | None
    end_time: str | None
    direction: str | None
    max_results: str | None
    next_token: str | None
    conditions: Sequence[tuple[str | None, str | None]]


@frozen
class EventPage:
    events: list[dict[str, Any]]
    start: datetime
    end: datetime
    next_token: str | None


def lookup_events(
    uow: UnitOfWork, account_id: int, lookup: Lookup, now: datetime, retention: timedelta
) -> EventPage:
    """:raises InvalidParameter, MissingParameter: a parameter breaks the rules above."""
    filters = _conditions(lookup.conditions)
    direction = _direction(lookup.direction)
    limit = _max_results(lookup.max_results)
    start, end = _window(lookup.start_time, lookup.end_time, now)
    after = None
    if lookup.next_token:
        start, end, after = _continue(lookup, start, end, filters, direction)
    query = TrailQuery(
        account_id,
        max(start, now - retention),
        end,
        filters,
        newest_first=direction == "BACKWARD",
        limit=limit,
        after=after,
    )
    rows = uow.trail.page(query)
    page, last = look_ahead(rows, limit)
    token = None
    if last is not None:
        token = _token(start, end, filters, direction, (last["event_time"], last["event_id"]))
    return EventPage([expand(row) for row in page], start, end, token)


def _conditions(given: Sequence[tuple[str | None, str | None]]) -> list[tuple[str, str]]:
    if len(given) > MAX_CONDITIONS:
        raise InvalidParameter(
            name="LookupAttribute", reason=f"At most {MAX_CONDITIONS} conditions are allowed."
        )
    conditions = []
    for index, (key, value) in enumerate(given, start=1):
        if key not in FILTER_COLUMNS:
            keys = ", ".join(FILTER_COLUMNS)
            raise InvalidParameter(
                name=f"LookupAttribute.{index}.Key", reason=f"Valid values: {keys}."
            )
        if not value:
            raise MissingParameter(name=f"LookupAttribute.{index}.Value")
        conditions.append((key, value))
    return conditions


def _direction(given: str | None) -> str:
    if not given:
        return "BACKWARD"
    if given not in DIRECTIONS:
        raise InvalidParameter(name="Direction", reason="Valid values: FORWARD, BACKWARD.")
    return given


def _max_results(given: str | None) -> int:
    if given is None or given == "":
        return DEFAULT_MAX_RESULTS
    if not (given.isascii() and given.isdigit()) or int(given) > MAX_RESULTS:
        raise InvalidParameter(name="MaxResults", reason=f"Valid values: 0 to {MAX_RESULTS}.")
    return int(given) or DEFAULT_MAX_RESULTS


def _window(start: str | None, end: str | None, now: datetime) -> tuple[datetime, datetime]:
    if start is None and end is None:
        return now - DEFAULT_WINDOW, now
    if start is None:
        raise MissingParameter(name="StartTime")
    if end is None:
        raise MissingParameter(name="EndTime")
    begins, ends = _time("StartTime", start), _time("EndTime", end)
    if begins > ends:
        raise InvalidParameter(name="StartTime", reason="It must not be later than EndTime.")
    return begins, ends


def _time(name: str, text: str) -> datetime:
    try:
        return datetime.strptime(text, WIRE_TIME)
    except ValueError:
        raise InvalidParameter(
            name=name, reason="Specify the time in UTC as yyyy-MM-ddTHH:mm:ssZ."
        ) from None


def _token(
    start: datetime,
    end: datetime,
    filters: list[tuple[str, str]],
    direction: str,
    position: tuple[datetime, str],
) -> str:
    """Where the next page starts, and the query it belongs to (not a secret: it names only
    the caller's own query and event)."""
    state = {
        "s": start.isoformat(),
        "e": end.isoformat(),
        "f": filters,
        "d": direction,
        "t": position[0].isoformat(),
        "i": position[1],
    }
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()


def _continue(
    lookup: Lookup,
    start: datetime,
    end: datetime,
    filters: list[tuple[str, str]],
    direction: str,
) -> tuple[datetime, datetime, tuple[datetime, str]]:
    """The window and position a NextToken continues from; the query must be the same."""
    mismatch = InvalidParameter(
        name="NextToken",
        reason="Use a token from the previous page, with the same request parameters.",
    )
    try:
        state = json.loads(base64.urlsafe_b64decode((lookup.next_token or "").encode()))
        token_start, token_end = (datetime.fromisoformat(state[k]) for k in ("s", "e"))
        after = (datetime.fromisoformat(state["t"]), str(state["i"]))
        same = [list(f) for f in filters] == state["f"] and direction == state["d"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise mismatch from None
    timed = lookup.start_time is not None
    if not same or (timed and (start, end) != (token_start, token_end)):
        raise mismatch
    return token_start, token_end, after
