"""Helpers for the state tests (no tests here): a server with an admin token per backend,
synthetic rows for every state table, and raw reads to compare databases row for row."""

from __future__ import annotations

import json
import random
import string
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    String,
    Table,
    insert,
    select,
)
from support.databases import migrated_database_url

from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.store.state import state_tables
from imageshare.testing.server import RunningServer, serve_in_thread

ADMIN_TOKEN = "test-admin-token-0123456789"
Rows = dict[str, list[tuple[Any, ...]]]


@contextmanager
def admin_server(backend: str, tmp_dir: str) -> Iterator[RunningServer]:
    """A server on a database of its own, with ADMIN_TOKEN."""
    with (
        migrated_database_url(backend, tmp_dir) as url,
        serve_in_thread(url, admin_token=ADMIN_TOKEN) as server,
    ):
        yield server


@contextmanager
def fresh_store(backend: str, tmp_dir: str) -> Iterator[Store]:
    """An empty, migrated database of the given backend."""
    Path(tmp_dir).mkdir(parents=True, exist_ok=True)
    with migrated_database_url(backend, tmp_dir) as url:
        engine = make_engine(url)
        try:
            yield Store(engine)
        finally:
            engine.dispose()


def raw_rows(engine: Engine) -> Rows:
    """Every state table's rows as sorted tuples of database values (no codec involved)."""
    with engine.connect() as conn:
        return {
            table.name: sorted(tuple(row) for row in conn.execute(select(table)))
            for table in state_tables()
        }


# --- synthetic rows: every table filled, foreign keys pointing at real parents -------------

_TEXT = string.ascii_letters + string.digits + " -_.'\"\\/\n\t" + "éß华语"


def _value(column: Column[Any], rng: random.Random) -> Any:
    kind = column.type
    if column.nullable and not column.primary_key and rng.random() < 0.25:
        return None
    if isinstance(kind, Boolean):
        return rng.random() < 0.5
    if isinstance(kind, BigInteger):
        return 10**15 + rng.randrange(10**15)
    if isinstance(kind, Integer):
        return rng.randrange(2**31)
    if isinstance(kind, DateTime):
        moment = datetime(2020, 1, 1) + timedelta(seconds=rng.randrange(10**8))
        return moment.replace(microsecond=rng.randrange(10**6))
    if isinstance(kind, String):
        length = min(kind.length or 300, 40)
        return "".join(rng.choice(_TEXT) for _ in range(rng.randint(length // 2, length)))
    raise AssertionError(f"no synthetic value for {column}")


def _row(
    table: Table, parents: dict[str, list[dict[str, Any]]], rng: random.Random
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in table.columns:
        reference = next(iter(column.foreign_keys), None)
        if reference is None:
            row[column.name] = _value(column, rng)
        else:
            parent = rng.choice(parents[reference.column.table.name])
            row[column.name] = parent[reference.column.name]
    return row


def synthetic_rows(per_table: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Up to ``per_table`` rows in every state table, unique keys, valid foreign keys."""
    rng = random.Random(seed)
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in state_tables():
        key = [column.name for column in table.primary_key.columns]
        made: dict[tuple[Any, ...], dict[str, Any]] = {}
        for _ in range(per_table * 3):
            row = _row(table, rows, rng)
            made.setdefault(tuple(row[name] for name in key), row)
            if len(made) == per_table:
                break
        rows[table.name] = list(made.values())
    return rows


def insert_rows(store: Store, rows: dict[str, list[dict[str, Any]]]) -> None:
    with store.transaction(write=True) as conn:
        for table in state_tables():
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])


# --- the admin API over HTTP -------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any
    headers: dict[str, str]


def admin_call(
    server: RunningServer,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = ADMIN_TOKEN,
    raw_body: bytes | None = None,
) -> Reply:
    """One request to ``/_imageshare/<path>``; errors are returned, not raised."""
    data = raw_body if raw_body is not None else None if body is None else json.dumps(body)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(
        f"{server.url}/_imageshare/{path}",
        data=data.encode() if isinstance(data, str) else data,
        headers={"Content-Type": "application/json", **headers},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, json.loads(response.read()), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Reply(error.code, json.loads(error.read()), dict(error.headers))
