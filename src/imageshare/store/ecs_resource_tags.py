"""The tags of ECS instances, disks and snapshots (images keep theirs with the images, in
image_tags). Each row names its resource's type, owner and region, so ListTagResources lists
an account's tagged resources of a type without a join."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import delete, select

from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import bind, id_params, in_binds, insert_row
from imageshare.store.tables import ecs_resource_tags
from imageshare.values import frozen

_t = ecs_resource_tags.c
_ADD = insert_row(ecs_resource_tags)
_DELETE_ONE = Statement(
    delete(ecs_resource_tags).where(_t.resource_id == bind(_t.resource_id), _t.key == bind(_t.key))
)


@frozen
class Tagged:
    """A resource that carries tags: an instance, a disk or a snapshot."""

    id: str
    type: str  # "instance" | "disk" | "snapshot", as ECS's ResourceType spells them
    account_id: int
    region_id: str


@functools.lru_cache(maxsize=128)
def _of(ids: int) -> Statement:
    query = select(_t.resource_id, _t.key, _t.value).where(in_binds(_t.resource_id, ids))
    return Statement(query.order_by(_t.resource_id, _t.key))


@functools.lru_cache(maxsize=64)
def _remove(ids: int, keys: int | None) -> Statement:
    """Delete the tags of ``ids`` resources: ``keys`` of them (``key_0`` ...), or all."""
    query = delete(ecs_resource_tags).where(in_binds(_t.resource_id, ids))
    return Statement(query if keys is None else query.where(in_binds(_t.key, keys, "key")))


@functools.lru_cache(maxsize=128)
def _listing(ids: int | None) -> Statement:
    query = select(_t.resource_id, _t.key, _t.value).where(
        _t.account_id == bind(_t.account_id),
        _t.region_id == bind(_t.region_id),
        _t.resource_type == bind(_t.resource_type),
    )
    if ids is not None:
        query = query.where(in_binds(_t.resource_id, ids))
    return Statement(query.order_by(_t.resource_id, _t.key))


class EcsResourceTagRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def tags(self, resource_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        """The tags of these resources, by resource, each sorted by key."""
        found: dict[str, list[tuple[str, str]]] = {}
        if not resource_ids:
            return found
        for resource_id, key, value in _of(len(resource_ids)).rows(
            self._db, id_params(resource_ids)
        ):
            found.setdefault(resource_id, []).append((key, value))
        return found

    def set_tags(self, resource: Tagged, pairs: Sequence[tuple[str, str]]) -> None:
        """Add tags, replacing the value of a key the resource already has."""
        owner = {
            "resource_type": resource.type,
            "account_id": resource.account_id,
            "region_id": resource.region_id,
        }
        for key, value in pairs:
            _DELETE_ONE.run(self._db, {"resource_id": resource.id, "key": key})
            _ADD.run(self._db, {"resource_id": resource.id, "key": key, "value": value, **owner})

    def remove(self, resource_ids: Sequence[str], keys: Sequence[str] | None = None) -> None:
        """Remove these keys from these resources (None: every tag, as when they go)."""
        if resource_ids:
            params = id_params(resource_ids) | id_params(keys or (), "key")
            statement = _remove(len(resource_ids), None if keys is None else len(keys))
            statement.run(self._db, params)

    def rows(
        self, owner: int, region_id: str, resource_type: str, ids: Sequence[str] | None
    ) -> list[tuple[str, str, str]]:
        """(resource id, key, value) of the owner's tagged resources of a type there, by
        resource and key."""
        params = {"account_id": owner, "region_id": region_id, "resource_type": resource_type}
        statement = _listing(None if ids is None else len(ids))
        rows = statement.rows(self._db, params | id_params(ids or ()))
        return [(resource_id, key, value) for resource_id, key, value in rows]
