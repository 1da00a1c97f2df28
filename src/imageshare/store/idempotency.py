"""ClientToken records: the first response to a token, replayed for its retries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, select, tuple_, update

from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import LIMIT, bind, insert_if_new
from imageshare.store.tables import idempotency_records as records
from imageshare.values import frozen


@frozen
class IdempotencyRecord:
    params_hash: str
    response: str | None


_r = records.c
_KEY = and_(
    _r.account_id == bind(_r.account_id),
    _r.action == bind(_r.action),
    _r.client_token == bind(_r.client_token),
)
# Every write with a ClientToken runs the claim and the completion.
_CLAIM = insert_if_new(records)
_EARLIER = Statement(select(_r.params_hash, _r.response, _r.created_at).where(_KEY))
# A token past its window is claimed again, as if new (only when a claim finds it).
_RECLAIM = Statement(
    update(records)
    .where(_KEY)
    .values(
        params_hash=bind(_r.params_hash),
        response=bind(_r.response),
        created_at=bind(_r.created_at),
    )
)
_COMPLETE = Statement(update(records).where(_KEY).values(response=bind(_r.response)))


# The oldest expired records, a batch at a time, through ix_idempotency_records_created_at.
_FORGET = Statement(
    delete(records).where(
        tuple_(records.c.account_id, records.c.action, records.c.client_token).in_(
            select(records.c.account_id, records.c.action, records.c.client_token)
            .where(records.c.created_at < bind(records.c.created_at, "cutoff"))
            .order_by(records.c.created_at)
            .limit(LIMIT)
        )
    )
)


class IdempotencyRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def claim(
        self,
        account_id: int,
        action: str,
        token: str,
        params_hash: str,
        now: datetime,
        expired_before: datetime | None = None,
    ) -> IdempotencyRecord | None:
        """Claim a token for this request; None if claimed, else the earlier request's record.
        A record made before ``expired_before`` (the window, on the server's clock) is past
        its window: claimed again, whether or not pruning has deleted it yet.

        On PostgreSQL a concurrent claim of the same token waits for the first transaction.
        """
        key = _key(account_id, action, token)
        row = {**key, "params_hash": params_hash, "response": None, "created_at": now}
        if _CLAIM.rows(self._db, row):
            return None
        [(params, response, created_at)] = _EARLIER.rows(self._db, key)
        if expired_before is not None and created_at < expired_before:
            _RECLAIM.run(self._db, row)
            return None
        return IdempotencyRecord(params, response)

    def forget_before(self, cutoff: datetime, limit: int) -> int:
        """Delete at most ``limit`` records made before ``cutoff``, oldest first (by the
        index on their creation time); returns how many went."""
        return _FORGET.run(self._db, {"cutoff": cutoff, "limit": limit})

    def complete(self, account_id: int, action: str, token: str, response: str) -> None:
        _COMPLETE.run(self._db, {**_key(account_id, action, token), "response": response})


def _key(account_id: int, action: str, token: str) -> dict[str, object]:
    return {"account_id": account_id, "action": action, "client_token": token}
