"""ClientToken records: the first response to a token, replayed for its retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from imageshare.store.dialect import insert_ignore
from imageshare.store.tables import idempotency_records as records


@dataclass(frozen=True)
class IdempotencyRecord:
    params_hash: str
    response: str | None


class IdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(
        self, account_id: int, action: str, token: str, params_hash: str, now: datetime
    ) -> IdempotencyRecord | None:
        """Claim a token for this request; None if claimed, else the earlier request's record."""
        row = {
            "account_id": account_id,
            "action": action,
            "client_token": token,
            "params_hash": params_hash,
            "response": None,
            "created_at": now,
        }
        if insert_ignore(self._conn, records, row):
            return None
        query = select(records.c.params_hash, records.c.response).where(
            records.c.account_id == account_id,
            records.c.action == action,
            records.c.client_token == token,
        )
        found = self._conn.execute(query).one()
        return IdempotencyRecord(found.params_hash, found.response)

    def complete(self, account_id: int, action: str, token: str, response: str) -> None:
        query = (
            update(records)
            .where(
                records.c.account_id == account_id,
                records.c.action == action,
                records.c.client_token == token,
            )
            .values(response=response)
        )
        self._conn.execute(query)
