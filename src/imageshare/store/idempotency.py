"""ClientToken records: the first response to a token, replayed for its retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from imageshare.store.prepared import Prepared
from imageshare.store.tables import idempotency_records as records


@dataclass(frozen=True)
class IdempotencyRecord:
    params_hash: str
    response: str | None


_KEY = and_(
    records.c.account_id == bindparam("key_account_id"),
    records.c.action == bindparam("key_action"),
    records.c.client_token == bindparam("key_client_token"),
)
# Every write with a ClientToken runs the claim and the completion, so they are prepared
# once per dialect and skip SQLAlchemy's execution machinery (docs/performance.md).
# RETURNING tells whether the claim went in (psycopg reports no rowcount for ON CONFLICT).
_CLAIM = Prepared(
    {
        "sqlite": sqlite.insert(records).on_conflict_do_nothing().returning(records.c.client_token),
        "postgresql": postgresql.insert(records)
        .on_conflict_do_nothing()
        .returning(records.c.client_token),
    },
    columns=("account_id", "action", "client_token", "params_hash", "response", "created_at"),
)
_EARLIER = Prepared(select(records.c.params_hash, records.c.response).where(_KEY))
_COMPLETE = Prepared(update(records).where(_KEY).values(response=bindparam("completed_response")))


class IdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def claim(
        self, account_id: int, action: str, token: str, params_hash: str, now: datetime
    ) -> IdempotencyRecord | None:
        """Claim a token for this request; None if claimed, else the earlier request's record.

        On PostgreSQL a concurrent claim of the same token waits for the first transaction.
        """
        row = {
            "account_id": account_id,
            "action": action,
            "client_token": token,
            "params_hash": params_hash,
            "response": None,
            "created_at": now,
        }
        if _CLAIM.rows(self._conn, row):
            return None
        [(params, response)] = _EARLIER.rows(self._conn, _key(account_id, action, token))
        return IdempotencyRecord(params, response)

    def complete(self, account_id: int, action: str, token: str, response: str) -> None:
        key = _key(account_id, action, token)
        _COMPLETE.rows(self._conn, {**key, "completed_response": response})


def _key(account_id: int, action: str, token: str) -> dict[str, object]:
    return {"key_account_id": account_id, "key_action": action, "key_client_token": token}
