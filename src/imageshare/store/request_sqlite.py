"""SQLite's request scope and its nonce rules.

SQLite lets one transaction write at a time, so a request holds the write lock for as little
as it can: the key, the signature and the caller's permissions are checked in a read
transaction; the nonce is claimed in the ledger (``store/ledger.py``, a file and transaction
of its own) right after authentication, before the action runs, so a replay is refused first
and a request that fails later has still used up its nonce; then a read acts in the same
read transaction, and a change in a ``BEGIN IMMEDIATE`` transaction holding the lock for the
ClientToken claim and the change alone. A read writes nothing to the main file.
"""

from __future__ import annotations

from imageshare.errors import SignatureNonceUsed
from imageshare.store.ledger import NonceLedger
from imageshare.store.request import Connections, Nonce, RequestScope, Step, T
from imageshare.store.statement import Db
from imageshare.store.uow import UnitOfWork


class SqliteRequest(RequestScope):
    def __init__(
        self, connections: Connections, ledger: NonceLedger, nonce: Nonce, *, changes: bool
    ) -> None:
        super().__init__(connections, nonce, changes=changes)
        self._ledger = ledger
        self._reading: UnitOfWork | None = None

    def _begin(self, db: Db) -> None:
        self._db = db
        self._reading = UnitOfWork(db, write=False).__enter__()

    def authenticate(self, check: Step[T]) -> T:
        found = check(self._read_transaction())
        nonce = self._nonce
        if not self._ledger.claim(nonce.access_key_id, nonce.nonce, nonce.now):
            raise SignatureNonceUsed()
        return found

    def read(self, step: Step[T]) -> T:
        return step(self._read_transaction())

    def act(self, step: Step[T]) -> T:
        if not self._changes:
            return step(self._read_transaction())
        self._end_reading()
        with UnitOfWork(self._db, write=True) as uow:
            return step(uow)

    def _end(self, exc: BaseException | None) -> None:
        self._end_reading()

    def _read_transaction(self) -> UnitOfWork:
        if self._reading is None:
            raise RuntimeError("the read transaction ended when the change began")
        return self._reading

    def _end_reading(self) -> None:
        if self._reading is not None:
            self._reading.__exit__(None, None, None)
            self._reading = None
