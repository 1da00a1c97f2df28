"""The unit of work: one transaction on one connection, rolled back unless committed, and the
repositories that run their statements in it."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType

from imageshare.store.accounts import AccessKeyRepository, AccountRepository
from imageshare.store.ecd import DesktopRepository
from imageshare.store.ecs_images import EcsImageRepository
from imageshare.store.ecs_instances import EcsInstanceRepository
from imageshare.store.engine import begin_on_driver, refuse_writes_in_reads
from imageshare.store.idempotency import IdempotencyRepository
from imageshare.store.images import ImageRepository, ShareRepository
from imageshare.store.ram import RamGroupRepository, RamRoleRepository, RamUserRepository
from imageshare.store.ram_policies import RamAttachmentRepository, RamPolicyRepository
from imageshare.store.security import SecurityTokenRepository
from imageshare.store.statement import Db
from imageshare.store.swas import DiskRepository, InstanceRepository, SwasSnapshotRepository


class UnitOfWork:
    """``with store.unit_of_work(write=True) as uow: ...; uow.commit()``.

    The transaction is the driver's own, begun, committed and rolled back on the DB-API
    connection: SQLAlchemy's transaction machinery and its events were a tenth of a request
    (docs/performance.md), and every statement on the request path is a ``Statement`` run on
    that connection, so SQLAlchemy never begins one of its own here.

    SQLite: ``write`` begins ``BEGIN IMMEDIATE``, taking the write lock before the first read,
    so a read-then-write cannot be overtaken; a read unit of work may not write (its commit
    fails if it did), so an action wrongly marked as a read fails in every test, not under
    load. PostgreSQL: psycopg begins at the first statement; ``autocommit`` runs none at all,
    every statement committing on its own (a read at READ COMMITTED sees its own snapshot per
    statement anyway, so BEGIN and COMMIT bought only two round trips, docs/performance.md).

    Repositories are made on first use (a request touches three or four of them).
    """

    def __init__(self, db: Db, *, write: bool, autocommit: bool = False) -> None:
        self.db = db
        self._write = write
        self._autocommit = autocommit
        self._committed = False
        self._sqlite = db.name == "sqlite"

    def __enter__(self) -> UnitOfWork:
        if self._sqlite:
            begin_on_driver(self.db.fairy, write=self._write, read_only=not self._write)
        elif self._autocommit:
            self.db.driver.autocommit = True
        return self

    def commit(self) -> None:
        if self._sqlite:
            refuse_writes_in_reads(self.db.fairy)
        self.db.driver.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._autocommit:
            self._leave_autocommit()
        elif not self._committed:
            self.db.driver.rollback()  # a no-op if nothing was begun

    def _leave_autocommit(self) -> None:
        """A connection that cannot switch back (its server went away mid-request) is
        invalidated, so it is not used again."""
        try:
            self.db.driver.autocommit = False
        except Exception:
            self.db.fairy.invalidate()

    @cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.db)

    @cached_property
    def access_keys(self) -> AccessKeyRepository:
        return AccessKeyRepository(self.db)

    @cached_property
    def security_tokens(self) -> SecurityTokenRepository:
        return SecurityTokenRepository(self.db)

    @cached_property
    def idempotency(self) -> IdempotencyRepository:
        return IdempotencyRepository(self.db)

    @cached_property
    def images(self) -> ImageRepository:
        return ImageRepository(self.db)

    @cached_property
    def shares(self) -> ShareRepository:
        return ShareRepository(self.db)

    @cached_property
    def swas_instances(self) -> InstanceRepository:
        return InstanceRepository(self.db)

    @cached_property
    def swas_disks(self) -> DiskRepository:
        return DiskRepository(self.db)

    @cached_property
    def swas_snapshots(self) -> SwasSnapshotRepository:
        return SwasSnapshotRepository(self.db)

    @cached_property
    def ecd_desktops(self) -> DesktopRepository:
        return DesktopRepository(self.db)

    @cached_property
    def ecs_images(self) -> EcsImageRepository:
        return EcsImageRepository(self.db)

    @cached_property
    def ecs_instances(self) -> EcsInstanceRepository:
        return EcsInstanceRepository(self.db)

    @cached_property
    def ram_users(self) -> RamUserRepository:
        return RamUserRepository(self.db)

    @cached_property
    def ram_groups(self) -> RamGroupRepository:
        return RamGroupRepository(self.db)

    @cached_property
    def ram_roles(self) -> RamRoleRepository:
        return RamRoleRepository(self.db)

    @cached_property
    def ram_policies(self) -> RamPolicyRepository:
        return RamPolicyRepository(self.db)

    @cached_property
    def ram_attachments(self) -> RamAttachmentRepository:
        return RamAttachmentRepository(self.db)
