"""The store's fast path changes speed, not meaning: statements run on the driver store and
read values exactly as SQLAlchemy does, inside units of work that never begin SQLAlchemy's
transaction (connections kept, pinged and locked: test_store_connections)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import DateTime, event, select
from sqlalchemy.dialects import sqlite as sqlite_dialect
from support.databases import migrated_database_url

from imageshare.services.accounts import create_account
from imageshare.store import migrate
from imageshare.store import statement as statement_module
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.statement import Statement
from imageshare.store.statement_builders import bind, insert_if_new
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


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)))
def test_the_statements_sqlite_datetime_reader_agrees_with_sqlalchemys(moment: datetime) -> None:
    dialect = sqlite_dialect.dialect()
    theirs = DateTime().dialect_impl(dialect)
    bind, read = theirs.bind_processor(dialect), theirs.result_processor(dialect, None)
    assert bind is not None and read is not None
    stored = bind(moment)
    ours = statement_module._result_processor(DateTime(), dialect)
    assert ours is not None and ours(stored) == read(stored) == moment
