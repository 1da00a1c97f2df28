"""Custom images of every product, their tags and their shares.

What an account may see is one SQL query, built in ``store/visibility.py``: its own images
plus the images other accounts have shared with it, in one region and one product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    delete,
    false,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from imageshare.domain.images import SWAS, Page
from imageshare.store import image_statements as statements
from imageshare.store import visibility
from imageshare.store.prepared import id_params
from imageshare.store.tables import image_shares, image_tags, images
from imageshare.store.visibility import ImageFilter as ImageFilter

ECS = "ecs"


@dataclass(frozen=True)
class Image:
    id: str
    account_id: int
    region_id: str
    product: str
    name: str
    description: str
    status: str
    platform: str
    source_instance_id: str | None
    system_snapshot_id: str | None
    data_snapshot_id: str | None
    system_disk_size: int
    data_disk_size: int
    resource_group_id: str | None
    shared_to_ecs: bool
    created_at: datetime
    encryption_key_id: str | None = None
    ready_at: datetime | None = None
    updated_at: datetime | None = None
    # ECS attributes (store.ecs_images reads them; other products leave them NULL).
    architecture: str | None = None
    os_name: str | None = None
    image_family: str | None = None
    boot_mode: str | None = None
    copied_from: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class VisibleImage:
    """An image as one viewer sees it: whether it is theirs, and whether it has shares."""

    image: Image
    owned: bool
    shared_with_accounts: bool


@dataclass(frozen=True)
class ShareState:
    """What decides whether an image may be shared: encrypted, or a copy still arriving."""

    encryption_key_id: str | None
    ready_at: datetime | None


def _image_from(row: tuple[Any, ...]) -> Image:
    """An image from a prepared statement's row, whose first columns are IMAGE_FIELDS."""
    fields = statements.IMAGE_FIELDS
    return Image(**dict(zip(fields, row[: len(fields)], strict=True)))


def _visible_image(row: tuple[Any, ...]) -> VisibleImage:
    fields = len(statements.IMAGE_FIELDS)
    return VisibleImage(_image_from(row), bool(row[fields]), bool(row[fields + 1]))


def _image(row: Any) -> Image:
    mapping = dict(row._mapping)
    return Image(**{name: mapping[name] for name in Image.__dataclass_fields__})


def _ownership(account_id: int, region_id: str, product: str, image_id: str) -> dict[str, Any]:
    """The parameters of the OWNED and OWNS statements."""
    return {
        "image_id": image_id,
        "account_id": account_id,
        "region_id": region_id,
        "product": product,
    }


class ImageRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, image: Image, tags: Sequence[tuple[str, str]]) -> bool:
        """False when the owner already has an image of that name there: a concurrent create
        won the unique index after our name check (PostgreSQL; SQLite writers are serial)."""
        try:
            with self._conn.begin_nested():
                self._conn.execute(insert(images).values(**image.__dict__))
        except IntegrityError:
            return False
        for key, value in tags:
            self._conn.execute(insert(image_tags).values(image_id=image.id, key=key, value=value))
        return True

    def owned(
        self, account_id: int, region_id: str, product: str, image_id: str, *, lock: bool = False
    ) -> Image | None:
        """The caller's own image, or None; ``lock`` holds the row until the transaction ends
        (PostgreSQL), so share counts read after it cannot be overtaken."""
        params = _ownership(account_id, region_id, product, image_id)
        rows = (statements.OWNED_LOCKED if lock else statements.OWNED).rows(self._conn, params)
        return _image_from(rows[0]) if rows else None

    def owns(
        self, account_id: int, region_id: str, product: str, image_id: str, *, lock: bool = False
    ) -> bool:
        """Whether the image is the caller's own there: ``owned`` without reading the image."""
        params = _ownership(account_id, region_id, product, image_id)
        return bool((statements.OWNS_LOCKED if lock else statements.OWNS).rows(self._conn, params))

    def share_state(
        self, account_id: int, region_id: str, product: str, image_id: str
    ) -> ShareState | None:
        """``owned(..., lock=True)`` reading only what decides whether the image may be
        shared (no image built, no datetime but one parsed), or None."""
        params = _ownership(account_id, region_id, product, image_id)
        rows = statements.SHARE_STATE_LOCKED.rows(self._conn, params)
        return ShareState(*rows[0]) if rows else None

    def find(self, image_id: str, product: str) -> Image | None:
        """The image whoever owns it and wherever it is: for explaining a refusal only."""
        c = images.c
        row = self._conn.execute(select(images).where(c.id == image_id, c.product == product))
        found = row.first()
        return _image(found) if found else None

    def name_taken(self, account_id: int, region_id: str, product: str, name: str) -> bool:
        c = images.c
        query = select(c.id).where(
            c.account_id == account_id,
            c.region_id == region_id,
            c.product == product,
            c.name == name,
        )
        return self._conn.execute(query.limit(1)).first() is not None

    def count(self, account_id: int, region_id: str, product: str) -> int:
        c = images.c
        query = select(func.count()).where(
            c.account_id == account_id, c.region_id == region_id, c.product == product
        )
        return int(self._conn.execute(query).scalar_one())

    def visible(
        self, where: ImageFilter, page: Page | None = None
    ) -> tuple[int, list[VisibleImage]]:
        plain = visibility.plain_listing(where, page)
        if plain is not None:  # the common call, by prepared statements
            listing, params = plain
            total, page_rows = listing.rows(self._conn, params)
            return total, [_visible_image(row) for row in page_rows]
        query = visibility.visible(where, self._conn.dialect.name)
        total = self._conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        query = query.order_by(*visibility.by_creation(query))
        if page is not None:
            query = query.limit(page.size).offset(page.offset)
        rows = self._conn.execute(query).all()
        found = [VisibleImage(_image(r), bool(r.owned), bool(r.shared_with_accounts)) for r in rows]
        return int(total), found

    def in_ecs(
        self, account_id: int, region_id: str, image_ids: Sequence[str] | None, page: Page
    ) -> tuple[int, list[Image]]:
        """What the account's ECS DescribeImages lists: its SWAS images shared to ECS (and,
        once ECS custom images exist, its own ECS images)."""
        params = {"account_id": account_id, "region_id": region_id, "swas": SWAS, "ecs": ECS}
        if image_ids is None:
            paged = {**params, "limit": page.size, "offset": page.offset}
            total, rows = statements.PAGE_IN_ECS.rows(self._conn, paged)
            return total, [_image_from(row) for row in rows]
        wanted = images.c.id.in_(image_ids) if image_ids else false()
        query = select(images).where(statements.IN_ECS, wanted)
        count = select(func.count()).select_from(query.subquery())
        total = self._conn.execute(count, params).scalar_one()
        query = query.order_by(*statements.IN_ECS_ORDER).limit(page.size).offset(page.offset)
        return total, [_image(row) for row in self._conn.execute(query, params)]

    def tags(self, image_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        found: dict[str, list[tuple[str, str]]] = {}
        if image_ids:  # every ListCustomImages page: a statement prepared per page length
            rows = statements.tags_of(len(image_ids)).rows(self._conn, id_params(image_ids))
            for image_id, key, value in rows:
                found.setdefault(image_id, []).append((key, value))
        return found

    def set_attributes(
        self, image_id: str, *, name: str | None, description: str | None, now: datetime
    ) -> bool:
        """Rename and/or describe; False when the new name lost a race for the unique index."""
        values: dict[str, Any] = {"updated_at": now}
        if name is not None:
            values["name"] = name
        if description is not None:
            values["description"] = description
        try:
            with self._conn.begin_nested():
                self._conn.execute(update(images).where(images.c.id == image_id).values(values))
        except IntegrityError:
            return False
        return True

    def set_shared_to_ecs(self, image_id: str, shared: bool) -> None:
        query = update(images).where(images.c.id == image_id).values(shared_to_ecs=shared)
        self._conn.execute(query)

    def delete(self, image_id: str) -> None:
        self._conn.execute(delete(image_tags).where(image_tags.c.image_id == image_id))
        self._conn.execute(delete(image_shares).where(image_shares.c.image_id == image_id))
        self._conn.execute(delete(images).where(images.c.id == image_id))


class ShareRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def accounts(self, image_id: str) -> set[int]:
        rows = statements.SHARE_ACCOUNTS.rows(self._conn, {"image_id": image_id})
        return {account_id for (account_id,) in rows}

    def ordered(self, image_id: str) -> list[int]:
        """Every account the image is shared with, oldest share first (ties by account)."""
        s = image_shares.c
        query = select(s.account_id).where(s.image_id == image_id)
        return list(self._conn.execute(query.order_by(s.shared_at, s.account_id)).scalars())

    def counts(self, image_ids: Sequence[str]) -> dict[str, int]:
        """How many accounts each image is shared with (images with none are left out)."""
        s = image_shares.c
        query = select(s.image_id, func.count()).where(s.image_id.in_(image_ids))
        rows = self._conn.execute(query.group_by(s.image_id))
        return {image_id: int(count) for image_id, count in rows}

    def add(self, image_id: str, account_ids: Sequence[int], now: datetime) -> None:
        for account_id in account_ids:
            row = {"image_id": image_id, "account_id": account_id, "shared_at": now}
            statements.ADD_SHARE.rows(self._conn, row)

    def remove(self, image_id: str, account_ids: Sequence[int]) -> None:
        for account_id in account_ids:  # at most ten a call
            params = {"image_id": image_id, "account_id": account_id}
            statements.REMOVE_SHARE.rows(self._conn, params)

    def page(self, image_id: str, page: Page) -> tuple[int, list[tuple[int, datetime]]]:
        params = {"image_id": image_id, "limit": page.size, "offset": page.offset}
        total, rows = statements.PAGE_SHARES.rows(self._conn, params)
        return total, [(account_id, shared_at) for account_id, shared_at in rows]
