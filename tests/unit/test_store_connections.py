"""The store's connections on its fast path: a PostgreSQL connection is pinged only when it
was idle, a dead one is replaced before use and one left in a transaction is not kept; a SQLite
writer gets the lock soon after it is free and gives up after the wait limit, and connections
use WAL with fewer, larger checkpoints, switching to it even while another connection holds
the lock (statements and units of work: test_store_fast_path)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from support.databases import postgres_schema

from imageshare.services.accounts import create_account
from imageshare.store import engine as engine_module
from imageshare.store import migrate
from imageshare.store.database import Store
from imageshare.store.engine import make_engine

MOMENT = datetime(2026, 11, 23, 1, 2, 3, 456789)


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    with postgres_schema() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _count_pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    pings: list[Any] = []
    real = engine.dialect.do_ping

    def counting(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting)
    return pings


def test_a_busy_postgres_connection_is_not_pinged(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings = _count_pings(postgres_engine, monkeypatch)
    for _ in range(5):
        with postgres_engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    assert pings == []


def test_an_idle_dead_postgres_connection_is_replaced_before_use(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with postgres_engine.connect() as conn:
        victim = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    # The connection now idles in the pool; its server process goes away (a restart would
    # do the same to every idle connection).
    killer = create_engine(postgres_engine.url)
    with killer.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim})
        conn.commit()
    killer.dispose()
    pings = _count_pings(postgres_engine, monkeypatch)
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    with postgres_engine.connect() as conn:
        replacement = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    assert replacement != victim and pings


def _backend_pid(conn: Any) -> int:
    pid: int = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    conn.rollback()
    return pid


def _terminate(engine: Engine, pid: int) -> None:
    killer = create_engine(engine.url)
    with killer.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        conn.commit()
    killer.dispose()


def test_back_to_back_requests_keep_one_postgres_connection_unpinged(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(postgres_engine)
    pings = _count_pings(postgres_engine, monkeypatch)
    pids = []
    for _ in range(5):
        with store.connect() as conn:
            pids.append(_backend_pid(conn))
    assert len(set(pids)) == 1 and pings == []
    store.dispose()


def test_a_kept_postgres_connection_idle_and_dead_is_replaced_before_use(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(postgres_engine)
    with store.connect() as conn:
        victim = _backend_pid(conn)
    _terminate(postgres_engine, victim)  # the kept connection's server process goes away
    pings = _count_pings(postgres_engine, monkeypatch)
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    monkeypatch.setattr("imageshare.store.database.PING_AFTER_IDLE_SECONDS", 0.0)
    with store.connect() as conn:
        replacement = _backend_pid(conn)
    assert replacement != victim and pings
    store.dispose()


def test_a_postgres_connection_left_in_a_transaction_is_not_kept(postgres_engine: Engine) -> None:
    store = Store(postgres_engine)
    with store.connect() as conn:
        conn.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]
    with store.connect() as conn:
        status = conn.connection.driver_connection.info.transaction_status  # type: ignore[union-attr]
    assert status == 0  # IDLE: the next request does not find the last one's transaction
    store.dispose()


def _sqlite_store(tmp_path: Path) -> Store:
    engine = make_engine(f"sqlite:///{tmp_path}/lock.db")
    migrate.upgrade(engine)
    return Store(engine)


def _hold_write_lock(store: Store, seconds: float, released: list[float]) -> threading.Thread:
    taken = threading.Event()

    def hold() -> None:
        with store.unit_of_work(write=True) as uow:
            create_account(uow, site="china", now=MOMENT)
            taken.set()
            time.sleep(seconds)
            uow.commit()
        released.append(time.monotonic())

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    return thread


def test_a_sqlite_writer_gets_the_lock_soon_after_it_is_free(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    released: list[float] = []
    holder = _hold_write_lock(store, 0.25, released)
    with store.unit_of_work(write=True) as uow:
        acquired = time.monotonic()
        create_account(uow, site="china", now=MOMENT)
        uow.commit()
    holder.join()
    store.dispose()
    # Within a pause of the release. SQLite's own busy handler, 250 ms into its wait, sleeps
    # 100 ms between tries: it would have come in about 80 ms late.
    assert 0 <= acquired - released[0] < 0.04


def busy_timeout(conn: Connection) -> int:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    (timeout,) = driver.execute("PRAGMA busy_timeout").fetchone()
    return int(timeout)


def test_the_busy_timeout_is_off_after_a_write_and_on_again_for_core(tmp_path: Path) -> None:
    """Switching SQLite's busy timeout off and on around every BEGIN IMMEDIATE cost 30,000
    instructions a write, so it stays off after one: nothing a request runs next can be
    busy in WAL mode. A Core transaction (admin, CLI, migrations: it may write without having
    said so) waits 30 s for locks again, as a new connection does."""
    store = _sqlite_store(tmp_path)
    with store.connect() as conn:
        assert busy_timeout(conn) == 30_000
        with store.unit_of_work(write=True, connection=conn) as uow:
            assert busy_timeout(conn) == 0
            uow.commit()
        with store.unit_of_work(connection=conn):
            assert busy_timeout(conn) == 0  # a read transaction waits for no writer
        with conn.begin():
            assert busy_timeout(conn) == 30_000
        with store.unit_of_work(write=True, connection=conn) as uow:
            assert busy_timeout(conn) == 0
    store.dispose()


def test_a_sqlite_writer_still_gives_up_after_the_wait_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _sqlite_store(tmp_path)
    monkeypatch.setattr(engine_module, "WRITE_LOCK_WAIT_SECONDS", 0.1)
    holder = _hold_write_lock(store, 0.5, [])
    with pytest.raises(sqlite3.OperationalError, match="locked"), store.unit_of_work(write=True):
        pass
    holder.join()
    store.dispose()


def test_sqlite_connections_use_wal_with_fewer_larger_checkpoints(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    with store.unit_of_work() as uow:
        settings = {
            pragma: uow.db.driver.execute(f"PRAGMA {pragma}").fetchone()[0]
            for pragma in (
                "journal_mode",
                "synchronous",
                "wal_autocheckpoint",
                "journal_size_limit",
            )
        }
    store.dispose()
    assert settings == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL: no fsync per commit; a killed process loses nothing
        "wal_autocheckpoint": engine_module.WAL_CHECKPOINT_PAGES,
        "journal_size_limit": engine_module.WAL_SIZE_LIMIT_BYTES,
    }


def test_switching_a_new_file_to_wal_waits_for_another_connections_lock(tmp_path: Path) -> None:
    """Servers started together on a new database both switch it to WAL, and SQLite answers
    one of them SQLITE_BUSY at once (a scale-out test's server once failed to start so): the
    switch is tried again until the other connection lets go."""
    path = str(tmp_path / "new.db")
    holder = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    opener = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        opener.execute("PRAGMA journal_mode=WAL")  # what that server met, tried once
    release = threading.Timer(0.2, lambda: holder.execute("COMMIT"))
    release.start()
    engine_module.use_wal(opener)
    release.join()
    mode = opener.execute("PRAGMA journal_mode").fetchone()[0]
    opener.close()
    holder.close()
    assert mode == "wal"
