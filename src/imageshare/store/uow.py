"""The unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from imageshare.store.accounts import AccessKeyRepository, AccountRepository
from imageshare.store.ecd import DesktopRepository
from imageshare.store.engine import WRITE_OPTION
from imageshare.store.idempotency import IdempotencyRepository
from imageshare.store.images import ImageRepository, ShareRepository
from imageshare.store.ram import RamGroupRepository, RamRoleRepository, RamUserRepository
from imageshare.store.ram_policies import RamAttachmentRepository, RamPolicyRepository
from imageshare.store.security import NonceRepository, SecurityTokenRepository
from imageshare.store.swas import DiskRepository, InstanceRepository, SnapshotRepository


class UnitOfWork:
    """``with store.unit_of_work(write=True) as uow: ...; uow.commit()``."""

    accounts: AccountRepository
    access_keys: AccessKeyRepository
    nonces: NonceRepository
    security_tokens: SecurityTokenRepository
    idempotency: IdempotencyRepository
    images: ImageRepository
    shares: ShareRepository
    swas_instances: InstanceRepository
    swas_disks: DiskRepository
    swas_snapshots: SnapshotRepository
    ecd_desktops: DesktopRepository
    ram_users: RamUserRepository
    ram_groups: RamGroupRepository
    ram_roles: RamRoleRepository
    ram_policies: RamPolicyRepository
    ram_attachments: RamAttachmentRepository

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
        self.images = ImageRepository(conn)
        self.shares = ShareRepository(conn)
        self.swas_instances = InstanceRepository(conn)
        self.swas_disks = DiskRepository(conn)
        self.swas_snapshots = SnapshotRepository(conn)
        self.ecd_desktops = DesktopRepository(conn)
        self.ram_users = RamUserRepository(conn)
        self.ram_groups = RamGroupRepository(conn)
        self.ram_roles = RamRoleRepository(conn)
        self.ram_policies = RamPolicyRepository(conn)
        self.ram_attachments = RamAttachmentRepository(conn)

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
