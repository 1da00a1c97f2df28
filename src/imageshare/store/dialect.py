"""The few statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_ignore(conn: Connection, table: Table, row: dict[str, Any]) -> bool:
    """``INSERT ... ON CONFLICT DO NOTHING``; False when a row with that key already existed.

    On PostgreSQL a concurrent inserter of the same key waits here for the first transaction
    to end, which is what makes ClientToken claims and nonce claims race-free.
    """
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    # RETURNING, not rowcount: psycopg reports no rowcount for this statement through SQLAlchemy.
    key = next(iter(table.primary_key.columns))
    statement = module.insert(table).values(**row).on_conflict_do_nothing().returning(key)
    return conn.execute(statement).first() is not None
