"""Engines for the two supported databases, with the settings each needs to be correct."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

# Execution option a write unit of work sets, so SQLite takes its write lock up front.
WRITE_OPTION = "imageshare_write"


def normalise_url(url: str) -> str:
    """Let users write ``postgresql://`` and still get psycopg 3, the driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A second writer waits for the lock instead of failing with "database is locked".
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock before the first read, so a transaction that
        # reads a count and then writes can never be overtaken between the two.
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        # Straight to the driver: this runs on every request, and exec_driver_sql would cost
        # ten times the statement itself (docs/performance.md).
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# Advisory-lock class id for one-off set-up; the second key is the schema, so servers of
# different schemas (tenants, test runs) in one PostgreSQL database do not wait for each other.
_SETUP_LOCK_CLASS = 0x1A5E


@contextmanager
def exclusive_setup(engine: Engine) -> Iterator[Engine]:
    """Run one-off set-up (migrations, the demo account) one process at a time.

    Several ``imageshare serve`` processes started together on a new database would otherwise
    all create the schema at once, and all but one fail. Yields the engine set-up should use.
    On PostgreSQL a session advisory lock, held on its own connection, makes the others wait.
    On SQLite the yielded engine begins every transaction with BEGIN IMMEDIATE: Alembic's
    transaction then holds the file's write lock from its first read of the version table,
    so a second migrator waits for it and finds the schema already at head.
    """
    if engine.dialect.name != "postgresql":
        yield engine.execution_options(**{WRITE_OPTION: True})
        return
    lock = text("SELECT pg_advisory_lock(:cls, hashtext(current_schema()))")
    unlock = text("SELECT pg_advisory_unlock(:cls, hashtext(current_schema()))")
    with engine.connect() as conn:
        conn.execute(lock, {"cls": _SETUP_LOCK_CLASS})
        conn.commit()  # the lock belongs to the session; no transaction stays open
        try:
            yield engine
        finally:
            conn.execute(unlock, {"cls": _SETUP_LOCK_CLASS})
            conn.commit()
