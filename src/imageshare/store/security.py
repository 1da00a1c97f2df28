"""Replay protection (signature nonces) and STS temporary credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select

from imageshare.store.dialect import insert_ignore
from imageshare.store.tables import security_tokens, signature_nonces


@dataclass(frozen=True)
class SecurityToken:
    access_key_id: str
    account_id: int
    secret: str
    token: str
    principal: str
    expires_at: datetime


class NonceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(self, access_key_id: str, nonce: str, now: datetime) -> bool:
        """Record a nonce; False when this key has used it before."""
        row = {"access_key_id": access_key_id, "nonce": nonce, "created_at": now}
        return insert_ignore(self._conn, signature_nonces, row)

    def forget_before(self, cutoff: datetime) -> int:
        query = delete(signature_nonces).where(signature_nonces.c.created_at < cutoff)
        return self._conn.execute(query).rowcount


class SecurityTokenRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, access_key_id: str) -> SecurityToken | None:
        query = select(security_tokens).where(security_tokens.c.access_key_id == access_key_id)
        row = self._conn.execute(query).first()
        return SecurityToken(**row._mapping) if row else None
