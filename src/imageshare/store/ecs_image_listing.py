"""Which ECS custom images an account sees in one region: its own (ECS images and the SWAS
images it shared to ECS), the ECS images other accounts shared with it, and community images
(published by their owners to every account in the region). One SQL query per listing, built
once per shape of ``EcsImageQuery``; ``store.ecs_images`` runs it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)

from imageshare.domain.ecs import AVAILABLE, CREATING, DEPRECATED, EcsImage
from imageshare.domain.images import VisibleImage
from imageshare.domain.products import ImageProduct
from imageshare.store.statement import (
    CountedPage,
    bind,
    escape_like,
    id_binds,
    id_params,
    in_binds,
)
from imageshare.store.tables import image_shares, image_tags, images

_c = images.c
# An EcsImage's columns, in the order of its fields (rows become EcsImage(*row)).
FIELDS = (
    "id", "account_id", "region_id", "product", "name", "description", "status", "platform",
    "os_name", "architecture", "image_family", "boot_mode", "system_snapshot_id",
    "system_disk_size", "data_snapshot_id", "data_disk_size", "resource_group_id",
    "encryption_key_id", "created_at", "ready_at", "copied_from", "published_at",
    "source_instance_id",
)  # fmt: skip


@dataclass(frozen=True)
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


def _scope(own: bool, shared: bool, community: bool) -> ColumnElement[bool]:
    """The kinds of image asked for, as ``id IN (own ids UNION ALL shared ids UNION ALL
    community ids)``: each list comes from an index (the owner's name constraint, the shares
    by account, the community index). Written as ``own OR shared OR community`` on the images
    row, the community part (``published_at IS NOT NULL``) matched no index, so both databases
    read every image of the region on every call."""
    region = _c.region_id == bind(_c.region_id)
    others = and_(_c.product == ImageProduct.ECS, _c.account_id != _VIEWER)
    own_ids = select(_c.id).where(
        _c.account_id == _VIEWER,
        region,
        or_(
            _c.product == ImageProduct.ECS, and_(_c.product == ImageProduct.SWAS, _c.shared_to_ecs)
        ),
    )
    shares = image_shares.c
    shared_ids = (
        select(_c.id)
        .join(image_shares, shares.image_id == _c.id)
        .where(shares.account_id == _VIEWER, region, others)
    )
    community_ids = select(_c.id).where(region, _c.published_at.is_not(None), others)
    wanted = [
        ids for on, ids in ((own, own_ids), (shared, shared_ids), (community, community_ids)) if on
    ]
    if not wanted:
        return false()
    return _c.id.in_(union_all(*wanted) if len(wanted) > 1 else wanted[0])


def _filters(shape: Shape) -> list[ColumnElement[bool]]:
    own, shared, community, image_ids, excluded, name, statuses, *flags, tags = shape
    os_type, architecture, family, snapshot, owner, after, before, group = flags
    wanted = [_c.region_id == bind(_c.region_id), _scope(own, shared, community)]
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
    t = image_tags.c
    for index, has_value in enumerate(tags):
        match = exists().where(t.image_id == _c.id, t.key == bind(t.key, f"tag_key_{index}"))
        if has_value:
            match = match.where(t.value == bind(t.value, f"tag_value_{index}"))
        conditions.append(match)
    return [and_(_c.account_id == _VIEWER, *conditions)] if conditions else []


@functools.lru_cache(maxsize=512)
def _listing(shape: Shape) -> CountedPage:
    has_shares = exists().where(image_shares.c.image_id == _c.id)
    columns = [_c[name] for name in FIELDS]
    owned = (_c.account_id == _VIEWER).label("owned")
    query = select(*columns, owned, has_shares.label("shared_with_accounts")).where(
        *_filters(shape)
    )
    return CountedPage.of(query, _c.created_at.desc(), _c.id)


def listing(q: EcsImageQuery) -> tuple[CountedPage, dict[str, Any]]:
    """The statement of ``q``'s shape and ``q``'s values for it."""
    return _listing(_shape(q)), _params(q)


def seen(row: tuple[Any, ...]) -> VisibleImage[EcsImage]:
    """A listed row: the image, whether it is the viewer's, whether it is shared."""
    image = EcsImage(*row[: len(FIELDS)])
    return VisibleImage(image, bool(row[len(FIELDS)]), bool(row[len(FIELDS) + 1]))


# What an image's Status can be once it exists (DescribeImages' Usable, DescribeImageFromFamily).
USABLE_STATUSES = frozenset({AVAILABLE, DEPRECATED})
