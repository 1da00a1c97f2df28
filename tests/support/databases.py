"""Databases for tests: a SQLite file always, PostgreSQL in a throw-away schema when reachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

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
