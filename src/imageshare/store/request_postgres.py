"""PostgreSQL's request scope and its nonce rules, all of them.

PostgreSQL locks rows, not the database, and every statement is a round trip: a change is
one transaction for the key lookup, the nonce claim, the authorisation, the ClientToken claim
and the change; if it fails after authentication, its nonce claim rolled back with it and is
made again on its own, so the request has used it up as at the real gateway. A read runs
without a transaction (each statement commits on its own; at READ COMMITTED each sees its own
snapshot anyway), its nonce claim committing as it is made.

Nonces live in the ``signature_nonces`` table; every thousandth request deletes those that can
no longer be replayed (``forgettable_before``).
"""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta

from sqlalchemy import delete

from imageshare.errors import SignatureNonceUsed
from imageshare.store.request import (
    Connections,
    Nonce,
    RequestScope,
    Step,
    T,
    forgettable_before,
)
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import bind, insert_if_new
from imageshare.store.tables import signature_nonces
from imageshare.store.uow import UnitOfWork

log = logging.getLogger("imageshare.store")

PRUNE_EVERY = 1000

_n = signature_nonces.c
# RETURNING, not rowcount, tells whether the row went in: psycopg reports no rowcount for
# ON CONFLICT DO NOTHING. A concurrent claim of the same nonce waits for the first transaction.
CLAIM = insert_if_new(signature_nonces)
FORGET_BEFORE = Statement(
    delete(signature_nonces).where(_n.created_at < bind(_n.created_at, "cutoff"))
)


class PostgresNonces:
    """The claims of one server process; its count decides when to prune."""

    def __init__(self, max_skew: timedelta) -> None:
        self._max_skew = max_skew
        self._requests = itertools.count(1)

    def claim(self, db: Db, nonce: Nonce) -> None:
        """:raises SignatureNonceUsed:"""
        row = {"access_key_id": nonce.access_key_id, "nonce": nonce.nonce, "created_at": nonce.now}
        if not CLAIM.rows(db, row):
            raise SignatureNonceUsed()
        if next(self._requests) % PRUNE_EVERY == 0:
            FORGET_BEFORE.run(db, {"cutoff": forgettable_before(nonce.now, self._max_skew)})

    def keep(self, db: Db, nonce: Nonce) -> None:
        """Claim again, in a transaction of its own, the nonce of a change that failed after
        authentication (its claim rolled back with it)."""
        try:
            with UnitOfWork(db, write=True) as uow:
                row = {"access_key_id": nonce.access_key_id, "nonce": nonce.nonce}
                CLAIM.rows(uow.db, {**row, "created_at": nonce.now})
                uow.commit()
        except Exception:  # the request's own error is the one to report
            log.exception("could not record the nonce of a failed request")


class PostgresRequest(RequestScope):
    def __init__(
        self, connections: Connections, nonces: PostgresNonces, nonce: Nonce, *, changes: bool
    ) -> None:
        super().__init__(connections, nonce, changes=changes)
        self._nonces = nonces
        self._authenticated = False

    def _begin(self, db: Db) -> None:
        changes = self._changes
        self._uow = UnitOfWork(db, write=changes, autocommit=not changes).__enter__()

    def authenticate(self, check: Step[T]) -> T:
        found = check(self._uow)
        self._authenticated = True
        self._nonces.claim(self._uow.db, self._nonce)
        return found

    def read(self, step: Step[T]) -> T:
        return step(self._uow)

    def act(self, step: Step[T]) -> T:
        return step(self._uow)

    def _end(self, exc: BaseException | None) -> None:
        self._uow.__exit__(type(exc) if exc else None, exc, None)
        failed = isinstance(exc, Exception) and not isinstance(exc, SignatureNonceUsed)
        if failed and self._changes and self._authenticated:
            self._nonces.keep(self._uow.db, self._nonce)
