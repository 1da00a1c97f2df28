"""The server's clock in the database (table ``server_clock``; domain/times.ServerClock), so
every worker and every server on one database keeps the same time.

A request reads it with its credential, in the statement that looks the access key or STS
token up (``with_clock``): the clock costs no statement and no round trip of its own, and
is never stale, because nothing of it is kept in the process. Other code reads it with
``uow.clock`` and changes it with plain Core in an admin transaction (``change``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, delete, literal_column, select, update

from imageshare.domain.times import REAL_CLOCK, ServerClock, utcnow
from imageshare.store.dialect import insert_ignore
from imageshare.store.statement import Db, Statement
from imageshare.store.tables import server_clock

_c = server_clock.c
ROW_ID = 1
# Appended to a credential's columns by ``with_clock``; ``clock_of`` reads them back.
CLOCK_COLUMN_COUNT = 2


def with_clock(query: Select[Any]) -> Select[Any]:
    """``query`` with the clock's columns last, NULLs when there is no row (the real time).

    Scalar subqueries, not a join: SQLite runs a LEFT JOIN of the one row through a plan
    that cost a request 3,500 instructions more (callgrind), these two about 300."""
    offset = select(_c.offset_microseconds).where(_c.id == literal_column(str(ROW_ID)))
    frozen = select(_c.frozen_at).where(_c.id == literal_column(str(ROW_ID)))
    return query.add_columns(offset.scalar_subquery(), frozen.scalar_subquery())


def clock_of(row: tuple[Any, ...]) -> ServerClock:
    """The clock in the last ``CLOCK_COLUMN_COUNT`` columns of a ``with_clock`` row."""
    offset, frozen_at = row[-CLOCK_COLUMN_COUNT:]
    if offset is None:
        return REAL_CLOCK
    return ServerClock(timedelta(microseconds=offset), frozen_at)


_READ = Statement(select(_c.offset_microseconds, _c.frozen_at).where(_c.id == ROW_ID))


class ClockRepository:
    """The clock for work outside a request (``uow.clock``): admin, CLI and testing code."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def read(self) -> ServerClock:
        row = _READ.first(self._db)
        return REAL_CLOCK if row is None else clock_of(row)

    def now(self) -> datetime:
        """The server's time now."""
        return self.read().now(utcnow())


def change(conn: Connection, how: Callable[[ServerClock], ServerClock]) -> ServerClock:
    """Replace the clock by ``how(clock)``, inside ``conn``'s write transaction; the row is
    made first and locked, so two changes at once (two servers) apply one after the other."""
    insert_ignore(conn, server_clock, {"id": ROW_ID, "offset_microseconds": 0})
    locked = conn.execute(
        select(_c.offset_microseconds, _c.frozen_at).where(_c.id == ROW_ID).with_for_update()
    ).first()
    assert locked is not None
    changed = how(clock_of(tuple(locked)))
    if changed.is_real:
        conn.execute(delete(server_clock))
        return changed
    offset = changed.offset // timedelta(microseconds=1)
    conn.execute(
        update(server_clock)
        .where(_c.id == ROW_ID)
        .values(offset_microseconds=offset, frozen_at=changed.frozen_at)
    )
    return changed
