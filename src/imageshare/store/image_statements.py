"""The image and share statements of the request path, compiled once (store/statement.py)."""

from __future__ import annotations

import functools

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update

from imageshare.store.statement import Statement
from imageshare.store.statement_builders import (
    LIMIT,
    OFFSET,
    CountedPage,
    bind,
    id_binds,
    in_binds,
    insert_row,
)
from imageshare.store.tables import image_shares, image_tags, images

IMAGE_FIELDS = (
    "id", "account_id", "region_id", "product", "name", "description", "status", "platform",
    "source_instance_id", "system_snapshot_id", "data_snapshot_id", "system_disk_size",
    "data_disk_size", "resource_group_id", "shared_to_ecs", "created_at", "encryption_key_id",
    "ready_at", "updated_at", "architecture", "os_name", "image_family", "boot_mode",
    "copied_from", "published_at",
)  # fmt: skip

_i = images.c
_IMAGE_COLUMNS = [images.c[name] for name in IMAGE_FIELDS]
_IS_OWNED = (
    _i.id == bind(_i.id, "image_id"),
    _i.account_id == bind(_i.account_id),
    _i.region_id == bind(_i.region_id),
    _i.product == bind(_i.product),
)
_OWNED = select(*_IMAGE_COLUMNS).where(*_IS_OWNED)
OWNED = Statement(_OWNED)
# FOR UPDATE on PostgreSQL; SQLite compiles it away (its writers hold the database lock).
OWNED_LOCKED = Statement(_OWNED.with_for_update())
# For a caller that needs no more than to know the image is its own: one column.
_OWNS = select(_i.id).where(*_IS_OWNED)
OWNS = Statement(_OWNS)
OWNS_LOCKED = Statement(_OWNS.with_for_update())
# For a share: what decides whether the caller's image may be shared, its row locked.
SHARE_STATE_LOCKED = Statement(
    select(_i.encryption_key_id, _i.ready_at, _i.status).where(*_IS_OWNED).with_for_update()
)
ADD_IMAGE = insert_row(images)
ADD_TAG = insert_row(image_tags)
FIND = Statement(
    select(*_IMAGE_COLUMNS).where(_i.id == bind(_i.id, "image_id"), _i.product == bind(_i.product))
)
# Owner and region only: explaining a refusal costs the same whether the image exists or not.
WHOSE = Statement(
    select(_i.account_id, _i.region_id).where(
        _i.id == bind(_i.id, "image_id"), _i.product == bind(_i.product)
    )
)
_IN_PLACE = (_i.account_id == bind(_i.account_id), _i.region_id == bind(_i.region_id))
NAME_TAKEN = Statement(
    select(_i.id)
    .where(*_IN_PLACE, _i.product == bind(_i.product), _i.name == bind(_i.name))
    .limit(1)
)
COUNT = Statement(select(func.count()).where(*_IN_PLACE, _i.product == bind(_i.product)))
SET_SHARED_TO_ECS = Statement(
    update(images)
    .where(_i.id == bind(_i.id, "image_id"))
    .values(shared_to_ecs=bind(_i.shared_to_ecs))
)
DELETE = (
    Statement(delete(image_tags).where(image_tags.c.image_id == bind(image_tags.c.image_id))),
    Statement(delete(image_shares).where(image_shares.c.image_id == bind(image_shares.c.image_id))),
    Statement(delete(images).where(_i.id == bind(_i.id, "image_id"))),
)


@functools.lru_cache(maxsize=8)
def set_attributes(name: bool, description: bool) -> Statement:
    """Rename and/or describe an image (parameters image_id, updated_at, name, description)."""
    values = {"updated_at": bind(_i.updated_at)}
    if name:
        values["name"] = bind(_i.name)
    if description:
        values["description"] = bind(_i.description)
    return Statement(update(images).where(_i.id == bind(_i.id, "image_id")).values(values))


# What an account's ECS DescribeImages lists: its SWAS images shared to ECS, and its ECS
# images. Parameters: account_id, region_id, swas, ecs (the product names).
IN_ECS = and_(
    *_IN_PLACE,
    or_(
        and_(_i.product == bind(_i.product, "swas"), _i.shared_to_ecs),
        _i.product == bind(_i.product, "ecs"),
    ),
)
IN_ECS_ORDER = (_i.created_at.desc(), _i.id)


@functools.lru_cache(maxsize=128)
def page_in_ecs(image_ids: int | None) -> CountedPage:
    """The ECS listing, filtered to ``image_ids`` ids (``image_0`` ...) unless None."""
    conditions = [IN_ECS]
    if image_ids is not None:
        conditions.append(in_binds(_i.id, image_ids, "image"))
    return CountedPage(
        select(func.count()).select_from(images).where(*conditions),
        select(*_IMAGE_COLUMNS)
        .where(*conditions)
        .order_by(*IN_ECS_ORDER)
        .limit(LIMIT)
        .offset(OFFSET),
    )


_s = image_shares.c
SHARE_ACCOUNTS = Statement(select(_s.account_id).where(_s.image_id == bind(_s.image_id)))
ORDERED_SHARES = Statement(
    select(_s.account_id)
    .where(_s.image_id == bind(_s.image_id))
    .order_by(_s.shared_at, _s.account_id)
)
ADD_SHARE = insert_row(image_shares)
REMOVE_SHARE = Statement(
    delete(image_shares).where(
        _s.image_id == bind(_s.image_id), _s.account_id == bind(_s.account_id)
    )
)
PAGE_SHARES = CountedPage(
    select(func.count()).where(_s.image_id == bind(_s.image_id)),
    select(_s.account_id, _s.shared_at)
    .where(_s.image_id == bind(_s.image_id))
    .order_by(_s.shared_at, _s.account_id)
    .limit(LIMIT)
    .offset(OFFSET),
)


@functools.lru_cache(maxsize=128)
def share_counts(count: int) -> Statement:
    """How many accounts each of ``count`` images (``id_0`` ...) is shared with."""
    query = select(_s.image_id, func.count()).where(_s.image_id.in_(id_binds(_s.image_id, count)))
    return Statement(query.group_by(_s.image_id))


@functools.lru_cache(maxsize=128)
def tags_of(count: int) -> Statement:
    """The tags of ``count`` images (parameters ``id_0`` ...), by image and key."""
    t = image_tags.c
    query = select(t.image_id, t.key, t.value).where(t.image_id.in_(id_binds(t.image_id, count)))
    return Statement(query.order_by(t.image_id, t.key))


def tag_matches(tags: tuple[bool, ...]) -> list[ColumnElement[bool]]:
    """Tag.N filters of a listing: for each, the image has tag ``tag_key_N`` (with the value
    ``tag_value_N`` when its flag says one was given)."""
    t = image_tags.c
    matches: list[ColumnElement[bool]] = []
    for index, has_value in enumerate(tags):
        match = exists().where(t.image_id == images.c.id, t.key == bind(t.key, f"tag_key_{index}"))
        if has_value:
            match = match.where(t.value == bind(t.value, f"tag_value_{index}"))
        matches.append(match)
    return matches
