"""The unit of work: one transaction, rolled back unless committed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine

from imageshare.store.accounts import AccessKeyRepository, AccountRepository
from imageshare.store.ecd import DesktopRepository
from imageshare.store.ecs_images import EcsImageRepository
from imageshare.store.ecs_instances import EcsInstanceRepository
from imageshare.store.engine import (
    PING_AFTER_IDLE_SECONDS,
    answers_ping,
    begin_on_driver,
    driver_in_transaction,
    refuse_writes_in_reads,
    sqlite_driver,
)
from imageshare.store.idempotency import IdempotencyRepository
from imageshare.store.images import ImageRepository, ShareRepository
from imageshare.store.ledger import NonceLedger, ledger_path
from imageshare.store.ram import RamGroupRepository, RamRoleRepository, RamUserRepository
from imageshare.store.ram_policies import RamAttachmentRepository, RamPolicyRepository
from imageshare.store.security import NonceRepository, SecurityTokenRepository
from imageshare.store.swas import DiskRepository, InstanceRepository, SnapshotRepository

_REPOSITORIES: dict[str, Callable[[Connection], object]] = {
    "accounts": AccountRepository,
    "access_keys": AccessKeyRepository,
    "nonces": NonceRepository,
    "security_tokens": SecurityTokenRepository,
    "idempotency": IdempotencyRepository,
    "images": ImageRepository,
    "shares": ShareRepository,
    "swas_instances": InstanceRepository,
    "swas_disks": DiskRepository,
    "swas_snapshots": SnapshotRepository,
    "ecd_desktops": DesktopRepository,
    "ecs_images": EcsImageRepository,
    "ecs_instances": EcsInstanceRepository,
    "ram_users": RamUserRepository,
    "ram_groups": RamGroupRepository,
    "ram_roles": RamRoleRepository,
    "ram_policies": RamPolicyRepository,
    "ram_attachments": RamAttachmentRepository,
}


class UnitOfWork:
    """``with store.unit_of_work(write=True) as uow: ...; uow.commit()``.

    A read unit of work (``write=False``) is read-only: on SQLite its commit fails if it
    wrote, so an action wrongly marked as a read fails in tests instead of racing SQLite's
    write lock under load. On its
    own it takes a pooled connection and returns it at the end; given ``connection``, it runs
    its transaction on that one and leaves it open, so a request's several transactions
    share one checkout.

    ``autocommit`` (PostgreSQL): no transaction; every statement commits as it runs. For a
    read: at READ COMMITTED each statement sees its own snapshot anyway, so a transaction
    around one bought only its BEGIN and COMMIT, two round trips (docs/performance.md).
    """

    accounts: AccountRepository
    access_keys: AccessKeyRepository
    nonces: NonceRepository  # PostgreSQL; SQLite's are in Store.nonce_ledger
    security_tokens: SecurityTokenRepository
    idempotency: IdempotencyRepository
    images: ImageRepository
    shares: ShareRepository
    swas_instances: InstanceRepository
    swas_disks: DiskRepository
    swas_snapshots: SnapshotRepository
    ecd_desktops: DesktopRepository
    ecs_images: EcsImageRepository
    ecs_instances: EcsInstanceRepository
    ram_users: RamUserRepository
    ram_groups: RamGroupRepository
    ram_roles: RamRoleRepository
    ram_policies: RamPolicyRepository
    ram_attachments: RamAttachmentRepository

    def __init__(
        self,
        engine: Engine,
        *,
        write: bool,
        connection: Connection | None = None,
        autocommit: bool = False,
    ) -> None:
        self._engine = engine
        self._write = write
        self._borrowed = connection
        self._committed = False
        self._on_driver = engine.dialect.name == "sqlite"
        self._autocommit = autocommit and not self._on_driver

    def __enter__(self) -> UnitOfWork:
        conn = self.conn = self._borrowed or self._engine.connect()
        try:
            if self._on_driver:
                # On the driver: SQLAlchemy's begin, commit and their events were a tenth of
                # a request (docs/performance.md). A Core statement run in this unit of work
                # makes SQLAlchemy's Connection join the transaction (the engine's begin
                # event sees it open), and commit and rollback then go through it.
                begin_on_driver(conn.connection, write=self._write, read_only=not self._write)
            elif self._autocommit:
                _set_autocommit(conn, True)
            else:
                conn.begin()
        except BaseException:
            if self._borrowed is None:
                conn.close()
            raise
        return self

    def __getattr__(self, name: str) -> Any:
        # Repositories are made on first use: a request touches three or four of them.
        factory = _REPOSITORIES.get(name)
        if factory is None or "conn" not in self.__dict__:
            raise AttributeError(name)
        repository = factory(self.conn)
        setattr(self, name, repository)
        return repository

    def commit(self) -> None:
        if self._driver_only():
            refuse_writes_in_reads(self.conn.connection)
            sqlite_driver(self.conn).execute("COMMIT")
        else:  # PostgreSQL, or SQLAlchemy joined the transaction (see __enter__)
            self.conn.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self._roll_back()
            if self._autocommit:
                _set_autocommit(self.conn, False)
        finally:
            if self._borrowed is None:
                self.conn.close()

    def _driver_only(self) -> bool:
        """SQLite, and no Core statement has made SQLAlchemy join the transaction."""
        return self._on_driver and not self.conn.in_transaction()

    def _roll_back(self) -> None:
        if self._driver_only():
            if not self.conn.invalidated:
                sqlite_driver(self.conn).rollback()  # a no-op if nothing was begun
        else:
            self.conn.rollback()


def _set_autocommit(conn: Connection, on: bool) -> None:
    """Straight on psycopg's connection: no round trip, where SQLAlchemy's isolation-level
    option would run its events on every request. A connection that cannot switch (its
    server went away mid-request) is invalidated, so it is not used again."""
    if conn.invalidated:
        return
    try:
        conn.connection.driver_connection.autocommit = on  # type: ignore[union-attr]
    except Exception:
        conn.invalidate()
        if on:
            raise


class Store:
    """The database behind one server or admin command."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite lets one transaction write at a time; PostgreSQL locks rows.
        self.single_writer = engine.dialect.name == "sqlite"
        self._idle = threading.local()  # this thread's kept connection, if any, and since when
        self._kept: list[Connection] = []  # every thread's, for dispose()
        self._kept_lock = threading.Lock()
        self._ledger: NonceLedger | None = None

    def nonce_ledger(self, period_seconds: int) -> NonceLedger:
        """SQLite: the signature nonces' own file beside the database, opened on first use
        (imageshare.store.ledger). PostgreSQL keeps them in ``uow.nonces``.

        :raises LedgerMismatch: the ledger was made for a shorter period.
        """
        with self._kept_lock:
            if self._ledger is None:
                self._ledger = NonceLedger(ledger_path(self.engine.url), period_seconds)
            return self._ledger

    def unit_of_work(
        self, *, write: bool = False, connection: Connection | None = None, autocommit: bool = False
    ) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write, connection=connection, autocommit=autocommit)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """One connection for several units of work (``with store.connect() as conn``).

        Each thread keeps the connection it used last, so back-to-back requests skip the
        pool: checking out and returning cost a tenth of a request on SQLite, and on
        PostgreSQL more than a round trip (docs/performance.md). A PostgreSQL connection can
        go stale (the server restarted, or cut it): one kept unused for a while is pinged
        before use, as the pool does on checkout, and replaced if the server is gone.
        """
        conn: Connection | None = getattr(self._idle, "connection", None)
        self._idle.connection = None
        if conn is not None and not self.single_writer:  # a SQLite connection cannot go stale
            conn = self._unless_gone(conn)
        conn = conn or self.engine.connect()
        try:
            yield conn
        finally:
            self._put_back(conn)

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

    def _put_back(self, conn: Connection) -> None:
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
        with self._kept_lock:
            kept, self._kept = self._kept, []
            ledger, self._ledger = self._ledger, None
        if ledger is not None:
            ledger.close()
        for conn in kept:
            conn.close()
        self._idle = threading.local()
        self.engine.dispose()
