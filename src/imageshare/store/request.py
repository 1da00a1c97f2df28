"""A request's transactions, as each database runs them: ``Store.request(...)`` returns the
scope for the store's database, and the pipeline calls its steps in the documented order
(authenticate, authorise, act) without knowing which database it is.

- SQLite (``request_sqlite``), one writer per file: authentication and authorisation in a
  read transaction; the nonce claimed in the ledger file in between; a read acts in the same
  read transaction, a change in a ``BEGIN IMMEDIATE`` one holding the lock for the
  ClientToken claim and the change alone.
- PostgreSQL (``request_postgres``), row locks: a change is one transaction for all of it
  (fewest round trips), its nonce claimed again on its own if it fails after
  authentication; a read runs without a transaction.

Either way a change and its ClientToken claim commit together, and a request refused after
authentication has used up its nonce, as at the real gateway.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, TypeVar

from sqlalchemy import Connection

from imageshare.store.health import is_unavailable
from imageshare.store.statement import Db
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

T = TypeVar("T")
Step = Callable[[UnitOfWork], T]


@frozen
class Nonce:
    """A request's replay-protection claim: this key's nonce, first seen ``now``."""

    access_key_id: str
    nonce: str
    now: datetime


def forgettable_before(now: datetime, max_skew: timedelta) -> datetime:
    """Nonces first seen before this can never be replayed: a request carrying one has a
    timestamp older than the clock skew allows (twice the skew, and a minute for drift)."""
    return now - 2 * max_skew - timedelta(minutes=1)


class Connections(Protocol):
    """Where a scope takes its connection (this thread's kept one) and gives it back."""

    def checkout(self) -> Connection: ...

    def release(self, conn: Connection) -> None: ...


class RequestScope(ABC):
    """``with store.request(nonce, changes=...) as scope:`` then ``authenticate``, ``read``
    (authorisation) and ``act``, each given a function of the unit of work to run in.

    A plain context manager (no generator): it runs on every request."""

    def __init__(self, connections: Connections, nonce: Nonce, *, changes: bool) -> None:
        self._connections = connections
        self._nonce = nonce
        self._changes = changes

    def __enter__(self) -> RequestScope:
        self._conn = self._connections.checkout()
        try:
            self._begin(Db(self._conn.connection, self._conn.dialect))
        except BaseException as error:
            if is_unavailable(error):
                self._conn.invalidate()
            self._connections.release(self._conn)
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._end(exc)
        finally:
            if exc is not None and is_unavailable(exc):
                self._conn.invalidate()  # lost or broken: not kept for the next request
            self._connections.release(self._conn)

    @abstractmethod
    def _begin(self, db: Db) -> None:
        """Open the scope's first transaction on ``db``."""

    @abstractmethod
    def _end(self, exc: BaseException | None) -> None:
        """Close what is open; ``exc``: the request's error, if any."""

    @abstractmethod
    def authenticate(self, check: Step[T]) -> T:
        """Run ``check`` (the key and the signature; it writes nothing), then claim the nonce.

        :raises SignatureNonceUsed: the key has used the nonce before.
        """

    @abstractmethod
    def read(self, step: Step[T]) -> T:
        """Run ``step``, which only reads (authorisation), after authentication and before the
        action; on SQLite before the write lock is taken."""

    @abstractmethod
    def act(self, step: Step[T]) -> T:
        """Run the action; ``step`` commits the unit of work it is given."""
