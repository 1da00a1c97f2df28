"""Simple Application Server instances, their disks and their snapshots."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, insert, select

from imageshare.domain.images import Page
from imageshare.store.prepared import Prepared, id_binds, id_params
from imageshare.store.tables import swas_disks, swas_instances, swas_snapshots


@functools.lru_cache(maxsize=128)
def _created_from(count: int) -> Prepared:
    c = swas_instances.c
    query = select(c.image_id, c.id).where(c.image_id.in_(id_binds(c.image_id, count)))
    return Prepared(query.order_by(c.created_at, c.id))


@dataclass(frozen=True)
class Instance:
    id: str
    account_id: int
    region_id: str
    name: str
    plan_id: str
    image_id: str
    status: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Disk:
    id: str
    account_id: int
    region_id: str
    instance_id: str
    disk_type: str
    category: str
    size: int
    device: str
    created_at: datetime


@dataclass(frozen=True)
class Snapshot:
    id: str
    account_id: int
    region_id: str
    name: str
    disk_id: str
    instance_id: str
    source_disk_type: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class InstanceFilter:
    account_id: int
    region_id: str
    instance_ids: Sequence[str] | None = None


@dataclass(frozen=True)
class DiskFilter:
    account_id: int
    region_id: str
    instance_id: str | None = None
    disk_ids: Sequence[str] | None = None
    disk_type: str | None = None


@dataclass(frozen=True)
class SnapshotFilter:
    account_id: int
    region_id: str
    instance_id: str | None = None
    disk_id: str | None = None
    snapshot_ids: Sequence[str] | None = None
    source_disk_type: str | None = None


def _paged(conn: Connection, query: Select[Any], page: Page) -> tuple[int, list[Any]]:
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(query.limit(page.size).offset(page.offset)).all()
    return total, list(rows)


class InstanceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, instance: Instance) -> None:
        self._conn.execute(insert(swas_instances).values(**instance.__dict__))

    def get(self, account_id: int, region_id: str, instance_id: str) -> Instance | None:
        found = self.find(InstanceFilter(account_id, region_id, [instance_id]), Page(1, 1))[1]
        return found[0] if found else None

    def count(self, account_id: int, region_id: str) -> int:
        query = select(func.count()).where(
            swas_instances.c.account_id == account_id, swas_instances.c.region_id == region_id
        )
        return int(self._conn.execute(query).scalar_one())

    def find(self, where: InstanceFilter, page: Page) -> tuple[int, list[Instance]]:
        c = swas_instances.c
        query = select(swas_instances).where(
            c.account_id == where.account_id, c.region_id == where.region_id
        )
        if where.instance_ids is not None:
            query = query.where(c.id.in_(where.instance_ids))
        total, rows = _paged(self._conn, query.order_by(c.created_at, c.id), page)
        return total, [Instance(**row._mapping) for row in rows]

    def created_from(self, image_ids: Sequence[str]) -> dict[str, list[str]]:
        """Instance ids per source image, for ListCustomImages ``CreateInstances`` (every
        page: a statement prepared per page length)."""
        made: dict[str, list[str]] = {}
        if image_ids:
            rows = _created_from(len(image_ids)).rows(self._conn, id_params(image_ids))
            for image_id, instance_id in rows:
                made.setdefault(image_id, []).append(instance_id)
        return made


class DiskRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, disk: Disk) -> None:
        self._conn.execute(insert(swas_disks).values(**disk.__dict__))

    def get(self, account_id: int, region_id: str, disk_id: str) -> Disk | None:
        found = self.find(DiskFilter(account_id, region_id, disk_ids=[disk_id]), Page(1, 1))[1]
        return found[0] if found else None

    def for_instances(self, instance_ids: Sequence[str]) -> list[Disk]:
        c = swas_disks.c
        query = select(swas_disks).where(c.instance_id.in_(instance_ids))
        rows = self._conn.execute(query.order_by(c.instance_id, c.device))
        return [Disk(**row._mapping) for row in rows]

    def find(self, where: DiskFilter, page: Page) -> tuple[int, list[Disk]]:
        c = swas_disks.c
        query = select(swas_disks).where(
            c.account_id == where.account_id, c.region_id == where.region_id
        )
        if where.instance_id is not None:
            query = query.where(c.instance_id == where.instance_id)
        if where.disk_ids is not None:
            query = query.where(c.id.in_(where.disk_ids))
        if where.disk_type is not None:
            query = query.where(func.lower(c.disk_type) == where.disk_type.lower())
        total, rows = _paged(self._conn, query.order_by(c.created_at, c.device, c.id), page)
        return total, [Disk(**row._mapping) for row in rows]


class SnapshotRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, snapshot: Snapshot) -> None:
        self._conn.execute(insert(swas_snapshots).values(**snapshot.__dict__))

    def get(self, account_id: int, region_id: str, snapshot_id: str) -> Snapshot | None:
        where = SnapshotFilter(account_id, region_id, snapshot_ids=[snapshot_id])
        found = self.find(where, Page(1, 1))[1]
        return found[0] if found else None

    def count_for_instance(self, instance_id: str) -> int:
        query = select(func.count()).where(swas_snapshots.c.instance_id == instance_id)
        return int(self._conn.execute(query).scalar_one())

    def name_taken(self, account_id: int, region_id: str, name: str) -> bool:
        c = swas_snapshots.c
        query = select(c.id).where(
            c.account_id == account_id, c.region_id == region_id, c.name == name
        )
        return self._conn.execute(query.limit(1)).first() is not None

    def find(self, where: SnapshotFilter, page: Page) -> tuple[int, list[Snapshot]]:
        c = swas_snapshots.c
        query = select(swas_snapshots).where(
            c.account_id == where.account_id, c.region_id == where.region_id
        )
        if where.instance_id is not None:
            query = query.where(c.instance_id == where.instance_id)
        if where.disk_id is not None:
            query = query.where(c.disk_id == where.disk_id)
        if where.snapshot_ids is not None:
            query = query.where(c.id.in_(where.snapshot_ids))
        if where.source_disk_type is not None:
            query = query.where(func.lower(c.source_disk_type) == where.source_disk_type.lower())
        total, rows = _paged(self._conn, query.order_by(c.created_at, c.id), page)
        return total, [Snapshot(**row._mapping) for row in rows]
