"""imageshare's own bookkeeping, not emulated state: signature nonces, ClientToken records,
named state snapshots, the audit trail."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    String,
    Table,
    Text,
)

from imageshare.store.tables.common import ledger_metadata, metadata

signature_nonces = Table(
    "signature_nonces",
    ledger_metadata,
    Column("access_key_id", String(64), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_signature_nonces_created_at", "created_at"),
    # SQLite: rows kept in the key's B-tree, one page less per insert (migration 0006).
    sqlite_with_rowid=False,
)

idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("action", String(128), primary_key=True),
    Column("client_token", String(64), primary_key=True),
    Column("params_hash", String(64), nullable=False),
    # NULL while the first request holding the token is still running.
    Column("response", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    # Records past the window are pruned by age, a batch at a time (migration 0011).
    Index("ix_idempotency_records_created_at", "created_at"),
    sqlite_with_rowid=False,
)

# Named snapshots of the whole state (docs/admin.md). Kept in the database so every server
# process sees them; never part of an export, a reset or a restore itself.
imageshare_snapshots = Table(
    "imageshare_snapshots",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("schema_revision", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # The export document (docs/admin.md), as compact JSON text.
    Column("payload", Text, nullable=False),
)

# The audit trail (ActionTrail's event history, docs/actiontrail.md): one row per API call of
# an authenticated caller, the event itself as JSON beside the columns LookupEvents filters on.
# No foreign key: an account's events outlive nothing, but they need no account to be read.
trail_events = Table(
    "trail_events",
    metadata,
    # One B-tree on SQLite (WITHOUT ROWID): an event per read is written, so each costs one
    # insert; LookupEvents reads one account's events in time order, the key's own order.
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),
    Column("event_time", DateTime, primary_key=True),
    Column("event_id", String(64), primary_key=True),  # the call's RequestId
    Column("event_name", String(128), nullable=False),
    Column("event_rw", String(8), nullable=False),  # "Read" or "Write"
    Column("service_name", String(32), nullable=False),
    Column("resource_type", String(64), nullable=True),
    Column("resource_name", String(256), nullable=True),
    Column("access_key_id", String(128), nullable=False),
    Column("user_name", String(160), nullable=False),
    # The rest of the event as JSON (pipeline/audit.py: event_row, expand).
    Column("body", Text, nullable=False),
    sqlite_with_rowid=False,
)
