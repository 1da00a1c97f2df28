"""SQLite: signature nonces leave the main database file for a file of their own.

Every request, a read too, claimed its nonce in the main file. Any commit there makes SQLite
drop the page cache of every other connection at its next transaction, so with two workers
each read was paid for again by the other (docs/performance.md, third round). Nonces now live
in ``<database>-nonces`` (``Store.nonce_ledger``, ``store/ledger.py``), created on first use;
the main file changes only when the state does. The nonces of the last 15 minutes are not
carried over: after the upgrade a request signed before it could be replayed once within its
timestamp window. PostgreSQL keeps the table, claimed in the request's own transaction.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_table("signature_nonces")  # its index goes with it
