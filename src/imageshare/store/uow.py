"""The unit of work: one transaction on one connection, rolled back unless committed, and the
repositories that run their statements in it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar, overload

from imageshare.store.accounts import AccessKeyRepository, AccountRepository
from imageshare.store.clock import ClockRepository
from imageshare.store.ecd import DesktopRepository
from imageshare.store.ecs_images import EcsImageRepository
from imageshare.store.ecs_instances import EcsInstanceRepository
from imageshare.store.ecs_resource_tags import EcsResourceTagRepository
from imageshare.store.engine import begin_on_driver, refuse_writes_in_reads
from imageshare.store.faults import FaultRuleRepository
from imageshare.store.idempotency import IdempotencyRepository
from imageshare.store.images import ImageRepository, ShareRepository
from imageshare.store.ram import RamGroupRepository, RamRoleRepository, RamUserRepository
from imageshare.store.ram_policies import RamAttachmentRepository, RamPolicyRepository
from imageshare.store.security import SecurityTokenRepository
from imageshare.store.statement import Db
from imageshare.store.swas import DiskRepository, InstanceRepository, SwasSnapshotRepository
from imageshare.store.trail import TrailRepository

R = TypeVar("R")


class _Repository(Generic[R]):
    """A repository attribute of ``UnitOfWork``, made on first use and then kept in the unit
    of work: ``functools.cached_property`` without its lock (a unit of work belongs to one
    thread, and the lock was measurable per request). Typed: ``uow.images`` is an
    ``ImageRepository``, and a repository that does not exist is a mypy error."""

    def __init__(self, factory: Callable[[Db], R]) -> None:
        self._factory = factory
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, uow: None, owner: type) -> _Repository[R]: ...

    @overload
    def __get__(self, uow: UnitOfWork, owner: type) -> R: ...

    def __get__(self, uow: UnitOfWork | None, owner: type) -> Any:
        if uow is None:
            return self
        repository = uow.__dict__[self._name] = self._factory(uow.db)
        return repository


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

    accounts = _Repository(AccountRepository)
    access_keys = _Repository(AccessKeyRepository)
    security_tokens = _Repository(SecurityTokenRepository)
    idempotency = _Repository(IdempotencyRepository)
    images = _Repository(ImageRepository)
    shares = _Repository(ShareRepository)
    swas_instances = _Repository(InstanceRepository)
    swas_disks = _Repository(DiskRepository)
    swas_snapshots = _Repository(SwasSnapshotRepository)
    ecd_desktops = _Repository(DesktopRepository)
    ecs_images = _Repository(EcsImageRepository)
    ecs_instances = _Repository(EcsInstanceRepository)
    ecs_resource_tags = _Repository(EcsResourceTagRepository)
    ram_users = _Repository(RamUserRepository)
    ram_groups = _Repository(RamGroupRepository)
    ram_roles = _Repository(RamRoleRepository)
    ram_policies = _Repository(RamPolicyRepository)
    ram_attachments = _Repository(RamAttachmentRepository)
    trail = _Repository(TrailRepository)
    faults = _Repository(FaultRuleRepository)
    clock = _Repository(ClockRepository)

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
