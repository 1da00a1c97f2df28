"""The store's fast path changes speed, not meaning: statements run on the driver store and
read values exactly as SQLAlchemy does, and PostgreSQL connections are pinged only when they
were idle."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import DateTime, Engine, create_engine, event, select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from support.databases import migrated_database_url, postgres_schema

from imageshare.services.accounts import create_account
from imageshare.store import engine as engine_module
from imageshare.store import migrate
from imageshare.store import statement as statement_module
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.statement import Statement, bind, insert_if_new
from imageshare.store.tables import ledger_metadata, signature_nonces
from imageshare.store.uow import UnitOfWork

MOMENT = datetime(2026, 11, 23, 1, 2, 3, 456789)
_n = signature_nonces.c
_CLAIM = insert_if_new(signature_nonces)
_FORGET = Statement(signature_nonces.delete().where(_n.created_at < bind(_n.created_at, "cutoff")))
_NONCES = Statement(select(_n.nonce).order_by(_n.nonce))


def _claim(uow: UnitOfWork, key: str, nonce: str, at: datetime) -> bool:
    row = {"access_key_id": key, "nonce": nonce, "created_at": at}
    return bool(_CLAIM.rows(uow.db, row))


def _nonces(uow: UnitOfWork) -> list[str]:
    return [nonce for (nonce,) in _NONCES.rows(uow.db)]


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with migrated_database_url(request.param, str(tmp_path)) as url:
        engine = make_engine(url)
        # The nonce table is these tests' example of a statement; SQLite keeps its
        # nonces elsewhere (store/ledger.py), so it is made here for them.
        ledger_metadata.create_all(engine)
        yield Store(engine)
        engine.dispose()


def test_a_statements_insert_stores_what_sqlalchemy_reads_back(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        assert _claim(uow, "LTAIkey", "nonce-1", MOMENT)
        assert not _claim(uow, "LTAIkey", "nonce-1", MOMENT + timedelta(seconds=1))
        assert _claim(uow, "LTAIother", "nonce-1", MOMENT)
        uow.commit()
    with store.transaction() as conn:
        stored = conn.execute(select(signature_nonces.c.created_at)).scalars().all()
    assert stored == [MOMENT, MOMENT]


def test_statement_datetimes_compare_like_sqlalchemy_ones(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        _claim(uow, "LTAIkey", "old", MOMENT)
        _claim(uow, "LTAIkey", "new", MOMENT + timedelta(microseconds=1))
        assert _FORGET.run(uow.db, {"cutoff": MOMENT + timedelta(microseconds=1)}) == 1
        uow.commit()
    with store.transaction() as conn:
        left = conn.execute(select(signature_nonces.c.nonce)).scalars().all()
    assert left == ["new"]


def test_a_statements_select_reads_types_as_sqlalchemy_does(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        _claim(uow, "LTAIkey", "n", MOMENT)
        query = Statement(
            select(signature_nonces.c.nonce, signature_nonces.c.created_at).where(
                signature_nonces.c.access_key_id == bind(signature_nonces.c.access_key_id, "key")
            )
        )
        rows = query.rows(uow.db, {"key": "LTAIkey"})
    assert rows == [("n", MOMENT)]


def test_a_statement_runs_inside_the_unit_of_work(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        _claim(uow, "LTAIkey", "rolled-back", MOMENT)  # never committed
    with store.unit_of_work() as uow:
        assert _nonces(uow) == []


def test_a_unit_of_work_of_statements_commits(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        assert _claim(uow, "LTAIkey", "kept", MOMENT)
        uow.commit()
    with store.unit_of_work() as uow:
        assert _nonces(uow) == ["kept"]


@pytest.mark.parametrize("commit", [True, False])
def test_a_units_statements_commit_or_roll_back_together(store: Store, commit: bool) -> None:
    """The unit of work's transaction is the driver's: every repository's statements in it
    commit, or roll back, together."""
    with store.unit_of_work(write=True) as uow:
        _claim(uow, "LTAIkey", "first", MOMENT)
        account, _ = create_account(uow, site="china", now=MOMENT)  # other repositories
        _claim(uow, "LTAIkey", "second", MOMENT)
        if commit:
            uow.commit()
    with store.unit_of_work() as uow:
        nonces = _nonces(uow)
        found = uow.accounts.get(account.id)
    assert sorted(nonces) == (["first", "second"] if commit else [])
    assert (found == account) is commit


def _sqlite_store_with_nonces(tmp_path: Path) -> Store:
    engine = make_engine(f"sqlite:///{tmp_path}/driver.db")
    migrate.upgrade(engine)
    ledger_metadata.create_all(engine)
    return Store(engine)


def test_a_unit_of_work_never_begins_sqlalchemys_transaction(
    tmp_path: Path,
) -> None:
    """SQLAlchemy's begin and commit cost a tenth of a request: a unit of work (every
    request's key lookup, claims and share queries) must not start one, and must leave
    neither SQLAlchemy's nor the driver's transaction open."""
    store = _sqlite_store_with_nonces(tmp_path)
    begins: list[object] = []
    event.listen(store.engine, "begin", begins.append)
    for write in (True, False):
        with store.connect() as conn:
            with store.unit_of_work(write=write, connection=conn) as uow:
                _claim(uow, "LTAIkey", f"n-{write}", MOMENT)
                if write:
                    uow.commit()
            assert not conn.in_transaction()
            assert not conn.connection.driver_connection.in_transaction  # type: ignore[union-attr]
    assert begins == []
    store.dispose()


def test_a_read_that_writes_through_a_statement_cannot_commit(tmp_path: Path) -> None:
    store = _sqlite_store_with_nonces(tmp_path)
    with pytest.raises(RuntimeError, match="write=True"), store.unit_of_work() as uow:
        _claim(uow, "LTAIkey", "sneaky", MOMENT)
        uow.commit()
    with store.unit_of_work() as uow:
        assert _nonces(uow) == []
    store.dispose()


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


@pytest.mark.parametrize("size", [0, 1, 3, 11, 15, 16], ids=lambda n: f"{n}-accounts")
def test_sites_agree_with_get_whatever_the_length(store: Store, size: int) -> None:
    """Each list length has a Statement of its own: the same sites as one by one, whatever
    the length, and an account that does not exist is left out."""
    with store.unit_of_work(write=True) as uow:
        made = [
            create_account(uow, site=("china", "international")[index % 2], now=MOMENT)[0]
            for index in range(size)
        ]
        wanted = [account.id for account in made] + [10**15 + 1]  # one that does not exist
        found = uow.accounts.sites(wanted if size else [])
        one_by_one = {a.id: got.site for a in made if (got := uow.accounts.get(a.id))}
        uow.commit()
    assert found == one_by_one and len(found) == size


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
        (timeout,) = uow.db.driver.execute("PRAGMA busy_timeout").fetchone()
        uow.commit()
    holder.join()
    store.dispose()
    # Within a pause of the release. SQLite's own busy handler, 250 ms into its wait, sleeps
    # 100 ms between tries: it would have come in about 80 ms late.
    assert 0 <= acquired - released[0] < 0.04
    assert timeout == 30_000  # every other statement keeps the 30 s busy timeout


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


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)))
def test_the_statements_sqlite_datetime_reader_agrees_with_sqlalchemys(moment: datetime) -> None:
    dialect = sqlite_dialect.dialect()
    theirs = DateTime().dialect_impl(dialect)
    bind, read = theirs.bind_processor(dialect), theirs.result_processor(dialect, None)
    assert bind is not None and read is not None
    stored = bind(moment)
    ours = statement_module._result_processor(DateTime(), dialect)
    assert ours is not None and ours(stored) == read(stored) == moment


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
