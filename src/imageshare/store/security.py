"""Replay protection (signature nonces) and STS temporary credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from imageshare.store.prepared import Prepared
from imageshare.store.tables import security_tokens, signature_nonces


@dataclass(frozen=True)
class SecurityToken:
    access_key_id: str
    account_id: int
    secret: str
    token: str
    principal: str
    expires_at: datetime


# Every request claims a nonce, so the statement is prepared once per dialect and skips
# SQLAlchemy's execution machinery (docs/performance.md). RETURNING, not rowcount, tells
# whether the row went in: psycopg reports no rowcount for ON CONFLICT DO NOTHING.
_CLAIM_NONCE = Prepared(
    {
        "sqlite": sqlite.insert(signature_nonces)
        .on_conflict_do_nothing()
        .returning(signature_nonces.c.nonce),
        "postgresql": postgresql.insert(signature_nonces)
        .on_conflict_do_nothing()
        .returning(signature_nonces.c.nonce),
    },
    columns=("access_key_id", "nonce", "created_at"),
)


class NonceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(self, access_key_id: str, nonce: str, now: datetime) -> bool:
        """Record a nonce; False when this key has used it before.

        On PostgreSQL a concurrent claim of the same nonce waits for the first transaction.
        """
        row = {"access_key_id": access_key_id, "nonce": nonce, "created_at": now}
        return bool(_CLAIM_NONCE.rows(self._conn, row))

    def forget_before(self, cutoff: datetime) -> int:
        query = delete(signature_nonces).where(signature_nonces.c.created_at < cutoff)
        return self._conn.execute(query).rowcount


class SecurityTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, token: SecurityToken) -> None:
        self._conn.execute(insert(security_tokens).values(**token.__dict__))

    def forget_role(self, role_id: str) -> None:
        """Every session of a role; the stored principal names its role id (encode_session)."""
        pattern = f'%"role_id":"{role_id}"%'
        self._conn.execute(delete(security_tokens).where(security_tokens.c.principal.like(pattern)))

    def get(self, access_key_id: str) -> SecurityToken | None:
        query = select(security_tokens).where(security_tokens.c.access_key_id == access_key_id)
        row = self._conn.execute(query).first()
        return SecurityToken(**row._mapping) if row else None
