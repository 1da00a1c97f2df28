"""Engines for the two supported databases, with the settings each needs to be correct."""

from __future__ import annotations

import importlib.util
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

# Execution option of an engine whose every Core transaction writes (exclusive_setup,
# Store.transaction), so SQLite takes its write lock up front. Units of work begin their
# transactions on the driver themselves and never run Core (store/uow.py).
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
    return _postgres_engine(url)


# How long a writer waits for SQLite's write lock before "database is locked" (as the
# connection's busy_timeout does for every other statement).
WRITE_LOCK_WAIT_SECONDS = 30.0
_BUSY_TIMEOUT_MS = int(WRITE_LOCK_WAIT_SECONDS * 1000)

WAL_CHECKPOINT_PAGES = 10_000
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024

# A pooled connection that sat unused longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 2.0


def _postgres_engine(url: str) -> Engine:
    """Pinging on every checkout (``pool_pre_ping``) cost a round trip per request; a
    connection returned to the pool moments ago is known to work, so only idle ones are
    pinged. A dead one is replaced before use, as ``pool_pre_ping`` would.

    :raises ModuleNotFoundError: the PostgreSQL driver, an optional extra, is not installed.
    """
    if importlib.util.find_spec("psycopg") is None:
        raise ModuleNotFoundError(
            "PostgreSQL needs the psycopg driver: pip install 'imageshare[postgres]'"
        )
    engine = create_engine(url, pool_size=10, max_overflow=20)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # new, or back in the pool a moment ago
        if not answers_ping(engine, dbapi_connection):
            raise exc.DisconnectionError()  # the pool retries with a new one

    return engine


def answers_ping(engine: Engine, dbapi_connection: Any) -> bool:
    """False if the server behind this connection is gone (restarted, or the connection was
    cut); any other error is raised."""
    try:
        engine.dialect.do_ping(dbapi_connection)
    except engine.dialect.loaded_dbapi.Error as error:
        if engine.dialect.is_disconnect(error, dbapi_connection, None):
            return False
        raise
    return True


def driver_in_transaction(conn: Connection) -> bool:
    """Whether the DB-API connection under ``conn`` is inside a transaction (units of work
    begin theirs on the driver, out of SQLAlchemy's sight)."""
    driver = conn.connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        return driver.in_transaction
    # psycopg: anything but IDLE (in a transaction, failed in one, or unusable).
    return bool(driver.info.transaction_status != 0)  # type: ignore[union-attr]


def _sqlite_engine(url: str) -> Engine:
    # Named parameters, as psycopg's: statements take their values by name on both drivers
    # (store/statement.py).
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, paramstyle="named"
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        # A second writer waits for the lock instead of failing with "database is locked".
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # The sqlite3 module begins nothing itself (isolation_level None): a Core
        # transaction's BEGIN is issued here, IMMEDIATE when it will write.
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        begin_on_driver(conn.connection, write=write, read_only=False)

    @event.listens_for(engine, "commit")
    def _on_commit(conn: Any) -> None:
        refuse_writes_in_reads(conn.connection)

    return engine


def use_wal(cursor: sqlite3.Cursor | sqlite3.Connection) -> None:
    """The journal settings of every SQLite file of ours (the database and its nonce ledger).

    WAL with ``synchronous=NORMAL``, and a checkpoint every 10,000 WAL pages (40 MB) instead of
    SQLite's 1,000. A checkpoint copies the newest version of each page into the database and
    syncs both files; every request rewrites the same hot index pages (nonces, shares), so
    fewer, larger checkpoints copy each of them once, not ten times (docs/performance.md). The
    WAL file is cut back to 64 MB after a checkpoint if it grew past that.

    Switching a new file to WAL takes its exclusive lock. Two processes opening a new database
    together (servers started side by side) both try, and SQLite answers one of them
    SQLITE_BUSY at once, without its busy handler (waiting there could deadlock): the switch
    is tried again, as a write-lock wait is. On a file already in WAL it is a plain read.
    """
    execute_when_free(cursor, "PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}")


_CHANGES_AT_BEGIN = "imageshare_changes_at_begin"
# Set (False) while the connection's busy timeout is off: since its last BEGIN IMMEDIATE.
_WAITS_FOR_LOCKS = "imageshare_waits_for_locks"


def begin_on_driver(fairy: Any, *, write: bool, read_only: bool) -> None:
    """Begin a SQLite transaction on the pooled connection ``fairy``'s driver connection.

    Straight to the driver: this runs on every request, and exec_driver_sql would cost ten
    times the statement itself (docs/performance.md). ``write``: BEGIN IMMEDIATE takes the
    write lock before the first read, so a transaction that reads a count and then writes can
    never be overtaken between the two. ``read_only``: committing after a write fails; a
    transaction neither (a Core one, which may run DDL or write without having said so)
    waits for locks as every connection did before its first BEGIN IMMEDIATE.
    """
    driver = fairy.driver_connection
    if read_only:
        fairy.info[_CHANGES_AT_BEGIN] = driver.total_changes
    else:
        fairy.info.pop(_CHANGES_AT_BEGIN, None)
    if write:
        _begin_immediate(driver, fairy.info)
        return
    if not read_only and fairy.info.get(_WAITS_FOR_LOCKS) is False:
        driver.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        fairy.info[_WAITS_FOR_LOCKS] = True
    driver.execute("BEGIN")


def refuse_writes_in_reads(fairy: Any) -> None:
    """A read transaction that writes takes SQLite's write lock halfway, and fails with
    SQLITE_BUSY whenever another writer committed since it began: an action marked as a read
    that writes must fail in every test, not under load. (``PRAGMA query_only`` would say so
    sooner, but switching it on and off made every statement be prepared again.)"""
    began = fairy.info.get(_CHANGES_AT_BEGIN)
    if began is not None and fairy.driver_connection.total_changes != began:
        raise RuntimeError("a read-only unit of work wrote to the database; mark it write=True")


_LONGEST_PAUSE = 0.001


def _begin_immediate(driver: sqlite3.Connection, info: dict[str, Any]) -> None:
    """``BEGIN IMMEDIATE``, waiting for the write lock in pauses of at most 1 ms.

    SQLite's own busy handler sleeps 1, 2, 5, 10, ... up to 100 ms between tries, so a worker
    waiting for another's lock kept sleeping (and every connection it serves with it) long
    after the lock was free: p99 went from tens to hundreds of ms with two workers
    (docs/performance.md). So the connection's busy timeout is switched off first, and left
    off: switching it back after every BEGIN IMMEDIATE cost 30,000 instructions a write (SQLite
    prepares a PRAGMA again each time it runs). Nothing needs it meanwhile, in WAL mode:
    statements after BEGIN IMMEDIATE hold the write lock, and a read transaction waits for
    no writer; a reader is refused only while another connection recovers the WAL, which is
    over before a server serves (its first connection recovers it, with the timeout on).
    A Core transaction that is neither switches it on again (``begin_on_driver``).
    """
    if info.get(_WAITS_FOR_LOCKS, True):
        driver.execute("PRAGMA busy_timeout=0")
        info[_WAITS_FOR_LOCKS] = False
    retry_begin_immediate(driver)


def retry_begin_immediate(driver: sqlite3.Connection) -> None:
    """``BEGIN IMMEDIATE`` on a connection without a busy timeout, waiting as
    ``execute_when_free`` does."""
    execute_when_free(driver, "BEGIN IMMEDIATE")


def execute_when_free(
    driver: sqlite3.Connection | sqlite3.Cursor, sql: str, params: tuple[str, ...] = ()
) -> sqlite3.Cursor:
    """Run a statement that takes the write lock first (``BEGIN IMMEDIATE``, or a write in a
    transaction of its own) on a connection without a busy timeout, tried again after pauses
    of 50 us doubling up to 1 ms while another connection holds the lock, for at most
    ``WRITE_LOCK_WAIT_SECONDS``. A busy statement changed nothing, so trying again is safe."""
    deadline = time.monotonic() + WRITE_LOCK_WAIT_SECONDS
    pause = 0.00005
    while True:
        try:
            return driver.execute(sql, params)
        except sqlite3.OperationalError as error:
            # The primary code: SQLITE_BUSY_RECOVERY and the like are worth waiting for too.
            busy = error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, _LONGEST_PAUSE)


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
