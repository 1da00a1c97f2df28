"""The audit trail's rows: events added (in a request's transaction, or in batches), looked
up a page at a time for one account, and forgotten after the retention period. Statements per
filter shape (which conditions, which direction, first page or not), compiled once each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select

from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import LIMIT, bind, insert_row
from imageshare.store.tables import trail_events as events
from imageshare.values import frozen

Row = dict[str, Any]

# LookupAttribute keys, and the column each filters on (EventRW, ServiceName: any case).
FILTER_COLUMNS = {
    "EventId": events.c.event_id,
    "EventName": events.c.event_name,
    "EventRW": events.c.event_rw,
    "ServiceName": events.c.service_name,
    "ResourceType": events.c.resource_type,
    "ResourceName": events.c.resource_name,
    "EventAccessKeyId": events.c.access_key_id,
    "User": events.c.user_name,
}
_ANY_CASE = frozenset({"EventRW", "ServiceName"})
_COLUMNS = [column.key for column in events.columns]
_ADD = insert_row(events)
_FORGET = Statement(delete(events).where(events.c.event_time < bind(events.c.event_time)))
_OF_RESOURCE = Statement(
    select(events)
    .where(
        events.c.account_id == bind(events.c.account_id),
        events.c.resource_name == bind(events.c.resource_name),
    )
    .order_by(events.c.event_time.desc(), events.c.event_id.desc())
    .limit(LIMIT)
)


@frozen
class TrailQuery:
    """One page of one account's events: in [start, end], matching every filter, after the
    ``after`` position (an event's time and id) in the chosen direction."""

    account_id: int
    start: datetime
    end: datetime
    filters: Sequence[tuple[str, str]] = ()
    newest_first: bool = True
    limit: int = 20
    after: tuple[datetime, str] | None = None


class TrailRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Rows of values in the table's column order (``domain.audit.ROW_FIELDS``)."""
        if rows:
            _ADD.run_many(self._db, rows)

    def page(self, query: TrailQuery) -> list[Row]:
        """The events' rows, at most ``query.limit + 1`` (one more tells there is a next
        page)."""
        keys = tuple(key for key, _ in query.filters)
        statement = _page(keys, query.newest_first, query.after is not None)
        params: dict[str, Any] = {
            "account_id": query.account_id,
            "start": query.start,
            "end": query.end,
            "limit": query.limit + 1,
        }
        for index, (key, value) in enumerate(query.filters):
            params[f"f{index}"] = value.lower() if key in _ANY_CASE else value
        if query.after is not None:
            params["after_time"], params["after_id"] = query.after
        return [dict(zip(_COLUMNS, row, strict=True)) for row in statement.rows(self._db, params)]

    def of_resource(self, account_id: int, resource_name: str, limit: int) -> list[Row]:
        """One account's events on one resource, newest first (the console's history)."""
        params = {"account_id": account_id, "resource_name": resource_name, "limit": limit}
        return [
            dict(zip(_COLUMNS, row, strict=True)) for row in _OF_RESOURCE.rows(self._db, params)
        ]

    def forget_before(self, moment: datetime) -> int:
        return _FORGET.run(self._db, {"event_time": moment})


@cache
def _page(keys: tuple[str, ...], newest_first: bool, continued: bool) -> Statement:
    time, event_id = events.c.event_time, events.c.event_id
    conditions: list[ColumnElement[bool]] = [
        events.c.account_id == bind(events.c.account_id),
        time >= bind(time, "start"),
        time <= bind(time, "end"),
    ]
    for index, key in enumerate(keys):
        column = FILTER_COLUMNS[key]
        value = bind(column, f"f{index}")
        conditions.append(func.lower(column) == value if key in _ANY_CASE else column == value)
    if continued:
        after_time, after_id = bind(time, "after_time"), bind(event_id, "after_id")
        if newest_first:
            later = or_(time < after_time, and_(time == after_time, event_id < after_id))
        else:
            later = or_(time > after_time, and_(time == after_time, event_id > after_id))
        conditions.append(later)
    order = (time.desc(), event_id.desc()) if newest_first else (time.asc(), event_id.asc())
    return Statement(select(events).where(*conditions).order_by(*order).limit(LIMIT))
