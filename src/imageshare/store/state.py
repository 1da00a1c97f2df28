"""The whole emulated state as one JSON document: export, import, reset, named snapshots.

Generic over ``metadata.sorted_tables``: a table added to ``store/tables/`` is exported, imported
and reset without a change here, provided each of its column types has a codec in
``imageshare.store.state_codec`` (a test walks every column, so a new type fails CI, not a user).
Only imageshare's own bookkeeping is left out: the snapshots themselves (a snapshot never
contains snapshots, and a restore keeps them) and Alembic's version table (not in metadata).

The document (docs/admin.md)::

    {"format": "imageshare-state", "format_version": 1, "schema_revision": "0005",
     "exported_at": "...Z", "tables": {"accounts": [{"id": 1..., "site": "china", ...}], ...}}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Delete, Engine, Table, delete, func, insert, select, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.sql.compiler import IdentifierPreparer

from imageshare.store.dialect import insert_ignore
from imageshare.store.state_codec import StateFormatError, decode_rows, encode_row
from imageshare.store.tables import access_keys, accounts, imageshare_snapshots, metadata
from imageshare.values import frozen

FORMAT = "imageshare-state"
FORMAT_VERSION = 1

NOT_STATE = frozenset({imageshare_snapshots.name})

Rows = list[dict[str, Any]]


class SchemaMismatch(StateFormatError):
    """The document was exported from a database at another schema revision."""

    code, status = "SchemaMismatch", 409


def state_tables(tables: Iterable[Table] | None = None) -> list[Table]:
    """Every state table, parents before children (the order inserts need)."""
    chosen = metadata.sorted_tables if tables is None else list(tables)
    return [table for table in chosen if table.name not in NOT_STATE]


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision of the database behind ``conn``, read inside its transaction."""
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def consistent_read(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction that sees every table at one moment.

    SQLite in WAL mode reads from one snapshot once a transaction has begun; PostgreSQL's
    default READ COMMITTED would let a commit land between two tables, so ask for more.
    """
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        conn.begin()
        try:
            yield conn
        finally:
            conn.rollback()


def export_state(conn: Connection, tables: Sequence[Table] | None = None) -> dict[str, Any]:
    """The whole state as a JSON-ready document; rows sorted by primary key, so two exports of
    equal states are equal whatever the backend's collation."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(conn),
        "exported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "tables": {table.name: dump_table(conn, table) for table in state_tables(tables)},
    }


def dump_table(conn: Connection, table: Table) -> Rows:
    key = [column.name for column in table.primary_key.columns] or list(table.columns.keys())
    rows = [encode_row(table, row._mapping) for row in conn.execute(select(table))]
    # Sorted here, not by ORDER BY: PostgreSQL's collation and SQLite's byte order disagree.
    return sorted(rows, key=lambda row: tuple(_sort_key(row[name]) for name in key))


def _sort_key(value: Any) -> tuple[bool, Any]:
    return (value is not None, value)


def import_state(
    conn: Connection, document: Any, tables: Sequence[Table] | None = None
) -> dict[str, int]:
    """Replace the whole state with the document's rows; returns the row count per table.

    Everything is checked before the first write, and the caller's transaction makes the
    replacement all or nothing.

    :raises StateFormatError: the document is malformed or its rows break a constraint.
    :raises SchemaMismatch: the document comes from another schema revision.
    """
    chosen = state_tables(tables)
    rows = parse_document(document, chosen, schema_revision(conn))
    delete_state(conn, chosen)
    try:
        for table in chosen:
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])
    except (IntegrityError, DataError) as exc:
        raise StateFormatError(f"the rows break a rule of the schema: {exc.orig}") from None
    _resync_sequences(conn, chosen)
    return {name: len(table_rows) for name, table_rows in rows.items()}


def parse_document(document: Any, tables: Sequence[Table], revision: str | None) -> dict[str, Rows]:
    """Check an export document against the schema; returns decoded rows for every table.

    :raises StateFormatError: not an imageshare state document, or a bad table, row or value.
    :raises SchemaMismatch: ``schema_revision`` differs from ``revision``.
    """
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        raise StateFormatError(f'not an imageshare state document: "format" must be "{FORMAT}"')
    if document.get("format_version") != FORMAT_VERSION:
        raise StateFormatError(
            f'"format_version" {document.get("format_version")!r} is not supported: '
            f"this imageshare reads version {FORMAT_VERSION}"
        )
    if document.get("schema_revision") != revision:
        raise SchemaMismatch(
            f"the state was exported at schema revision {document.get('schema_revision')!r} "
            f"but this database is at {revision!r}: import it into an imageshare of the same "
            "version (or upgrade that one first with `imageshare db upgrade` and export again)"
        )
    found = document.get("tables")
    if not isinstance(found, Mapping):
        raise StateFormatError('"tables" must be an object of table name to rows')
    by_name = {table.name: table for table in tables}
    unknown = sorted(set(found) - set(by_name))
    if unknown:
        raise StateFormatError(f"unknown tables {unknown}: this schema has {sorted(by_name)}")
    return {name: decode_rows(table, found.get(name, [])) for name, table in by_name.items()}


def delete_state(conn: Connection, tables: Sequence[Table] | None = None) -> None:
    """Delete every state row, children before parents, so foreign keys never object."""
    chosen = tuple(state_tables(tables))
    if conn.dialect.name == "postgresql":
        # One round trip: twenty DELETEs each waiting for the server took 5x longer
        # (bench/bench_reset.py). sqlite3 runs one statement per call, and has no network.
        conn.exec_driver_sql(_delete_script(conn.dialect.identifier_preparer, chosen))
        return
    for statement in _deletes(chosen):
        conn.execute(statement)


@cache
def _deletes(tables: tuple[Table, ...]) -> tuple[Delete, ...]:
    # Built once: constructing ~20 statements per reset cost more than running them (bench/).
    return tuple(delete(table) for table in reversed(tables))


@cache
def _delete_script(preparer: IdentifierPreparer, tables: tuple[Table, ...]) -> str:
    return "; ".join(f"DELETE FROM {preparer.format_table(table)}" for table in reversed(tables))


def reset_state(conn: Connection, *, keep_demo: bool) -> int | None:
    """Back to the state ``serve`` starts from; returns the demo account kept, if any.

    With ``keep_demo`` the demo account and its root keys survive unchanged, so the key the
    banner printed keeps working (docs/admin.md); everything else goes.
    """
    kept = _demo_rows(conn) if keep_demo else {}
    delete_state(conn)
    for table in (accounts, access_keys):
        if kept.get(table.name):
            conn.execute(insert(table), kept[table.name])
    demo = kept.get(accounts.name)
    return int(demo[0]["id"]) if demo else None


def _demo_rows(conn: Connection) -> dict[str, Rows]:
    demo = [dict(r._mapping) for r in conn.execute(select(accounts).where(accounts.c.is_demo))]
    if not demo:
        return {}
    ids = [row["id"] for row in demo]
    keys = select(access_keys).where(
        access_keys.c.account_id.in_(ids), access_keys.c.user_name.is_(None)
    )
    return {
        accounts.name: demo,
        access_keys.name: [dict(row._mapping) for row in conn.execute(keys)],
    }


def _resync_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    # Rows arrive with their ids; a PostgreSQL serial column's sequence must then move past
    # them or the next ordinary insert collides. SQLite derives the next rowid from the data.
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
            )
        )


@frozen
class SnapshotInfo:
    name: str
    schema_revision: str
    created_at: datetime
    size_bytes: int


class StateSnapshotRepository:
    """Named exports kept in the database, so every server process sees the same ones."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, name: str, revision: str, created_at: datetime, payload: str) -> bool:
        """Save a new snapshot; False, and nothing changed, when the name is taken."""
        row = {
            "name": name,
            "schema_revision": revision,
            "created_at": created_at,
            "payload": payload,
        }
        return insert_ignore(self._conn, imageshare_snapshots, row)

    def delete(self, name: str) -> bool:
        query = delete(imageshare_snapshots).where(imageshare_snapshots.c.name == name)
        return self._conn.execute(query).rowcount > 0

    def payload(self, name: str) -> str | None:
        query = select(imageshare_snapshots.c.payload).where(imageshare_snapshots.c.name == name)
        found: str | None = self._conn.execute(query).scalar_one_or_none()
        return found

    def list(self) -> list[SnapshotInfo]:
        table = imageshare_snapshots
        query = select(
            table.c.name,
            table.c.schema_revision,
            table.c.created_at,
            # Payloads are ASCII JSON, so characters are bytes.
            func.length(table.c.payload).label("size_bytes"),
        ).order_by(table.c.created_at, table.c.name)
        return [SnapshotInfo(**row._mapping) for row in self._conn.execute(query)]
