"""ECS custom images: the repository. Listing what an account sees (DescribeImages, an image
by id, a family's newest) runs ``store.ecs_image_listing``'s query; the rest are an owner's
own images and their tags: add, publish, change attributes, tag, untag.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from imageshare.domain.ecs import AVAILABLE, EcsImage
from imageshare.domain.images import VisibleImage
from imageshare.domain.products import ImageProduct
from imageshare.store.ecs_image_listing import FIELDS, EcsImageQuery, listing, seen
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import bind, id_params, in_binds, insert_row
from imageshare.store.tables import image_tags, images

_c = images.c
_OWNED = select(*(_c[name] for name in FIELDS)).where(
    _c.id == bind(_c.id, "image_id"),
    _c.account_id == bind(_c.account_id),
    _c.region_id == bind(_c.region_id),
    _c.product == ImageProduct.ECS,
)
_OWNED_STATEMENTS = (Statement(_OWNED), Statement(_OWNED.with_for_update()))
_ADD = insert_row(images, (*FIELDS, "shared_to_ecs"))
_ADD_TAG = insert_row(image_tags)
_SET_PUBLISHED = Statement(
    update(images)
    .where(_c.id == bind(_c.id, "image_id"))
    .values(published_at=bind(_c.published_at))
)


class EcsImageRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def page(
        self, q: EcsImageQuery, offset: int, limit: int
    ) -> tuple[int, list[VisibleImage[EcsImage]]]:
        """How many images ``q`` selects, and ``limit`` of them from ``offset``, newest first."""
        statement, params = listing(q)
        if limit <= 0:
            return int(statement.count.scalar(self._db, params)), []
        total, rows = statement.rows(self._db, {**params, "limit": limit, "offset": offset})
        return total, [seen(row) for row in rows]

    def owned(
        self, viewer: int, region_id: str, image_id: str, *, lock: bool = False
    ) -> EcsImage | None:
        """The viewer's own ECS custom image there; ``lock`` holds its row (PostgreSQL)."""
        params = {"image_id": image_id, "account_id": viewer, "region_id": region_id}
        row = _OWNED_STATEMENTS[lock].first(self._db, params)
        return EcsImage(*row) if row else None

    def add(self, image: EcsImage, tags: Sequence[tuple[str, str]]) -> None:
        values = {name: getattr(image, name) for name in FIELDS}
        _ADD.run(self._db, {**values, "shared_to_ecs": False})
        for key, value in tags:
            _ADD_TAG.run(self._db, {"image_id": image.id, "key": key, "value": value})

    def set_published(self, image_id: str, when: datetime | None) -> None:
        _SET_PUBLISHED.run(self._db, {"image_id": image_id, "published_at": when})

    def visible(self, viewer: int, region_id: str, image_id: str) -> VisibleImage[EcsImage] | None:
        """The ECS image as ``viewer`` sees it there (own, shared with it, or community)."""
        rows = self.page(_one(viewer, region_id, image_id), 0, 1)[1]
        return rows[0] if rows else None

    def set_tags(self, image_id: str, pairs: Sequence[tuple[str, str]]) -> None:
        """Add tags, replacing the value of a key the image already has."""
        for key, value in pairs:
            row = {"image_id": image_id, "key": key, "value": value}
            _DELETE_TAG.run(self._db, row)
            _ADD_TAG.run(self._db, row)

    def remove_tags(self, image_id: str, keys: Sequence[str] | None) -> None:
        """Remove these keys (None: every tag)."""
        params = {"image_id": image_id, **id_params(keys or (), "key")}
        _remove_tags(None if keys is None else len(keys)).run(self._db, params)

    def tag_rows(
        self, owner: int, region_id: str, image_ids: Sequence[str] | None
    ) -> list[tuple[str, str, str]]:
        """(image id, key, value) of the owner's ECS images there, by image and key."""
        params = {"account_id": owner, "region_id": region_id, **id_params(image_ids or ())}
        rows = _tag_rows(None if image_ids is None else len(image_ids)).rows(self._db, params)
        return [(image_id, key, value) for image_id, key, value in rows]

    def made_from_snapshot(self, owner: int, snapshot_id: str) -> bool:
        params = {"account_id": owner, "system_snapshot_id": snapshot_id}
        return bool(_MADE_FROM_SNAPSHOT.rows(self._db, params))

    def set_attributes(self, image_id: str, values: dict[str, Any]) -> None:
        """Change the named columns (name, description, image_family, boot_mode, status,
        updated_at); the caller has checked the name is free."""
        statement = _set_attributes(tuple(sorted(values)))
        statement.run(
            self._db, {**{f"new_{k}": v for k, v in values.items()}, "image_id": image_id}
        )

    def latest_in_family(
        self, viewer: int, region_id: str, family: str, now: datetime
    ) -> VisibleImage[EcsImage] | None:
        """The newest Available image of the family the viewer may use, custom images only."""
        query = EcsImageQuery(
            viewer, region_id, now, family=family, statuses=frozenset({AVAILABLE})
        )
        rows = self.page(query, 0, 1)[1]
        return rows[0] if rows else None


def _one(viewer: int, region_id: str, image_id: str) -> EcsImageQuery:
    # Any status: a copy still arriving, a deprecated image.
    return EcsImageQuery(viewer, region_id, datetime.min, image_ids=[image_id], statuses=None)


_MADE_FROM_SNAPSHOT = Statement(
    select(_c.id)
    .where(
        _c.account_id == bind(_c.account_id),
        _c.system_snapshot_id == bind(_c.system_snapshot_id),
    )
    .limit(1)
)


@functools.lru_cache(maxsize=64)
def _set_attributes(names: tuple[str, ...]) -> Statement:
    values = {name: bind(_c[name], f"new_{name}") for name in names}
    return Statement(update(images).where(_c.id == bind(_c.id, "image_id")).values(values))


_t = image_tags.c
_DELETE_TAG = Statement(
    delete(image_tags).where(_t.image_id == bind(_t.image_id), _t.key == bind(_t.key))
)


@functools.lru_cache(maxsize=64)
def _remove_tags(keys: int | None) -> Statement:
    """Delete an image's tags: ``keys`` of them (``key_0`` ...), or all (None)."""
    query = delete(image_tags).where(_t.image_id == bind(_t.image_id))
    return Statement(query if keys is None else query.where(in_binds(_t.key, keys, "key")))


@functools.lru_cache(maxsize=128)
def _tag_rows(image_ids: int | None) -> Statement:
    query = (
        select(_t.image_id, _t.key, _t.value)
        .join(images, _c.id == _t.image_id)
        .where(
            _c.account_id == bind(_c.account_id),
            _c.region_id == bind(_c.region_id),
            _c.product == ImageProduct.ECS,
        )
    )
    if image_ids is not None:
        query = query.where(in_binds(_t.image_id, image_ids))
    return Statement(query.order_by(_t.image_id, _t.key))
