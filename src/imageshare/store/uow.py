"""The unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from imageshare.store.accounts import AccessKeyRepository, AccountRepository
from imageshare.store.engine import WRITE_OPTION
from imageshare.store.idempotency import IdempotencyRepository
from imageshare.store.security import NonceRepository, SecurityTokenRepository


class UnitOfWork:
    """``with store.unit_of_work(write=True) as uow: ...; uow.commit()``."""

    accounts: AccountRepository
    access_keys: AccessKeyRepository
    nonces: NonceRepository
    security_tokens: SecurityTokenRepository
    idempotency: IdempotencyRepository

    def __init__(self, engine: Engine, *, write: bool) -> None:
        self._engine = engine
        self._write = write
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        self.conn: Connection = self._engine.connect().execution_options(
            **{WRITE_OPTION: self._write}
        )
        self.conn.begin()
        self._bind(self.conn)
        return self

    def _bind(self, conn: Connection) -> None:
        self.accounts = AccountRepository(conn)
        self.access_keys = AccessKeyRepository(conn)
        self.nonces = NonceRepository(conn)
        self.security_tokens = SecurityTokenRepository(conn)
        self.idempotency = IdempotencyRepository(conn)

    def commit(self) -> None:
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
                self.conn.rollback()
        finally:
            self.conn.close()


class Store:
    """The database behind one server or admin command."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def unit_of_work(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write)

    def dispose(self) -> None:
        self.engine.dispose()
