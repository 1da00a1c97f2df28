"""ECS instances, their disks and their snapshots: enough to launch an image, keep a disk's
source image, snapshot a disk and make an image of it. State is partitioned by an owner
column; ids are global (StartInstance, ReInitDisk and CreateSnapshot name no region)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from imageshare.store.tables import ecs_disks, ecs_instances, ecs_snapshots


@dataclass(frozen=True)
class Instance:
    id: str
    account_id: int
    region_id: str
    zone_id: str
    name: str
    instance_type: str
    image_id: str
    os_type: str  # "linux" | "windows"
    status: str
    created_at: datetime


@dataclass(frozen=True)
class Disk:
    id: str
    account_id: int
    region_id: str
    instance_id: str | None
    disk_type: str  # "system" | "data"
    category: str
    size: int
    device: str
    image_id: str | None
    source_snapshot_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class Snapshot:
    id: str
    account_id: int
    region_id: str
    disk_id: str
    instance_id: str | None
    name: str
    description: str
    source_disk_type: str
    size: int
    image_id: str | None
    created_at: datetime


def _columns(table: Table, entity: Any) -> list[Any]:
    return [table.c[name] for name in entity.__dataclass_fields__]


class EcsInstanceRepository:
    """Instances, disks and snapshots, always looked up with their owner."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _rows(self, query: Any) -> list[Any]:
        return list(self._conn.execute(query))

    def add(self, instance: Instance, disks: Sequence[Disk]) -> None:
        self._conn.execute(insert(ecs_instances).values(**instance.__dict__))
        for disk in disks:
            self._conn.execute(insert(ecs_disks).values(**disk.__dict__))

    def instance(self, owner: int, instance_id: str, *, lock: bool = False) -> Instance | None:
        c = ecs_instances.c
        query = select(*_columns(ecs_instances, Instance)).where(
            c.id == instance_id, c.account_id == owner
        )
        row = self._conn.execute(query.with_for_update() if lock else query).first()
        return Instance(*row) if row else None

    def instances(
        self, owner: int, region_id: str, ids: Sequence[str] | None, offset: int, limit: int
    ) -> tuple[int, list[Instance]]:
        c = ecs_instances.c
        where = [c.account_id == owner, c.region_id == region_id]
        if ids is not None:
            where.append(c.id.in_(ids))
        total = self._conn.execute(select(func.count()).where(*where)).scalar_one()
        query = select(*_columns(ecs_instances, Instance)).where(*where)
        query = query.order_by(c.created_at.desc(), c.id).limit(limit).offset(offset)
        return int(total), [Instance(*row) for row in self._rows(query)]

    def images_in_use(self, owner: int, region_id: str) -> set[str]:
        """The images the owner's instances in the region were launched from."""
        c = ecs_instances.c
        query = select(c.image_id).where(c.account_id == owner, c.region_id == region_id)
        return {image_id for (image_id,) in self._rows(query.distinct())}

    def image_used(self, image_id: str) -> bool:
        query = select(ecs_instances.c.id).where(ecs_instances.c.image_id == image_id)
        return self._conn.execute(query.limit(1)).first() is not None

    def set_status(self, instance_id: str, status: str) -> None:
        c = ecs_instances.c
        self._conn.execute(update(ecs_instances).where(c.id == instance_id).values(status=status))

    def delete_instance(self, instance_id: str) -> None:
        d = ecs_disks.c
        self._conn.execute(delete(ecs_disks).where(d.instance_id == instance_id))
        self._conn.execute(delete(ecs_instances).where(ecs_instances.c.id == instance_id))

    def disk(self, owner: int, disk_id: str) -> Disk | None:
        d = ecs_disks.c
        query = select(*_columns(ecs_disks, Disk)).where(d.id == disk_id, d.account_id == owner)
        row = self._conn.execute(query).first()
        return Disk(*row) if row else None

    def disks(
        self, owner: int, region_id: str, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[Disk]]:
        """``filters``: instance_id, disk_type, ids (a list)."""
        d = ecs_disks.c
        where = [d.account_id == owner, d.region_id == region_id]
        if filters.get("ids") is not None:
            where.append(d.id.in_(filters["ids"]))
        for name in ("instance_id", "disk_type"):
            if filters.get(name) is not None:
                where.append(d[name] == filters[name])
        total = self._conn.execute(select(func.count()).where(*where)).scalar_one()
        query = select(*_columns(ecs_disks, Disk)).where(*where)
        query = query.order_by(d.created_at.desc(), d.disk_type.desc(), d.device)
        rows = self._rows(query.limit(limit).offset(offset))
        return int(total), [Disk(*row) for row in rows]

    def add_snapshot(self, snapshot: Snapshot) -> None:
        self._conn.execute(insert(ecs_snapshots).values(**snapshot.__dict__))

    def snapshot(self, owner: int, snapshot_id: str) -> Snapshot | None:
        s = ecs_snapshots.c
        query = select(*_columns(ecs_snapshots, Snapshot)).where(
            s.id == snapshot_id, s.account_id == owner
        )
        row = self._conn.execute(query).first()
        return Snapshot(*row) if row else None

    def snapshots(
        self, owner: int, region_id: str, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[Snapshot]]:
        """``filters``: instance_id, disk_id, ids (a list)."""
        s = ecs_snapshots.c
        where = [s.account_id == owner, s.region_id == region_id]
        if filters.get("ids") is not None:
            where.append(s.id.in_(filters["ids"]))
        for name in ("instance_id", "disk_id"):
            if filters.get(name) is not None:
                where.append(s[name] == filters[name])
        total = self._conn.execute(select(func.count()).where(*where)).scalar_one()
        query = select(*_columns(ecs_snapshots, Snapshot)).where(*where)
        rows = self._rows(query.order_by(s.created_at.desc(), s.id).limit(limit).offset(offset))
        return int(total), [Snapshot(*row) for row in rows]

    def delete_snapshot(self, snapshot_id: str) -> None:
        self._conn.execute(delete(ecs_snapshots).where(ecs_snapshots.c.id == snapshot_id))
