"""SQLite: the tables every request writes keep their rows in their primary key.

On SQLite a table with a composite text primary key is two B-trees, the rows by rowid and
the key's index; every insert dirties a page in each, and each dirty page is written to the
WAL at commit, about 10 us apiece on the benchmark machine (docs/performance.md). A WITHOUT
ROWID table is the key's B-tree alone. Signature nonces (every request), ClientToken records
and shares (every change) are rebuilt that way; nothing else changes, and PostgreSQL not at all.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Connection, text

revision = "0006"
down_revision = "0005"

_TABLES = ("signature_nonces", "idempotency_records", "image_shares")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for name in _TABLES:
        _rebuild_without_rowid(conn, name)


def _rebuild_without_rowid(conn: Connection, name: str) -> None:
    """SQLite's own recipe for changing a table: create the new one beside it, copy, drop,
    rename, then re-create the indexes from their stored definitions."""
    create = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": name},
    ).scalar_one()
    indexes = conn.execute(
        text(
            "SELECT sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = :name AND sql IS NOT NULL"
        ),
        {"name": name},
    ).scalars()
    index_sql = list(indexes)
    rebuilt = f"{name}_rebuilt"
    head = f"CREATE TABLE {name} "
    if not create.startswith(head):
        raise RuntimeError(f"unexpected definition of {name}: {create[:60]!r}")
    conn.execute(text(f"CREATE TABLE {rebuilt} {create[len(head) :]} WITHOUT ROWID"))
    conn.execute(text(f"INSERT INTO {rebuilt} SELECT * FROM {name}"))
    conn.execute(text(f"DROP TABLE {name}"))
    conn.execute(text(f"ALTER TABLE {rebuilt} RENAME TO {name}"))
    for sql in index_sql:
        conn.execute(text(sql))
