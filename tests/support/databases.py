"""Databases for tests: a SQLite file always, PostgreSQL in a throw-away schema when reachable.

``migrated_database_url`` gives one already at the head revision and empty: a copy of a SQLite
template migrated once, a PostgreSQL schema migrated once and emptied between its tests.
Making and migrating each database took about 0.2 s on SQLite and 1.1 s on PostgreSQL, and
the suite makes well over a hundred. Tests of the migrations themselves, and of servers that
make their own schema, use ``database_url``: an empty database.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from imageshare.store import migrate
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.tables import ledger_metadata, metadata

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("IMAGESHARE_TEST_PG_URL", DEFAULT_PG_URL)


def require_postgres() -> None:
    """Skip when PostgreSQL is not there; in CI (IMAGESHARE_TEST_PG_URL set) fail instead."""
    engine = create_engine(postgres_url())
    try:
        with engine.connect():
            return
    except OperationalError as exc:
        if "IMAGESHARE_TEST_PG_URL" in os.environ:
            raise
        pytest.skip(f"PostgreSQL not reachable at {postgres_url()} ({exc.orig}); CI runs these")
    finally:
        engine.dispose()


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema, dropped afterwards; yields a URL whose search_path points at it."""
    require_postgres()
    schema = "imageshare_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{postgres_url()}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database_url(backend: str, tmp_dir: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir}/imageshare.db"
        return
    with postgres_schema() as url:
        yield url


@contextmanager
def migrated_database_url(backend: str, tmp_dir: str) -> Iterator[str]:
    """Like ``database_url``, but the database is already migrated to the head revision and
    empty: on SQLite a copy of a template migrated once; on PostgreSQL a schema migrated once
    and emptied for the next test when this one is done with it."""
    if backend == "sqlite":
        Path(tmp_dir).mkdir(parents=True, exist_ok=True)
        target = f"{tmp_dir}/imageshare.db"
        with sqlite3.connect(_sqlite_template()) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        yield f"sqlite:///{target}"
        return
    require_postgres()
    schema = _free_schemas.pop() if _free_schemas else _migrated_schema()
    try:
        yield _schema_url(schema)
    finally:
        if _emptied(schema):
            _free_schemas.append(schema)
        else:
            _drop_schema(schema)


@contextmanager
def migrated_store(backend: str, tmp_dir: str) -> Iterator[Store]:
    """A Store on a ``migrated_database_url``; its engine disposed of afterwards."""
    with migrated_database_url(backend, tmp_dir) as url:
        engine = make_engine(url)
        yield Store(engine)
        engine.dispose()


@functools.cache
def _sqlite_template() -> str:
    directory = tempfile.mkdtemp(prefix="imageshare-template-")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    path = f"{directory}/template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


# Migrated PostgreSQL schemas no test is using; dropped when the session ends.
_free_schemas: list[str] = []


def _schema_url(schema: str) -> str:
    return f"{postgres_url()}?options=-csearch_path%3D{schema}"


@functools.cache
def _admin() -> Engine:
    engine = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    atexit.register(engine.dispose)
    atexit.register(_drop_free_schemas)  # runs first: atexit is last in, first out
    return engine


def _drop_free_schemas() -> None:
    for schema in _free_schemas:
        _drop_schema(schema)


def _migrated_schema() -> str:
    schema = "imageshare_test_" + uuid.uuid4().hex[:12]
    with _admin().connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(_schema_url(schema))
    migrate.upgrade(engine)
    engine.dispose()
    return schema


def _emptied(schema: str) -> bool:
    """Delete every row but the schema revision; False if something still holds a lock."""
    tables = [*ledger_metadata.sorted_tables, *reversed(metadata.sorted_tables)]
    script = "SET lock_timeout = '5s';" + "".join(
        f'DELETE FROM "{schema}"."{table.name}";' for table in tables
    )
    try:
        with _admin().connect() as conn:
            conn.exec_driver_sql(script)
            conn.exec_driver_sql("SET lock_timeout = 0")
    except DBAPIError:
        return False
    return True


def _drop_schema(schema: str) -> None:
    with _admin().connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
