"""The database behind one server or admin command: its engine, each thread's kept
connection, units of work, request scopes, and Core transactions for admin code."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine

from imageshare.store.engine import (
    PING_AFTER_IDLE_SECONDS,
    WRITE_OPTION,
    answers_ping,
    driver_in_transaction,
)
from imageshare.store.ledger import NonceLedger, ledger_path, period_for
from imageshare.store.request import Nonce, RequestScope
from imageshare.store.request_postgres import PostgresNonces, PostgresRequest
from imageshare.store.request_sqlite import SqliteRequest
from imageshare.store.statement import Db
from imageshare.store.trail_buffer import TrailBuffer
from imageshare.store.uow import UnitOfWork


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite lets one transaction write at a time; PostgreSQL locks rows.
        self.single_writer = engine.dialect.name == "sqlite"
        self._idle = threading.local()  # this thread's kept connection, if any, and since when
        self._kept: list[Connection] = []  # every thread's, for dispose()
        self._kept_lock = threading.Lock()
        self._ledger: NonceLedger | None = None
        self._pg_nonces: PostgresNonces | None = None
        # Audit events of reads and failed calls, written in batches (store/trail_buffer.py).
        self.trail = TrailBuffer(self, self.now)

    def now(self) -> datetime:
        """The server's time (store/clock.py), for work outside a request: a request reads it
        with its credential instead."""
        with self.unit_of_work() as uow:
            return uow.clock.now()

    def keep_nonces(self, max_skew: timedelta) -> None:
        """Get ready to claim signature nonces for requests up to ``max_skew`` old: on SQLite
        open the ledger beside the database (``store/ledger.py``), on PostgreSQL count claims
        for pruning. Called once, before the first ``request``.

        :raises LedgerMismatch: SQLite's ledger was made for a shorter clock skew.
        """
        if self.single_writer:
            self.nonce_ledger(period_for(max_skew))
        else:
            self._pg_nonces = PostgresNonces(max_skew)

    def nonce_ledger(self, period_seconds: int) -> NonceLedger:
        """SQLite: the signature nonces' own file, opened on first use.

        :raises LedgerMismatch: the ledger was made for a shorter period.
        """
        with self._kept_lock:
            if self._ledger is None:
                self._ledger = NonceLedger(ledger_path(self.engine.url), period_seconds)
            return self._ledger

    def request(self, nonce: Nonce, *, changes: bool) -> RequestScope:
        """One request's transactions on this thread's connection (``store/request.py``), as
        ``with store.request(...) as scope``; ``changes``: the request is a routed, valid
        call of an action that changes state."""
        if self._ledger is not None:
            return SqliteRequest(self, self._ledger, nonce, changes=changes)
        if self._pg_nonces is not None:
            return PostgresRequest(self, self._pg_nonces, nonce, changes=changes)
        raise RuntimeError("call Store.keep_nonces before the first request")

    @contextmanager
    def unit_of_work(
        self, *, write: bool = False, connection: Connection | None = None
    ) -> Iterator[UnitOfWork]:
        """A transaction of its own (``with ... as uow``), on a pooled connection or on
        ``connection``, which it leaves open."""
        if connection is not None:
            with UnitOfWork(_db(connection), write=write) as uow:
                yield uow
            return
        with self.engine.connect() as conn, UnitOfWork(_db(conn), write=write) as uow:
            yield uow

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """A plain Core transaction for admin, CLI and state code, committed if the block
        ends without an error; ``write`` takes SQLite's write lock first."""
        engine = self.engine.execution_options(**{WRITE_OPTION: True}) if write else self.engine
        with engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """This thread's connection, for a request's transactions (or a unit of work's).

        Each thread keeps the connection it used last, so back-to-back requests skip the
        pool: checking out and returning cost a tenth of a request on SQLite, and on
        PostgreSQL more than a round trip (docs/performance.md). A PostgreSQL connection can
        go stale (the server restarted, or cut it): one kept unused for a while is pinged
        before use, as the pool does on checkout, and replaced if the server is gone.
        """
        conn = self.checkout()
        try:
            yield conn
        finally:
            self.release(conn)

    def checkout(self) -> Connection:
        """This thread's kept connection (or a new one); give it back with ``release``."""
        conn: Connection | None = getattr(self._idle, "connection", None)
        self._idle.connection = None
        if conn is not None and not self.single_writer:  # a SQLite connection cannot go stale
            conn = self._unless_gone(conn)
        return conn or self.engine.connect()

    def _unless_gone(self, conn: Connection) -> Connection | None:
        """``conn`` if it was used a moment ago or answers a ping; else None, and it is closed."""
        if time.monotonic() - self._idle.since < PING_AFTER_IDLE_SECONDS:
            return conn
        if answers_ping(self.engine, conn.connection.dbapi_connection):
            return conn
        self._forget(conn)
        conn.invalidate()
        conn.close()
        return None

    def release(self, conn: Connection) -> None:
        """Keep ``conn`` for this thread's next request, unless it is unusable."""
        reusable = (
            not conn.invalidated and not conn.in_transaction() and not driver_in_transaction(conn)
        )
        if not reusable:
            self._forget(conn)
            conn.close()
            return
        if conn not in self._kept:
            with self._kept_lock:
                self._kept.append(conn)
        self._idle.connection = conn
        self._idle.since = time.monotonic()

    def _forget(self, conn: Connection) -> None:
        with self._kept_lock:
            if conn in self._kept:
                self._kept.remove(conn)

    def dispose(self) -> None:
        """Close every kept connection (of every thread), the nonce ledger's too, then the
        pool."""
        self.trail.close()
        with self._kept_lock:
            kept, self._kept = self._kept, []
        if self._ledger is not None:
            self._ledger.close()  # each thread opens its connection again on its next claim
        for conn in kept:
            conn.close()
        self._idle = threading.local()
        self.engine.dispose()


def _db(conn: Connection) -> Db:
    return Db(conn.connection, conn.dialect)
