"""ECS instances, their disks and their snapshots (domain/ecs_instances.py) as rows, and the
tags of all three go with them. State is partitioned by an owner column; ids are global
(StartInstance, ReInitDisk and CreateSnapshot name no region)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, delete, exists, or_, select, update

from imageshare.domain.ecs_instances import EcsDisk, EcsInstance, EcsSnapshot
from imageshare.domain.ecs_states import Passage
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import (
    CountedPage,
    bind,
    escape_like,
    fields_of,
    id_params,
    in_binds,
    insert_row,
)
from imageshare.store.tables import ecs_disks, ecs_instances, ecs_resource_tags, ecs_snapshots

_i, _d, _s = ecs_instances.c, ecs_disks.c, ecs_snapshots.c
_ADD_INSTANCE = insert_row(ecs_instances)
_ADD_DISK = insert_row(ecs_disks)
_ADD_SNAPSHOT = insert_row(ecs_snapshots)
_INSTANCE = select(*fields_of(ecs_instances, EcsInstance)).where(
    _i.id == bind(_i.id), _i.account_id == bind(_i.account_id)
)
_INSTANCE_STATEMENTS = (Statement(_INSTANCE), Statement(_INSTANCE.with_for_update()))
_IN_PLACE = (_i.account_id == bind(_i.account_id), _i.region_id == bind(_i.region_id))
_IMAGES_IN_USE = Statement(select(_i.image_id).where(*_IN_PLACE).distinct())
_IMAGE_USED = Statement(select(_i.id).where(_i.image_id == bind(_i.image_id)).limit(1))
_SET_STATUS = Statement(
    update(ecs_instances)
    .where(_i.id == bind(_i.id))
    .values(
        status=bind(_i.status),
        pending_status=bind(_i.pending_status),
        settles_at=bind(_i.settles_at),
    )
)
_r = ecs_resource_tags.c
_DISKS_OF = select(_d.id).where(_d.instance_id == bind(_d.instance_id, "id"))
# An instance goes with its disks and the tags of both.
_DELETE_INSTANCE = (
    Statement(
        delete(ecs_resource_tags).where(
            or_(_r.resource_id == bind(_r.resource_id, "id"), _r.resource_id.in_(_DISKS_OF))
        )
    ),
    Statement(delete(ecs_disks).where(_d.instance_id == bind(_d.instance_id, "id"))),
    Statement(delete(ecs_instances).where(_i.id == bind(_i.id))),
)
_DISK = Statement(
    select(*fields_of(ecs_disks, EcsDisk)).where(
        _d.id == bind(_d.id), _d.account_id == bind(_d.account_id)
    )
)
_SNAPSHOT = Statement(
    select(*fields_of(ecs_snapshots, EcsSnapshot)).where(
        _s.id == bind(_s.id), _s.account_id == bind(_s.account_id)
    )
)
_INSTANCE_FILTERS = ("instance_type", "zone_id", "image_id", "status")
_Extra = tuple[bool, tuple[bool, ...]]
_DELETE_SNAPSHOT = (
    Statement(delete(ecs_resource_tags).where(_r.resource_id == bind(_r.resource_id, "id"))),
    Statement(delete(ecs_snapshots).where(_s.id == bind(_s.id))),
)


def _column(c: Any, name: str) -> ColumnElement[Any]:
    """A filtered column; an instance's status is the one it shows at ``now`` (bound), its
    passage's until it settles (domain/ecs_states.py)."""
    if name != "status" or "settles_at" not in c:
        return c[name]  # type: ignore[no-any-return]
    moving = and_(c.pending_status.is_not(None), c.settles_at > bind(c.settles_at, "now"))
    return case((moving, c.pending_status), else_=c.status)


def _tagged(c: Any, tags: tuple[bool, ...]) -> list[ColumnElement[bool]]:
    """The resource has every tag asked for (``tag_key_N``, and ``tag_value_N`` when that
    tag has a value: a tag without one matches any value)."""
    conditions: list[ColumnElement[bool]] = []
    for index, has_value in enumerate(tags):
        match = exists().where(_r.resource_id == c.id, _r.key == bind(_r.key, f"tag_key_{index}"))
        if has_value:
            match = match.where(_r.value == bind(_r.value, f"tag_value_{index}"))
        conditions.append(match)
    return conditions


@functools.lru_cache(maxsize=256)
def _listing(
    table: Table, entity: Any, ids: int | None, names: tuple[str, ...], extra: _Extra
) -> CountedPage:
    """A page of the owner's instances, disks or snapshots in a region, filtered by ``ids``
    ids, the named columns (bound by their own names), a LIKE pattern on the name (bound as
    ``name_like``) and tags."""
    c = table.c
    named, tags = extra
    query = select(*fields_of(table, entity)).where(
        c.account_id == bind(c.account_id), c.region_id == bind(c.region_id)
    )
    if ids is not None:
        query = query.where(in_binds(c.id, ids))
    query = query.where(*(_column(c, name) == bind(c[name]) for name in names))
    if named:
        query = query.where(c.name.like(bind(c.name, "name_like"), escape="\\"))
    query = query.where(*_tagged(c, tags))
    if table is ecs_disks:
        return CountedPage.of(query, c.created_at.desc(), c.disk_type.desc(), c.device)
    return CountedPage.of(query, c.created_at.desc(), c.id)


def _filtered(
    table: Table, entity: Any, where: dict[str, Any], names: tuple[str, ...]
) -> tuple[CountedPage, dict[str, Any]]:
    """``where``: ids (a list), name_like, tags ((key, value or None), ...), now (for an
    instance's status) and values of the named columns; None filters nothing."""
    ids, pattern, tags = where.get("ids"), where.get("name_like"), where.get("tags") or ()
    chosen = tuple(name for name in names if where.get(name) is not None)
    extra = (bool(pattern), tuple(value is not None for _, value in tags))
    listing = _listing(table, entity, None if ids is None else len(ids), chosen, extra)
    params = {name: where[name] for name in chosen} | id_params(ids or ())
    for index, (key, value) in enumerate(tags):
        params[f"tag_key_{index}"] = key
        if value is not None:
            params[f"tag_value_{index}"] = value
    if "status" in chosen and "now" in where:
        params["now"] = where["now"]
    return listing, params | ({"name_like": pattern} if pattern else {})


class EcsInstanceRepository:
    """Instances, disks and snapshots, always looked up with their owner."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, instance: EcsInstance, disks: Sequence[EcsDisk]) -> None:
        _ADD_INSTANCE.run(self._db, instance.__dict__)
        for disk in disks:
            _ADD_DISK.run(self._db, disk.__dict__)

    def instance(self, owner: int, instance_id: str, *, lock: bool = False) -> EcsInstance | None:
        params = {"id": instance_id, "account_id": owner}
        row = _INSTANCE_STATEMENTS[lock].first(self._db, params)
        return EcsInstance(*row) if row else None

    def instances(
        self, owner: int, region_id: str, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[EcsInstance]]:
        """``filters``: ids (a list), name (``*`` a wildcard, as ECS's InstanceName), tags,
        exact values of instance_type, zone_id, image_id, and status (shown at ``now``)."""
        if filters.get("name"):
            filters = filters | {"name_like": escape_like(filters["name"]).replace("*", "%")}
        listing, params = _filtered(ecs_instances, EcsInstance, filters, _INSTANCE_FILTERS)
        params |= {"account_id": owner, "region_id": region_id, "limit": limit, "offset": offset}
        total, rows = listing.rows(self._db, params)
        return total, [EcsInstance(*row) for row in rows]

    def images_in_use(self, owner: int, region_id: str) -> set[str]:
        """The images the owner's instances in the region were launched from."""
        rows = _IMAGES_IN_USE.rows(self._db, {"account_id": owner, "region_id": region_id})
        return {image_id for (image_id,) in rows}

    def image_used(self, image_id: str) -> bool:
        return bool(_IMAGE_USED.rows(self._db, {"image_id": image_id}))

    def set_status(self, instance_id: str, passage: Passage) -> None:
        _SET_STATUS.run(self._db, {"id": instance_id, **passage.__dict__})

    def delete_instance(self, instance_id: str) -> None:
        for statement in _DELETE_INSTANCE:
            statement.run(self._db, {"id": instance_id})

    def disk(self, owner: int, disk_id: str) -> EcsDisk | None:
        row = _DISK.first(self._db, {"id": disk_id, "account_id": owner})
        return EcsDisk(*row) if row else None

    def disks(
        self, owner: int, region_id: str, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[EcsDisk]]:
        """``filters``: instance_id, disk_type, ids (a list), tags."""
        listing, params = _filtered(ecs_disks, EcsDisk, filters, ("instance_id", "disk_type"))
        params |= {"account_id": owner, "region_id": region_id, "limit": limit, "offset": offset}
        total, rows = listing.rows(self._db, params)
        return total, [EcsDisk(*row) for row in rows]

    def add_snapshot(self, snapshot: EcsSnapshot) -> None:
        _ADD_SNAPSHOT.run(self._db, snapshot.__dict__)

    def snapshot(self, owner: int, snapshot_id: str) -> EcsSnapshot | None:
        row = _SNAPSHOT.first(self._db, {"id": snapshot_id, "account_id": owner})
        return EcsSnapshot(*row) if row else None

    def snapshots(
        self, owner: int, region_id: str, filters: dict[str, Any], offset: int, limit: int
    ) -> tuple[int, list[EcsSnapshot]]:
        """``filters``: instance_id, disk_id, ids (a list), tags."""
        listing, params = _filtered(ecs_snapshots, EcsSnapshot, filters, ("instance_id", "disk_id"))
        params |= {"account_id": owner, "region_id": region_id, "limit": limit, "offset": offset}
        total, rows = listing.rows(self._db, params)
        return total, [EcsSnapshot(*row) for row in rows]

    def delete_snapshot(self, snapshot_id: str) -> None:
        for statement in _DELETE_SNAPSHOT:
            statement.run(self._db, {"id": snapshot_id})
