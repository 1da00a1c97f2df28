"""What an account sees: its own images plus those other accounts shared with it, in one
region and one product, as one SQL query (never a loop), filtered as the listings allow.
ECD lists page by keyset (after the last image shown) and see a copy as "Creating" until it
arrives (``ready_at``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union,
    union_all,
)

from imageshare.domain.images import ECD_CREATING, Page
from imageshare.store.image_statements import IMAGE_FIELDS
from imageshare.store.prepared import CountedPage
from imageshare.store.tables import image_shares, image_tags, images

# An account id, or a bound parameter standing for one.
Viewer = int | ColumnElement[Any]


@dataclass(frozen=True)
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


def effective_status(now: datetime | None) -> ColumnElement[str]:
    """The stored status, except that a copy still on its way is "Creating"."""
    c = images.c
    if now is None:
        return c.status
    arriving = and_(c.ready_at.is_not(None), c.ready_at > now)
    return case((arriving, literal(ECD_CREATING)), else_=c.status)


def _has_shares() -> ColumnElement[bool]:
    return exists().where(image_shares.c.image_id == images.c.id)


def _owner_only(where: ImageFilter) -> list[ColumnElement[bool]]:
    c = images.c
    wanted = {
        c.source_instance_id: where.source_instance_id,
        c.system_snapshot_id: where.system_snapshot_id,
        c.data_snapshot_id: where.data_snapshot_id,
        c.resource_group_id: where.resource_group_id,
    }
    conditions = [column == value for column, value in wanted.items() if value is not None]
    for key, value in where.tags:
        t = image_tags.c
        match = exists().where(t.image_id == c.id, t.key == key)
        conditions.append(match.where(t.value == value) if value is not None else match)
    return [and_(c.account_id == where.viewer, *conditions)] if conditions else []


def _attributes(where: ImageFilter) -> list[ColumnElement[bool]]:
    c = images.c
    conditions: list[ColumnElement[bool]] = []
    if where.image_ids is not None:
        conditions.append(c.id.in_(where.image_ids))
    if where.names is not None:
        conditions.append(c.name.in_(where.names))
    if where.status is not None:
        conditions.append(effective_status(where.now) == where.status)
    if where.platform is not None:
        conditions.append(c.platform == where.platform)
    if where.after is not None:
        moment, image_id = where.after
        later = or_(c.created_at > moment, and_(c.created_at == moment, c.id > image_id))
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
    return images.c.id.in_(union_all(_own_ids(viewer), _received(viewer)))


def _listed(viewer: Viewer) -> Select[Any]:
    """An image's listed columns: IMAGE_FIELDS, whether it is the viewer's, whether it has
    shares."""
    c = images.c
    columns = (c[name] for name in IMAGE_FIELDS)
    own = (c.account_id == viewer).label("owned")
    return select(*columns, own, _has_shares().label("shared_with_accounts"))


def _in_view(viewer: Viewer, region_id: Any, product: Any, shared: bool | None) -> Select[Any]:
    """Every image the viewer sees in one region and product, with whether it is the
    viewer's own and whether it has shares. Values or bound parameters alike."""
    c = images.c
    own = c.account_id == viewer
    scope = {
        None: _own_or_received(viewer),
        True: c.id.in_(_received(viewer)),
        False: own,
    }[shared]
    return _listed(viewer).where(c.product == product, c.region_id == region_id, scope)


def visible(where: ImageFilter, dialect: str) -> Select[Any]:
    """The images ``where`` selects, in no order; columns IMAGE_FIELDS, owned, shared (order
    by ``by_creation``). ``dialect``: the database's name, for the form it plans well."""
    conditions = (*_attributes(where), *_owner_only(where))
    scope = (where.viewer, where.region_id, where.product, where.shared_with_me)
    if dialect == "postgresql" and where.shared_with_me is not False:
        return _looked_up(*scope, conditions)
    return _in_view(*scope).where(*conditions)


# The call nearly every listing makes (no filter but the viewer's scope) as prepared
# statements, built once: building and running the query through SQLAlchemy cost more than
# twice the database's work (docs/performance.md).
_PLAIN: dict[tuple[bool | None, bool], CountedPage] = {}


def plain_listing(
    where: ImageFilter, page: Page | None
) -> tuple[CountedPage, dict[str, Any]] | None:
    """(statements, parameters) when ``where`` filters on nothing but its scope, else None."""
    unfiltered = ImageFilter(where.viewer, where.region_id, where.product, where.shared_with_me)
    # ``now`` only matters with a status filter; no tags may come as a list or a tuple.
    if replace(where, now=None, tags=tuple(where.tags)) != unfiltered:
        return None
    key = (where.shared_with_me, page is not None)
    if key not in _PLAIN:
        _PLAIN[key] = _plain_statements(*key)
    listing = _PLAIN[key]
    params: dict[str, Any] = {
        "viewer": where.viewer,
        "region_id": where.region_id,
        "product": where.product,
    }
    if page is not None:
        params |= {"limit": page.size, "offset": page.offset}
    return listing, params


def _plain_statements(shared: bool | None, paged: bool) -> CountedPage:
    viewer = bindparam("viewer", type_=BigInteger())
    query = _in_view(viewer, bindparam("region_id"), bindparam("product"), shared)
    count = select(func.count()).select_from(query.subquery())
    ordered = _paged(query.order_by(*by_creation(query)), paged)
    looked_up = None
    if shared is not False:  # an owner's own images are found by their owner index alone
        looked_up = _looked_up(viewer, bindparam("region_id"), bindparam("product"), shared)
        looked_up = _paged(looked_up.order_by(*by_creation(looked_up)), paged)
    return CountedPage(count, ordered, postgresql_page=looked_up)


def _paged(query: Select[Any], paged: bool) -> Select[Any]:
    return query.limit(bindparam("limit")).offset(bindparam("offset")) if paged else query


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
    c = images.c
    ids = _received(viewer) if shared else union(_own_ids(viewer), _received(viewer))
    seen = ids.subquery("seen")
    image = (
        _listed(viewer)
        .where(c.id == seen.c[0], c.product == product, c.region_id == region_id, *conditions)
        .offset(literal_column("0"))
        .lateral("image")
    )
    return select(*image.c).select_from(seen.join(image, true()))
