"""Which ECS custom images an account sees in one region: its own (ECS images and the SWAS
images it shared to ECS), the ECS images other accounts shared with it, and community images
(published by their owners to every account in the region). One SQL query per listing, built
once per shape of ``EcsImageQuery``; ``store.ecs_images`` runs it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union,
    union_all,
)

from imageshare.domain.ecs import AVAILABLE, CREATING, DEPRECATED, EcsImage
from imageshare.domain.images import VisibleImage
from imageshare.domain.products import ImageProduct
from imageshare.store.image_statements import tag_matches
from imageshare.store.statement_builders import (
    LIMIT,
    OFFSET,
    CountedPage,
    bind,
    escape_like,
    id_binds,
    id_params,
    in_binds,
)
from imageshare.store.tables import image_shares, images
from imageshare.values import frozen

_c = images.c
# An EcsImage's columns, in the order of its fields (rows become EcsImage(*row)).
FIELDS = (
    "id", "account_id", "region_id", "product", "name", "description", "status", "platform",
    "os_name", "architecture", "image_family", "boot_mode", "system_snapshot_id",
    "system_disk_size", "data_snapshot_id", "data_disk_size", "resource_group_id",
    "encryption_key_id", "created_at", "ready_at", "copied_from", "published_at",
    "source_instance_id",
)  # fmt: skip


@frozen
class EcsImageQuery:
    viewer: int
    region_id: str
    now: datetime
    # Which kinds of image: the viewer's own, shared with it, community images of others.
    own: bool = True
    shared: bool = True
    community: bool = True
    image_ids: Sequence[str] | None = None
    exclude_ids: Sequence[str] = ()
    name_contains: str | None = None
    statuses: frozenset[str] | None = None  # None: any
    os_type: str | None = None
    architecture: str | None = None
    family: str | None = None
    snapshot_id: str | None = None
    resource_group_id: str | None = None
    owner_id: int | None = None
    tags: Sequence[tuple[str, str | None]] = field(default_factory=tuple)
    created_after: datetime | None = None
    created_before: datetime | None = None


def _status_seen_in_ecs(now: ColumnElement[Any]) -> ColumnElement[str]:
    """The stored status, except that an image still being made or copied is "Creating", and
    a SWAS image shared to ECS (whose status SWAS keeps as a digit) is "Available"."""
    arriving = and_(_c.ready_at.is_not(None), _c.ready_at > now)
    from_swas = _c.product == ImageProduct.SWAS
    return case((arriving, literal(CREATING)), (from_swas, literal(AVAILABLE)), else_=_c.status)


# A query's shape: which filters it sets (and how many values a list holds); the values are
# bound, so queries of one shape share one compiled statement.
Shape = tuple[Any, ...]


def _shape(q: EcsImageQuery) -> Shape:
    return (
        q.own,
        q.shared,
        q.community,
        None if q.image_ids is None else len(q.image_ids),
        len(q.exclude_ids),
        bool(q.name_contains),
        None if q.statuses is None else len(q.statuses),
        *(value is not None for value in _simple_values(q)),
        tuple(value is not None for _key, value in q.tags),
    )


def _simple_values(q: EcsImageQuery) -> tuple[Any, ...]:
    """The single-valued filters, in the order ``_filters`` reads their flags."""
    return (
        q.os_type,
        q.architecture,
        q.family,
        q.snapshot_id,
        q.owner_id,
        q.created_after,
        q.created_before,
        q.resource_group_id,
    )


_SIMPLE_NAMES = (
    "os_type", "architecture", "family", "snapshot_id", "owner_id", "created_after",
    "created_before", "resource_group_id",
)  # fmt: skip


def _params(q: EcsImageQuery) -> dict[str, Any]:
    params: dict[str, Any] = {"viewer": q.viewer, "region_id": q.region_id, "now": q.now}
    params |= id_params(q.image_ids or (), "image")
    params |= id_params(q.exclude_ids, "exclude")
    params |= id_params(sorted(q.statuses or ()), "status")
    if q.name_contains:
        params["name_pattern"] = "%" + escape_like(q.name_contains.lower()) + "%"
    params |= dict(zip(_SIMPLE_NAMES, _simple_values(q), strict=True))
    for index, (key, value) in enumerate(q.tags):
        params[f"tag_key_{index}"], params[f"tag_value_{index}"] = key, value
    return params


_VIEWER = bind(_c.account_id, "viewer")


def _visible_ids(own: bool, shared: bool, community: bool) -> list[Select[Any]]:
    """The ids of each kind of image asked for, each from one index alone: the owner's name
    constraint, the shares by account, the partial index of community images (``_kinds``
    then checks each row found). Asked of the images row as ``own OR shared OR community``,
    the community part (``published_at IS NOT NULL``) matched no index, and both databases
    read every image on every call (366 ms at a million images on SQLite;
    docs/performance.md)."""
    seen = images.alias("seen")
    region = seen.c.region_id == bind(_c.region_id)
    own_ids = select(seen.c.id).where(seen.c.account_id == _VIEWER, region)
    received = select(image_shares.c.image_id).where(image_shares.c.account_id == _VIEWER)
    community_ids = select(seen.c.id).where(region, seen.c.published_at.is_not(None))
    kinds = ((own, own_ids), (shared, received), (community, community_ids))
    return [ids for wanted, ids in kinds if wanted]


def _kinds(own: bool, others: bool) -> ColumnElement[bool]:
    """What a found row must be: the viewer's ECS image (or its SWAS image shared to ECS),
    if its own are asked for; another account's ECS image, if shared or community images
    are (SWAS images shared between accounts stay in SWAS; the viewer's own published image
    is not a community image to it)."""
    from_swas = and_(_c.product == ImageProduct.SWAS, _c.shared_to_ecs)
    mine = and_(_c.account_id == _VIEWER, or_(_c.product == ImageProduct.ECS, from_swas))
    theirs = and_(_c.product == ImageProduct.ECS, _c.account_id != _VIEWER)
    kinds = [kind for wanted, kind in ((own, mine), (others, theirs)) if wanted]
    return or_(*kinds) if kinds else false()


def _scope(shape: Shape) -> ColumnElement[bool]:
    """SQLite's form: ``id IN (own ids UNION ALL shared ids UNION ALL community ids)``."""
    parts = _visible_ids(*shape[:3])
    if not parts:
        return false()
    return _c.id.in_(union_all(*parts) if len(parts) > 1 else parts[0])


def _filters(shape: Shape) -> list[ColumnElement[bool]]:
    own, shared, community, image_ids, excluded, name, statuses, *flags, tags = shape
    os_type, architecture, family, snapshot, owner, after, before, group = flags
    wanted = [_c.region_id == bind(_c.region_id), _kinds(own, shared or community)]
    if image_ids is not None:
        wanted.append(in_binds(_c.id, image_ids, "image"))
    if excluded:
        wanted.append(_c.id.not_in(id_binds(_c.id, excluded, "exclude")))
    if name:
        pattern = bind(_c.name, "name_pattern")
        wanted.append(func.lower(_c.name).like(pattern, escape="\\"))
    if statuses is not None:
        now = bind(_c.ready_at, "now")
        wanted.append(in_binds(_status_seen_in_ecs(now), statuses, "status"))
    if os_type:
        wanted.append(func.lower(_c.platform) == bind(_c.platform, "os_type"))
    if architecture:
        coalesced = func.coalesce(_c.architecture, "x86_64")
        wanted.append(coalesced == bind(_c.architecture))
    simple = ((family, _c.image_family, "family"), (snapshot, _c.system_snapshot_id, "snapshot_id"))
    wanted += [column == bind(column, name) for on, column, name in simple if on]
    if owner:
        wanted.append(_c.account_id == bind(_c.account_id, "owner_id"))
    if after:
        wanted.append(_c.created_at >= bind(_c.created_at, "created_after"))
    if before:
        wanted.append(_c.created_at <= bind(_c.created_at, "created_before"))
    return wanted + _owner_only(group, tags)


def _owner_only(group: bool, tags: tuple[bool, ...]) -> list[ColumnElement[bool]]:
    """Resource groups and tags are the owner's: an image matches them for its owner only."""
    conditions: list[ColumnElement[bool]] = []
    if group:
        conditions.append(_c.resource_group_id == bind(_c.resource_group_id))
    conditions += tag_matches(tags)
    return [and_(_c.account_id == _VIEWER, *conditions)] if conditions else []


def _wide() -> Select[Any]:
    """A listed row: FIELDS, whether it is the viewer's, whether it has shares."""
    has_shares = exists().where(image_shares.c.image_id == _c.id)
    owned = (_c.account_id == _VIEWER).label("owned")
    return select(*(_c[name] for name in FIELDS), owned, has_shares.label("shared_with_accounts"))


def _looked_up(shape: Shape) -> Select[Any]:
    """PostgreSQL's form: the visible ids, each image looked up by its key (as the SWAS and
    ECD listings do, store/visibility.py). As ``id IN (...)``, PostgreSQL on a schema not
    yet analysed (a fresh one, as in every test run) planned the id list badly: ECS
    DescribeImages took 61 ms per call on the benchmark's 212 images."""
    parts = _visible_ids(*shape[:3])
    if not parts:
        return _wide().where(false())
    ids = (union(*parts) if len(parts) > 1 else parts[0]).subquery("visible")
    image = (
        _wide()
        .where(_c.id == ids.c[0], *_filters(shape))
        .offset(literal_column("0"))  # not flattened back into a join planned the same way
        .lateral("image")
    )
    return select(*image.c).select_from(ids.join(image, true()))


@functools.lru_cache(maxsize=512)
def _listing(shape: Shape) -> CountedPage:
    query = _wide().where(_scope(shape), *_filters(shape))
    count = select(func.count()).select_from(query.subquery())
    page = query.order_by(_c.created_at.desc(), _c.id).limit(LIMIT).offset(OFFSET)
    looked_up = _looked_up(shape)
    order = (looked_up.selected_columns.created_at.desc(), looked_up.selected_columns.id)
    postgresql_page = looked_up.order_by(*order).limit(LIMIT).offset(OFFSET)
    return CountedPage(count, page, postgresql_page=postgresql_page)


def listing(q: EcsImageQuery) -> tuple[CountedPage, dict[str, Any]]:
    """The statement of ``q``'s shape and ``q``'s values for it."""
    return _listing(_shape(q)), _params(q)


def seen(row: tuple[Any, ...]) -> VisibleImage[EcsImage]:
    """A listed row: the image, whether it is the viewer's, whether it is shared."""
    image = EcsImage(*row[: len(FIELDS)])
    return VisibleImage(image, bool(row[len(FIELDS)]), bool(row[len(FIELDS) + 1]))


# What an image's Status can be once it exists (DescribeImages' Usable, DescribeImageFromFamily).
USABLE_STATUSES = frozenset({AVAILABLE, DEPRECATED})
