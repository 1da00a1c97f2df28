"""The store's fast path changes speed, not meaning: prepared statements store and read values
exactly as SQLAlchemy does, and PostgreSQL connections are pinged only when they were idle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, create_engine, select, text
from support.databases import database_url, postgres_schema

from imageshare.store import engine as engine_module
from imageshare.store import migrate
from imageshare.store.engine import Prepared, make_engine
from imageshare.store.tables import signature_nonces
from imageshare.store.uow import Store

MOMENT = datetime(2026, 11, 23, 1, 2, 3, 456789)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with database_url(request.param, str(tmp_path)) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        yield Store(engine)
        engine.dispose()


def test_a_prepared_insert_stores_what_sqlalchemy_reads_back(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        assert uow.nonces.claim("LTAIkey", "nonce-1", MOMENT)
        assert not uow.nonces.claim("LTAIkey", "nonce-1", MOMENT + timedelta(seconds=1))
        assert uow.nonces.claim("LTAIother", "nonce-1", MOMENT)
        stored = uow.conn.execute(select(signature_nonces.c.created_at)).scalars().all()
        uow.commit()
    assert stored == [MOMENT, MOMENT]


def test_prepared_datetimes_compare_like_sqlalchemy_ones(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        uow.nonces.claim("LTAIkey", "old", MOMENT)
        uow.nonces.claim("LTAIkey", "new", MOMENT + timedelta(microseconds=1))
        assert uow.nonces.forget_before(MOMENT + timedelta(microseconds=1)) == 1
        left = uow.conn.execute(select(signature_nonces.c.nonce)).scalars().all()
        uow.commit()
    assert left == ["new"]


def test_a_prepared_select_reads_types_as_sqlalchemy_does(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        uow.nonces.claim("LTAIkey", "n", MOMENT)
        query = Prepared(
            select(signature_nonces.c.nonce, signature_nonces.c.created_at).where(
                signature_nonces.c.access_key_id == bindparam("key")
            )
        )
        rows = query.rows(uow.conn, {"key": "LTAIkey"})
    assert rows == [("n", MOMENT)]


def test_a_prepared_statement_runs_inside_the_unit_of_work(store: Store) -> None:
    with store.unit_of_work(write=True) as uow:
        uow.nonces.claim("LTAIkey", "rolled-back", MOMENT)  # never committed
    with store.unit_of_work() as uow:
        assert uow.conn.execute(select(signature_nonces)).all() == []


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
