"""ECS custom images as an account sees them in one region: its own (ECS images and the SWAS
images it shared to ECS), the ECS images other accounts shared with it, and community images
(published by their owners to every account in the region). One SQL query per listing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from imageshare.domain.ecs import AVAILABLE, CREATING, DEPRECATED, ECS
from imageshare.domain.images import SWAS
from imageshare.store.tables import image_shares, image_tags, images

_c = images.c
_FIELDS = (
    "id", "account_id", "region_id", "product", "name", "description", "status", "platform",
    "os_name", "architecture", "image_family", "boot_mode", "system_snapshot_id",
    "system_disk_size", "data_snapshot_id", "data_disk_size", "resource_group_id",
    "encryption_key_id", "created_at", "ready_at", "copied_from", "published_at",
    "source_instance_id",
)  # fmt: skip


@dataclass(frozen=True)
class EcsImage:
    id: str
    account_id: int
    region_id: str
    product: str
    name: str
    description: str
    status: str
    platform: str  # "Linux" | "Windows"
    os_name: str | None
    architecture: str | None
    image_family: str | None
    boot_mode: str | None
    system_snapshot_id: str | None
    system_disk_size: int
    data_snapshot_id: str | None
    data_disk_size: int
    resource_group_id: str | None
    encryption_key_id: str | None
    created_at: datetime
    ready_at: datetime | None
    copied_from: str | None
    published_at: datetime | None
    source_instance_id: str | None = None


@dataclass(frozen=True)
class Seen:
    """An image as one viewer sees it: whether it is theirs, whether it has shares."""

    image: EcsImage
    owned: bool
    has_shares: bool


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


def effective_status(now: datetime) -> ColumnElement[str]:
    """The stored status, except that an image still being made or copied is "Creating", and
    a SWAS image shared to ECS (whose status SWAS keeps as a digit) is "Available"."""
    arriving = and_(_c.ready_at.is_not(None), _c.ready_at > now)
    from_swas = _c.product == SWAS
    return case((arriving, literal(CREATING)), (from_swas, literal(AVAILABLE)), else_=_c.status)


def _scope(q: EcsImageQuery) -> ColumnElement[bool]:
    own = and_(
        _c.account_id == q.viewer,
        or_(_c.product == ECS, and_(_c.product == SWAS, _c.shared_to_ecs)),
    )
    received = select(image_shares.c.image_id).where(image_shares.c.account_id == q.viewer)
    shared = and_(_c.product == ECS, _c.account_id != q.viewer, _c.id.in_(received))
    community = and_(_c.product == ECS, _c.account_id != q.viewer, _c.published_at.is_not(None))
    kinds = [
        cond
        for wanted, cond in ((q.own, own), (q.shared, shared), (q.community, community))
        if wanted
    ]
    return or_(*kinds) if kinds else false()


def _filters(q: EcsImageQuery) -> list[ColumnElement[bool]]:
    wanted: list[ColumnElement[bool]] = [_c.region_id == q.region_id, _scope(q)]
    if q.image_ids is not None:
        wanted.append(_c.id.in_(q.image_ids))
    if q.exclude_ids:
        wanted.append(_c.id.not_in(q.exclude_ids))
    if q.name_contains:
        pattern = "%" + _escape_like(q.name_contains.lower()) + "%"
        wanted.append(func.lower(_c.name).like(pattern, escape="\\"))
    if q.statuses is not None:
        wanted.append(effective_status(q.now).in_(sorted(q.statuses)))
    if q.os_type is not None:
        wanted.append(func.lower(_c.platform) == q.os_type)
    if q.architecture is not None:
        wanted.append(func.coalesce(_c.architecture, "x86_64") == q.architecture)
    simple = {
        _c.image_family: q.family,
        _c.system_snapshot_id: q.snapshot_id,
        _c.account_id: q.owner_id,
    }
    wanted += [column == value for column, value in simple.items() if value is not None]
    if q.created_after is not None:
        wanted.append(_c.created_at >= q.created_after)
    if q.created_before is not None:
        wanted.append(_c.created_at <= q.created_before)
    return wanted + _owner_only(q)


def _owner_only(q: EcsImageQuery) -> list[ColumnElement[bool]]:
    """Resource groups and tags are the owner's: an image matches them for its owner only."""
    conditions: list[ColumnElement[bool]] = []
    if q.resource_group_id is not None:
        conditions.append(_c.resource_group_id == q.resource_group_id)
    t = image_tags.c
    for key, value in q.tags:
        match = exists().where(t.image_id == _c.id, t.key == key)
        conditions.append(match.where(t.value == value) if value is not None else match)
    return [and_(_c.account_id == q.viewer, *conditions)] if conditions else []


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _listing(q: EcsImageQuery) -> Select[Any]:
    has_shares = exists().where(image_shares.c.image_id == _c.id)
    columns = [_c[name] for name in _FIELDS]
    owned = (_c.account_id == q.viewer).label("owned")
    return select(*columns, owned, has_shares.label("has_shares")).where(*_filters(q))


def _seen(row: Any) -> Seen:
    values = tuple(row)
    image = EcsImage(*values[: len(_FIELDS)])
    return Seen(image, bool(values[len(_FIELDS)]), bool(values[len(_FIELDS) + 1]))


class EcsImageRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def page(self, q: EcsImageQuery, offset: int, limit: int) -> tuple[int, list[Seen]]:
        """How many images ``q`` selects, and ``limit`` of them from ``offset``, newest first."""
        query = _listing(q)
        total = self._conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        if limit <= 0:
            return int(total), []
        ordered = query.order_by(_c.created_at.desc(), _c.id).limit(limit).offset(offset)
        return int(total), [_seen(row) for row in self._conn.execute(ordered)]

    def owned(
        self, viewer: int, region_id: str, image_id: str, *, lock: bool = False
    ) -> EcsImage | None:
        """The viewer's own ECS custom image there; ``lock`` holds its row (PostgreSQL)."""
        query = select(*(_c[name] for name in _FIELDS)).where(
            _c.id == image_id,
            _c.account_id == viewer,
            _c.region_id == region_id,
            _c.product == ECS,
        )
        row = self._conn.execute(query.with_for_update() if lock else query).first()
        return EcsImage(*tuple(row)) if row else None

    def add(self, image: EcsImage, tags: Sequence[tuple[str, str]]) -> None:
        values = {name: getattr(image, name) for name in _FIELDS}
        self._conn.execute(insert(images).values(**values, shared_to_ecs=False))
        for key, value in tags:
            self._conn.execute(insert(image_tags).values(image_id=image.id, key=key, value=value))

    def set_published(self, image_id: str, when: datetime | None) -> None:
        query = update(images).where(_c.id == image_id).values(published_at=when)
        self._conn.execute(query)

    def visible(self, viewer: int, region_id: str, image_id: str) -> Seen | None:
        """The ECS image as ``viewer`` sees it there (own, shared with it, or community)."""
        rows = self.page(_one(viewer, region_id, image_id), 0, 1)[1]
        return rows[0] if rows else None

    def set_tags(self, image_id: str, pairs: Sequence[tuple[str, str]]) -> None:
        """Add tags, replacing the value of a key the image already has."""
        t = image_tags.c
        for key, value in pairs:
            self._conn.execute(delete(image_tags).where(t.image_id == image_id, t.key == key))
            self._conn.execute(insert(image_tags).values(image_id=image_id, key=key, value=value))

    def remove_tags(self, image_id: str, keys: Sequence[str] | None) -> None:
        """Remove these keys (None: every tag)."""
        t = image_tags.c
        query = delete(image_tags).where(t.image_id == image_id)
        self._conn.execute(query if keys is None else query.where(t.key.in_(keys)))

    def tag_rows(
        self, owner: int, region_id: str, image_ids: Sequence[str] | None
    ) -> list[tuple[str, str, str]]:
        """(image id, key, value) of the owner's ECS images there, by image and key."""
        t = image_tags.c
        query = (
            select(t.image_id, t.key, t.value)
            .join(images, _c.id == t.image_id)
            .where(_c.account_id == owner, _c.region_id == region_id, _c.product == ECS)
        )
        if image_ids is not None:
            query = query.where(t.image_id.in_(image_ids))
        rows = self._conn.execute(query.order_by(t.image_id, t.key))
        return [(image_id, key, value) for image_id, key, value in rows]

    def made_from_snapshot(self, owner: int, snapshot_id: str) -> bool:
        query = select(_c.id).where(_c.account_id == owner, _c.system_snapshot_id == snapshot_id)
        return self._conn.execute(query.limit(1)).first() is not None

    def set_attributes(self, image_id: str, values: dict[str, Any]) -> None:
        """Change the named columns (name, description, image_family, boot_mode, status,
        updated_at); the caller has checked the name is free."""
        self._conn.execute(update(images).where(_c.id == image_id).values(**values))

    def latest_in_family(
        self, viewer: int, region_id: str, family: str, now: datetime
    ) -> Seen | None:
        """The newest Available image of the family the viewer may use, custom images only."""
        query = EcsImageQuery(
            viewer, region_id, now, family=family, statuses=frozenset({AVAILABLE})
        )
        rows = self.page(query, 0, 1)[1]
        return rows[0] if rows else None


def _one(viewer: int, region_id: str, image_id: str) -> EcsImageQuery:
    # Any status: a copy still arriving, a deprecated image.
    return EcsImageQuery(viewer, region_id, datetime.min, image_ids=[image_id], statuses=None)


# What an image's Status can be once it exists (DescribeImages' Usable, DescribeImageFromFamily).
USABLE_STATUSES = frozenset({AVAILABLE, DEPRECATED})
