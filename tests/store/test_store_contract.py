"""One contract for every backend: accounts and keys, units of work, nonces, idempotency,
migrations and connections, the same tests on SQLite and on PostgreSQL (the image queries:
test_store_image_queries)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData, inspect, text
from support.databases import database_url, migrated_store

from imageshare.services.accounts import AdminError, create_account, create_key, set_key_status
from imageshare.store import migrate
from imageshare.store import request_postgres as nonces
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.ledger import period_for
from imageshare.store.tables import metadata, signature_nonces

NOW = datetime(2026, 11, 23, 12, 0, 0)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[Store]:
    with migrated_store(backend, str(tmp_path)) as made:
        yield made


def test_migrations_reach_head_and_match_the_tables(store: Store) -> None:
    assert migrate.current_revision(store.engine) == migrate.head_revision(store.engine)
    assert migrate.upgrade(store.engine)[0] == migrate.head_revision(store.engine)
    expected = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(expected)
    if not store.single_writer:  # PostgreSQL keeps its nonces in the schema
        signature_nonces.to_metadata(expected)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), expected)
    assert diff == []


def test_account_and_keys_round_trip(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        account, first = create_account(uow, site="international", now=NOW)
        second = create_key(uow, account_id=account.id, now=NOW + timedelta(seconds=1))
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.accounts.get(account.id) == account
        assert [k.id for k in uow.access_keys.for_account(account.id)] == [first.id, second.id]
        assert uow.access_keys.get(first.id) == first
    assert str(account.id).startswith("1") and len(str(account.id)) == 16


def test_uncommitted_work_is_rolled_back(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        account, _ = create_account(uow, site="china", now=NOW)
    with store.unit_of_work() as uow:
        assert uow.accounts.get(account.id) is None


def test_a_read_unit_of_work_refuses_to_commit_a_write_on_sqlite(tmp_path: Path) -> None:
    """The pipeline runs actions not marked ``mutating`` in a read transaction; one that
    wrote would take SQLite's write lock halfway (and fail under load), so it fails always.
    (SQLite only: PostgreSQL has no single writer to protect.)"""
    engine = make_engine(f"sqlite:///{tmp_path}/guard.db")
    migrate.upgrade(engine)
    store = Store(engine)
    with pytest.raises(RuntimeError, match="write=True"), store.unit_of_work() as uow:
        create_account(uow, site="china", now=NOW)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.accounts.list() == []
    engine.dispose()


def test_units_of_work_share_one_connection_one_after_another(store: Store) -> None:
    with store.connect() as conn:
        with store.unit_of_work(write=True, connection=conn) as uow:
            account, _ = create_account(uow, site="china", now=NOW)
            uow.commit()
        with store.unit_of_work(connection=conn) as uow:
            assert uow.accounts.get(account.id) == account
        assert not conn.closed


def test_key_status_and_unknown_keys(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        _, key = create_account(uow, site="china", now=NOW)
        set_key_status(uow, key.id, active=False)
        uow.commit()
    with store.unit_of_work(write=True) as uow:
        found = uow.access_keys.get(key.id)
        assert found is not None and not found.active
        with pytest.raises(AdminError, match="does not exist"):
            set_key_status(uow, "LTAInope", active=True)
        with pytest.raises(AdminError, match="unknown site"):
            create_account(uow, site="mars", now=NOW)


def _claim(store: Store, key: str, nonce: str, at: datetime) -> bool:
    """Where the pipeline claims: SQLite's ledger file, PostgreSQL's table in a transaction."""
    if store.single_writer:
        return store.nonce_ledger(period_for(timedelta(minutes=15))).claim(key, nonce, at)
    with store.unit_of_work(write=True) as uow:
        claimed = bool(nonces.CLAIM.rows(uow.db, _nonce_row(key, nonce, at)))
        uow.commit()
    return claimed


def _nonce_row(key: str, nonce: str, at: datetime) -> dict[str, object]:
    return {"access_key_id": key, "nonce": nonce, "created_at": at}


def test_a_nonce_is_claimed_once_per_key_until_it_cannot_be_replayed(store: Store) -> None:
    assert _claim(store, "LTAIa", "n-1", NOW)
    assert not _claim(store, "LTAIa", "n-1", NOW + timedelta(minutes=30))
    assert _claim(store, "LTAIb", "n-1", NOW)
    if not store.single_writer:  # PostgreSQL forgets by age, every thousandth request
        with store.unit_of_work(write=True) as uow:
            cutoff = {"cutoff": NOW + timedelta(seconds=1)}
            assert nonces.FORGET_BEFORE.run(uow.db, cutoff) == 2
            uow.commit()
    assert _claim(store, "LTAIa", "n-1", NOW + timedelta(hours=2))
    store.dispose()


def test_idempotency_claim_then_replay(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        assert uow.idempotency.claim(1, "swas-open:X", "tok", "h1", NOW) is None
        uow.idempotency.complete(1, "swas-open:X", "tok", '{"ImageId":"m-1"}')
        uow.commit()
    with store.unit_of_work(write=True) as uow:
        earlier = uow.idempotency.claim(1, "swas-open:X", "tok", "h2", NOW)
        assert earlier is not None
        assert (earlier.params_hash, earlier.response) == ("h1", '{"ImageId":"m-1"}')
        # Scoped to the account and the action.
        assert uow.idempotency.claim(2, "swas-open:X", "tok", "h1", NOW) is None
        assert uow.idempotency.claim(1, "swas-open:Y", "tok", "h1", NOW) is None


def test_migration_0006_keeps_every_row_and_drops_the_rowid_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/rowid.db")
    command.upgrade(migrate._config(engine), "0005")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO signature_nonces VALUES ('LTAIkey', 'n-1', '2026-11-23 12:00:00')")
        )
    command.upgrade(migrate._config(engine), "0006")
    with engine.connect() as conn:
        nonces = conn.execute(text("SELECT access_key_id, nonce FROM signature_nonces")).all()
        tables = conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID'"
            )
        ).scalars()
        names = sorted(tables)
    assert nonces == [("LTAIkey", "n-1")]
    assert names == ["idempotency_records", "image_shares", "signature_nonces"]
    engine.dispose()


def test_migration_0007_moves_sqlite_nonces_out_of_the_main_file(
    backend: str, tmp_path: Path
) -> None:
    with database_url(backend, str(tmp_path)) as url:
        engine = make_engine(url)
        command.upgrade(migrate._config(engine), "0006")
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO accounts VALUES (1000000000000001, 'china', false, :at)"),
                {"at": NOW},
            )
        migrate.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            accounts = conn.execute(text("SELECT id FROM accounts")).scalars().all()
        engine.dispose()
    assert ("signature_nonces" in tables) is (backend == "postgres")
    assert accounts == [1000000000000001]


def test_connections_are_kept_per_thread_and_closed_by_dispose(store: Store) -> None:
    engine = store.engine
    with store.connect() as first:
        pass
    with store.connect() as again:
        assert again is first  # back-to-back requests of one thread skip the pool
    seen: list[Connection] = []

    def other_thread() -> None:
        with store.connect() as conn:
            seen.append(conn)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    assert seen and seen[0] is not first
    with store.connect() as busy:
        busy.begin()  # left open: such a connection is not kept
    assert busy.closed
    store.dispose()
    assert seen[0].closed and engine.pool.status().endswith("Current Checked out connections: 0")
