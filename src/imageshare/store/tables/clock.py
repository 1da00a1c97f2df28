"""The server's clock as tests set it (docs/testing.md, domain/times.ServerClock)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, Table

from imageshare.store.tables.common import metadata

# No row is the real time; else one row (id 1), which every request reads with its access
# key (store/clock.py). Part of the state: a reset returns to the real time, and a snapshot
# keeps the time it was taken with.
server_clock = Table(
    "server_clock",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("offset_microseconds", BigInteger, nullable=False),
    Column("frozen_at", DateTime, nullable=True),
)
