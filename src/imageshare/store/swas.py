"""Simple Application Server instances, their disks and their snapshots."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, func, select

from imageshare.domain.paging import Page
from imageshare.domain.swas import Disk, Instance, Snapshot
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import (
    CountedPage,
    bind,
    fields_of,
    id_binds,
    id_params,
    in_binds,
    insert_row,
)
from imageshare.store.tables import swas_disks, swas_instances, swas_snapshots
from imageshare.values import frozen


@frozen
class InstanceFilter:
    account_id: int
    region_id: str
    instance_ids: Sequence[str] | None = None


@frozen
class DiskFilter:
    account_id: int
    region_id: str
    instance_id: str | None = None
    disk_ids: Sequence[str] | None = None
    disk_type: str | None = None


@frozen
class SnapshotFilter:
    account_id: int
    region_id: str
    instance_id: str | None = None
    disk_id: str | None = None
    snapshot_ids: Sequence[str] | None = None
    source_disk_type: str | None = None


def _page(
    counted: CountedPage, db: Db, params: dict[str, Any], page: Page
) -> tuple[int, list[Any]]:
    return counted.rows(db, {**params, "limit": page.size, "offset": page.offset})


def _in_place(table: Table) -> list[ColumnElement[bool]]:
    c = table.c
    return [c.account_id == bind(c.account_id), c.region_id == bind(c.region_id)]


_in = swas_instances.c
_ADD_INSTANCE = insert_row(swas_instances)
_COUNT_INSTANCES = Statement(select(func.count()).where(*_in_place(swas_instances)))


@functools.lru_cache(maxsize=128)
def _instances(ids: int | None) -> CountedPage:
    query = select(*fields_of(swas_instances, Instance)).where(*_in_place(swas_instances))
    if ids is not None:
        query = query.where(in_binds(_in.id, ids))
    return CountedPage.of(query, _in.created_at, _in.id)


@functools.lru_cache(maxsize=128)
def _created_from(count: int) -> Statement:
    query = select(_in.image_id, _in.id).where(_in.image_id.in_(id_binds(_in.image_id, count)))
    return Statement(query.order_by(_in.created_at, _in.id))


class InstanceRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, instance: Instance) -> None:
        _ADD_INSTANCE.run(self._db, instance.__dict__)

    def get(self, account_id: int, region_id: str, instance_id: str) -> Instance | None:
        found = self.find(InstanceFilter(account_id, region_id, [instance_id]), Page(1, 1))[1]
        return found[0] if found else None

    def count(self, account_id: int, region_id: str) -> int:
        params = {"account_id": account_id, "region_id": region_id}
        return int(_COUNT_INSTANCES.scalar(self._db, params))

    def find(self, where: InstanceFilter, page: Page) -> tuple[int, list[Instance]]:
        ids = where.instance_ids
        params = {"account_id": where.account_id, "region_id": where.region_id}
        counted = _instances(None if ids is None else len(ids))
        total, rows = _page(counted, self._db, {**params, **id_params(ids or ())}, page)
        return total, [Instance(*row) for row in rows]

    def created_from(self, image_ids: Sequence[str]) -> dict[str, list[str]]:
        """Instance ids per source image, for ListCustomImages ``CreateInstances`` (every
        page: a statement per page length)."""
        made: dict[str, list[str]] = {}
        if image_ids:
            rows = _created_from(len(image_ids)).rows(self._db, id_params(image_ids))
            for image_id, instance_id in rows:
                made.setdefault(image_id, []).append(instance_id)
        return made


_d = swas_disks.c
_ADD_DISK = insert_row(swas_disks)


@functools.lru_cache(maxsize=128)
def _disks_of(count: int) -> Statement:
    query = select(*fields_of(swas_disks, Disk)).where(
        _d.instance_id.in_(id_binds(_d.instance_id, count))
    )
    return Statement(query.order_by(_d.instance_id, _d.device))


@functools.lru_cache(maxsize=128)
def _disks(instance: bool, ids: int | None, disk_type: bool) -> CountedPage:
    query = select(*fields_of(swas_disks, Disk)).where(*_in_place(swas_disks))
    if instance:
        query = query.where(_d.instance_id == bind(_d.instance_id))
    if ids is not None:
        query = query.where(in_binds(_d.id, ids))
    if disk_type:
        query = query.where(func.lower(_d.disk_type) == bind(_d.disk_type))
    return CountedPage.of(query, _d.created_at, _d.device, _d.id)


class DiskRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, disk: Disk) -> None:
        _ADD_DISK.run(self._db, disk.__dict__)

    def get(self, account_id: int, region_id: str, disk_id: str) -> Disk | None:
        found = self.find(DiskFilter(account_id, region_id, disk_ids=[disk_id]), Page(1, 1))[1]
        return found[0] if found else None

    def for_instances(self, instance_ids: Sequence[str]) -> list[Disk]:
        if not instance_ids:
            return []
        rows = _disks_of(len(instance_ids)).rows(self._db, id_params(instance_ids))
        return [Disk(*row) for row in rows]

    def find(self, where: DiskFilter, page: Page) -> tuple[int, list[Disk]]:
        ids, disk_type = where.disk_ids, where.disk_type
        counted = _disks(
            where.instance_id is not None, None if ids is None else len(ids), disk_type is not None
        )
        params = {
            "account_id": where.account_id,
            "region_id": where.region_id,
            "instance_id": where.instance_id,
            "disk_type": disk_type.lower() if disk_type is not None else None,
            **id_params(ids or ()),
        }
        total, rows = _page(counted, self._db, params, page)
        return total, [Disk(*row) for row in rows]


_sn = swas_snapshots.c
_ADD_SNAPSHOT = insert_row(swas_snapshots)
_SNAPSHOTS_OF_INSTANCE = Statement(
    select(func.count()).where(_sn.instance_id == bind(_sn.instance_id))
)
_SNAPSHOT_NAME_TAKEN = Statement(
    select(_sn.id).where(*_in_place(swas_snapshots), _sn.name == bind(_sn.name)).limit(1)
)


@functools.lru_cache(maxsize=128)
def _snapshots(instance: bool, disk: bool, ids: int | None, disk_type: bool) -> CountedPage:
    query = select(*fields_of(swas_snapshots, Snapshot)).where(*_in_place(swas_snapshots))
    if instance:
        query = query.where(_sn.instance_id == bind(_sn.instance_id))
    if disk:
        query = query.where(_sn.disk_id == bind(_sn.disk_id))
    if ids is not None:
        query = query.where(in_binds(_sn.id, ids))
    if disk_type:
        query = query.where(func.lower(_sn.source_disk_type) == bind(_sn.source_disk_type))
    return CountedPage.of(query, _sn.created_at, _sn.id)


class SwasSnapshotRepository:
    """SWAS disk snapshots (not the admin's state snapshots: store/state.py)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, snapshot: Snapshot) -> None:
        _ADD_SNAPSHOT.run(self._db, snapshot.__dict__)

    def get(self, account_id: int, region_id: str, snapshot_id: str) -> Snapshot | None:
        where = SnapshotFilter(account_id, region_id, snapshot_ids=[snapshot_id])
        found = self.find(where, Page(1, 1))[1]
        return found[0] if found else None

    def count_for_instance(self, instance_id: str) -> int:
        return int(_SNAPSHOTS_OF_INSTANCE.scalar(self._db, {"instance_id": instance_id}))

    def name_taken(self, account_id: int, region_id: str, name: str) -> bool:
        params = {"account_id": account_id, "region_id": region_id, "name": name}
        return bool(_SNAPSHOT_NAME_TAKEN.rows(self._db, params))

    def find(self, where: SnapshotFilter, page: Page) -> tuple[int, list[Snapshot]]:
        ids, disk_type = where.snapshot_ids, where.source_disk_type
        counted = _snapshots(
            where.instance_id is not None,
            where.disk_id is not None,
            None if ids is None else len(ids),
            disk_type is not None,
        )
        params = {
            "account_id": where.account_id,
            "region_id": where.region_id,
            "instance_id": where.instance_id,
            "disk_id": where.disk_id,
            "source_disk_type": disk_type.lower() if disk_type is not None else None,
            **id_params(ids or ()),
        }
        total, rows = _page(counted, self._db, params, page)
        return total, [Snapshot(*row) for row in rows]
