"""The two MetaData the tables belong to: the emulated state, and the nonce ledger."""

from __future__ import annotations

from sqlalchemy import MetaData

metadata = MetaData()

# Replay protection is bookkeeping, not emulated state: nonces are never exported, imported,
# reset or restored, so restoring a snapshot cannot let a request be replayed. PostgreSQL keeps
# them in its schema and claims them in the request's own transaction; SQLite keeps them in a
# database file of their own beside the main one (Store.nonce_ledger, docs/architecture.md).
ledger_metadata = MetaData()
