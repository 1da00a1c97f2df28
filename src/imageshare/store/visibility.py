"""What an account sees: its own images plus those other accounts shared with it, in one
region and one product, as one SQL query (never a loop), filtered as the listings allow:
one statement per combination of filters (a ``Shape``), built once, the values bound.
ECD lists page by keyset (after the last image shown) and see a copy as "Creating" until it
arrives (``ready_at``)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    union,
    union_all,
)

from imageshare.domain.ecd import ECD_CREATING
from imageshare.domain.paging import Page
from imageshare.store.image_statements import IMAGE_FIELDS, tag_matches
from imageshare.store.statement_builders import LIMIT, OFFSET, CountedPage, bind, in_binds
from imageshare.store.tables import image_shares, images
from imageshare.values import frozen

# An account id, or a bound parameter standing for one.
Viewer = int | ColumnElement[Any]


@frozen
class ImageFilter:
    viewer: int
    region_id: str
    product: str
    # None: own and shared-with-me; True: only shared with me; False: only own.
    shared_with_me: bool | None = None
    image_ids: Sequence[str] | None = None
    names: Sequence[str] | None = None
    # Owner-only attributes: a recipient never matches on these.
    source_instance_id: str | None = None
    system_snapshot_id: str | None = None
    data_snapshot_id: str | None = None
    resource_group_id: str | None = None
    tags: Sequence[tuple[str, str | None]] = field(default_factory=tuple)
    # The status callers see at ``now``: an ECD copy is "Creating" until its ready_at.
    status: str | None = None
    now: datetime | None = None
    platform: str | None = None
    # Keyset paging: only images listed after this (created_at, id).
    after: tuple[datetime, str] | None = None


_i = images.c
# A shape's parameters: which filters a listing sets (and how many values a list holds);
# the values themselves are bound.
Shape = tuple[Any, ...]


def shape_of(where: ImageFilter, page: Page | None) -> Shape:
    """Which filters ``where`` sets: listings of one shape share one compiled statement."""
    return (
        where.shared_with_me,
        page is not None,
        None if where.image_ids is None else len(where.image_ids),
        None if where.names is None else len(where.names),
        where.source_instance_id is not None,
        where.system_snapshot_id is not None,
        where.data_snapshot_id is not None,
        where.resource_group_id is not None,
        tuple(value is not None for _key, value in where.tags),
        where.status is not None,
        where.status is not None and where.now is not None,
        where.platform is not None,
        where.after is not None,
    )


def params_of(where: ImageFilter, page: Page | None) -> dict[str, Any]:
    """The values a statement of ``shape_of(where, page)`` is run with."""
    params: dict[str, Any] = {
        "viewer": where.viewer,
        "region_id": where.region_id,
        "product": where.product,
        "source_instance_id": where.source_instance_id,
        "system_snapshot_id": where.system_snapshot_id,
        "data_snapshot_id": where.data_snapshot_id,
        "resource_group_id": where.resource_group_id,
        "status": where.status,
        "now": where.now,
        "platform": where.platform,
    }
    params.update(_list_params("image", where.image_ids or ()))
    params.update(_list_params("name", where.names or ()))
    for index, (key, value) in enumerate(where.tags):
        params[f"tag_key_{index}"] = key
        params[f"tag_value_{index}"] = value
    if where.after is not None:
        params["after_created_at"], params["after_id"] = where.after
    if page is not None:
        params |= {"limit": page.size, "offset": page.offset}
    return {name: value for name, value in params.items() if value is not None}


def _list_params(prefix: str, values: Sequence[Any]) -> dict[str, Any]:
    return {f"{prefix}_{index}": value for index, value in enumerate(values)}


def listing(shape: Shape) -> CountedPage:
    """The count and the page of every listing of this shape (built on first use)."""
    return _listing(shape)


@functools.lru_cache(maxsize=512)
def _listing(shape: Shape) -> CountedPage:
    shared, paged, *_ = shape
    viewer, region_id, product = bind(_i.account_id, "viewer"), bind(_i.region_id), bind(_i.product)
    conditions = (*_attributes(shape), *_owner_only(shape, viewer))
    query = _in_view(viewer, region_id, product, shared).where(*conditions)
    count = select(func.count()).select_from(query.subquery())
    ordered = _paged(query.order_by(*by_creation(query)), paged)
    looked_up = None
    if shared is not False:  # an owner's own images are found by their owner index alone
        looked_up = _looked_up(viewer, region_id, product, shared, conditions)
        looked_up = _paged(looked_up.order_by(*by_creation(looked_up)), paged)
    return CountedPage(count, ordered, postgresql_page=looked_up)


def _status_seen(now: ColumnElement[Any] | None) -> ColumnElement[str]:
    """The stored status, except that a copy still on its way is "Creating"."""
    if now is None:
        return _i.status
    arriving = and_(_i.ready_at.is_not(None), _i.ready_at > now)
    return case((arriving, literal_column(f"'{ECD_CREATING}'")), else_=_i.status)


def _has_shares() -> ColumnElement[bool]:
    return exists().where(image_shares.c.image_id == _i.id)


def _owner_only(shape: Shape, viewer: Viewer) -> list[ColumnElement[bool]]:
    """Filters on attributes only an owner sees: a recipient never matches on these."""
    owner_only = (
        _i.source_instance_id, _i.system_snapshot_id, _i.data_snapshot_id, _i.resource_group_id,
    )  # fmt: skip
    conditions = [
        column == bind(column)
        for column, wanted in zip(owner_only, shape[4:8], strict=True)
        if wanted
    ]
    conditions += tag_matches(shape[8])
    return [and_(_i.account_id == viewer, *conditions)] if conditions else []


def _attributes(shape: Shape) -> list[ColumnElement[bool]]:
    image_ids, names, status, status_at, platform, after = (*shape[2:4], *shape[9:13])
    conditions: list[ColumnElement[bool]] = []
    if image_ids is not None:
        conditions.append(in_binds(_i.id, image_ids, "image"))
    if names is not None:
        conditions.append(in_binds(_i.name, names, "name"))
    if status:
        now = bindparam("now", type_=DateTime()) if status_at else None
        conditions.append(_status_seen(now) == bind(_i.status))
    if platform:
        conditions.append(_i.platform == bind(_i.platform))
    if after:
        moment, image_id = bind(_i.created_at, "after_created_at"), bind(_i.id, "after_id")
        later = or_(_i.created_at > moment, and_(_i.created_at == moment, _i.id > image_id))
        conditions.append(later)
    return conditions


def _received(viewer: Viewer) -> Select[Any]:
    return select(image_shares.c.image_id).where(image_shares.c.account_id == viewer)


def _own_ids(viewer: Viewer) -> Select[Any]:
    mine = images.alias("mine")
    return select(mine.c.id).where(mine.c.account_id == viewer)


def _own_or_received(viewer: Viewer) -> ColumnElement[bool]:
    """``id IN (own ids UNION ALL received ids)``: both halves use an index, where the plain
    ``account_id = viewer OR EXISTS (share)`` made both databases scan every image (1.6 s at
    a million images on SQLite; milliseconds this way)."""
    return _i.id.in_(union_all(_own_ids(viewer), _received(viewer)))


def _listed(viewer: Viewer) -> Select[Any]:
    """An image's listed columns: IMAGE_FIELDS, whether it is the viewer's, whether it has
    shares."""
    columns = (_i[name] for name in IMAGE_FIELDS)
    own = (_i.account_id == viewer).label("owned")
    return select(*columns, own, _has_shares().label("shared_with_accounts"))


def _in_view(viewer: Viewer, region_id: Any, product: Any, shared: bool | None) -> Select[Any]:
    """Every image the viewer sees in one region and product, with whether it is the
    viewer's own and whether it has shares."""
    scope = {
        None: _own_or_received(viewer),
        True: _i.id.in_(_received(viewer)),
        False: _i.account_id == viewer,
    }[shared]
    return _listed(viewer).where(_i.product == product, _i.region_id == region_id, scope)


def _paged(query: Select[Any], paged: bool) -> Select[Any]:
    return query.limit(LIMIT).offset(OFFSET) if paged else query


def by_creation(query: Select[Any]) -> tuple[ColumnElement[Any], ...]:
    """The listing's order, oldest first, in ``query``'s own columns."""
    return (query.selected_columns.created_at, query.selected_columns.id)


def _looked_up(
    viewer: Viewer,
    region_id: Any,
    product: Any,
    shared: bool | None,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Select[Any]:
    """``_in_view`` as PostgreSQL runs it well with or without statistics: the ids the viewer
    sees (both halves by an index), each image looked up by its key.

    As ``id IN (...)``, PostgreSQL on a schema it has no statistics for yet (a fresh one, as in
    a test run, until autovacuum's first ANALYZE) guessed one image in the region and ran the
    id list once per image: 7 ms for 424 images, 0.8 ms this way; the same on an analysed
    million images (docs/performance.md, fifth round). ``OFFSET 0`` keeps it from flattening
    the lookup back into a join it would plan the same way. SQLite has no LATERAL, and plans
    ``IN`` well."""
    ids = _received(viewer) if shared else union(_own_ids(viewer), _received(viewer))
    seen = ids.subquery("seen")
    image = (
        _listed(viewer)
        .where(_i.id == seen.c[0], _i.product == product, _i.region_id == region_id, *conditions)
        .offset(literal_column("0"))
        .lateral("image")
    )
    return select(*image.c).select_from(seen.join(image, true()))
