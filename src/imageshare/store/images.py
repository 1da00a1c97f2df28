"""Custom images of every product, their tags and their shares.

What an account may see is one SQL query, built in ``store/visibility.py``: its own images
plus the images other accounts have shared with it, in one region and one product.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from imageshare.domain.images import Image, ShareState, VisibleImage
from imageshare.domain.paging import Page
from imageshare.domain.products import ImageProduct
from imageshare.store import image_statements as statements
from imageshare.store import visibility
from imageshare.store.statement import Db
from imageshare.store.statement_builders import id_params
from imageshare.store.visibility import ImageFilter as ImageFilter


def _image_from(row: tuple[Any, ...]) -> Image:
    """An image from a row whose first columns are IMAGE_FIELDS."""
    fields = statements.IMAGE_FIELDS
    return Image(**dict(zip(fields, row[: len(fields)], strict=True)))


def _visible_image(row: tuple[Any, ...]) -> VisibleImage[Image]:
    fields = len(statements.IMAGE_FIELDS)
    return VisibleImage(_image_from(row), bool(row[fields]), bool(row[fields + 1]))


def _ownership(account_id: int, region_id: str, product: str, image_id: str) -> dict[str, Any]:
    """The parameters of the OWNED and OWNS statements."""
    return {
        "image_id": image_id,
        "account_id": account_id,
        "region_id": region_id,
        "product": product,
    }


class ImageRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, image: Image, tags: Sequence[tuple[str, str]]) -> bool:
        """False when the owner already has an image of that name there: a concurrent create
        won the unique index after our name check (PostgreSQL; SQLite writers are serial)."""
        try:
            with self._db.savepoint():
                statements.ADD_IMAGE.run(self._db, image.__dict__)
        except self._db.IntegrityError:
            return False
        for key, value in tags:
            statements.ADD_TAG.run(self._db, {"image_id": image.id, "key": key, "value": value})
        return True

    def owned(
        self, account_id: int, region_id: str, product: str, image_id: str, *, lock: bool = False
    ) -> Image | None:
        """The caller's own image, or None; ``lock`` holds the row until the transaction ends
        (PostgreSQL), so share counts read after it cannot be overtaken."""
        params = _ownership(account_id, region_id, product, image_id)
        rows = (statements.OWNED_LOCKED if lock else statements.OWNED).rows(self._db, params)
        return _image_from(rows[0]) if rows else None

    def owns(
        self, account_id: int, region_id: str, product: str, image_id: str, *, lock: bool = False
    ) -> bool:
        """Whether the image is the caller's own there: ``owned`` without reading the image."""
        params = _ownership(account_id, region_id, product, image_id)
        return bool((statements.OWNS_LOCKED if lock else statements.OWNS).rows(self._db, params))

    def share_state(
        self, account_id: int, region_id: str, product: str, image_id: str
    ) -> ShareState | None:
        """``owned(..., lock=True)`` reading only what decides whether the image may be
        shared (no image built, no datetime but one parsed), or None."""
        params = _ownership(account_id, region_id, product, image_id)
        rows = statements.SHARE_STATE_LOCKED.rows(self._db, params)
        return ShareState(*rows[0]) if rows else None

    def find(self, image_id: str, product: str) -> Image | None:
        """The image whoever owns it and wherever it is: for explaining a refusal only."""
        row = statements.FIND.first(self._db, {"image_id": image_id, "product": product})
        return _image_from(row) if row else None

    def whose(self, image_id: str, product: str) -> tuple[int, str] | None:
        """(owner, region) of the image, whoever owns it: for explaining a refusal. Two plain
        columns, so a found row costs what a missing one does (no dates to parse)."""
        found = statements.WHOSE.first(self._db, {"image_id": image_id, "product": product})
        return (int(found[0]), str(found[1])) if found else None

    def name_taken(self, account_id: int, region_id: str, product: str, name: str) -> bool:
        params = {"account_id": account_id, "region_id": region_id, "product": product}
        return bool(statements.NAME_TAKEN.rows(self._db, {**params, "name": name}))

    def count(self, account_id: int, region_id: str, product: str) -> int:
        params = {"account_id": account_id, "region_id": region_id, "product": product}
        return int(statements.COUNT.scalar(self._db, params))

    def visible(
        self, where: ImageFilter, page: Page | None = None
    ) -> tuple[int, list[VisibleImage[Image]]]:
        listing = visibility.listing(visibility.shape_of(where, page))
        total, rows = listing.rows(self._db, visibility.params_of(where, page))
        return total, [_visible_image(row) for row in rows]

    def in_ecs(
        self, account_id: int, region_id: str, image_ids: Sequence[str] | None, page: Page
    ) -> tuple[int, list[Image]]:
        """What the account's ECS DescribeImages lists: its SWAS images shared to ECS (and,
        once ECS custom images exist, its own ECS images)."""
        params = {
            "account_id": account_id,
            "region_id": region_id,
            "swas": ImageProduct.SWAS,
            "ecs": ImageProduct.ECS,
        }
        params |= {"limit": page.size, "offset": page.offset}
        listing = statements.page_in_ecs(None if image_ids is None else len(image_ids))
        total, rows = listing.rows(self._db, {**params, **id_params(image_ids or (), "image")})
        return total, [_image_from(row) for row in rows]

    def tags(self, image_ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        found: dict[str, list[tuple[str, str]]] = {}
        if image_ids:  # every ListCustomImages page: a Statement per page length
            rows = statements.tags_of(len(image_ids)).rows(self._db, id_params(image_ids))
            for image_id, key, value in rows:
                found.setdefault(image_id, []).append((key, value))
        return found

    def set_attributes(
        self, image_id: str, *, name: str | None, description: str | None, now: datetime
    ) -> bool:
        """Rename and/or describe; False when the new name lost a race for the unique index."""
        values = {"image_id": image_id, "updated_at": now, "name": name, "description": description}
        statement = statements.set_attributes(name is not None, description is not None)
        try:
            with self._db.savepoint():
                statement.run(self._db, values)
        except self._db.IntegrityError:
            return False
        return True

    def set_shared_to_ecs(self, image_id: str, shared: bool) -> None:
        statements.SET_SHARED_TO_ECS.run(self._db, {"image_id": image_id, "shared_to_ecs": shared})

    def delete(self, image_id: str) -> None:
        for statement in statements.DELETE:
            statement.run(self._db, {"image_id": image_id})


class ShareRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def accounts(self, image_id: str) -> set[int]:
        rows = statements.SHARE_ACCOUNTS.rows(self._db, {"image_id": image_id})
        return {account_id for (account_id,) in rows}

    def ordered(self, image_id: str) -> list[int]:
        """Every account the image is shared with, oldest share first (ties by account)."""
        rows = statements.ORDERED_SHARES.rows(self._db, {"image_id": image_id})
        return [account_id for (account_id,) in rows]

    def counts(self, image_ids: Sequence[str]) -> dict[str, int]:
        """How many accounts each image is shared with (images with none are left out)."""
        if not image_ids:
            return {}
        rows = statements.share_counts(len(image_ids)).rows(self._db, id_params(image_ids))
        return {image_id: int(count) for image_id, count in rows}

    def add(self, image_id: str, account_ids: Sequence[int], now: datetime) -> None:
        for account_id in account_ids:
            row = {"image_id": image_id, "account_id": account_id, "shared_at": now}
            statements.ADD_SHARE.rows(self._db, row)

    def remove(self, image_id: str, account_ids: Sequence[int]) -> None:
        for account_id in account_ids:  # at most ten a call
            params = {"image_id": image_id, "account_id": account_id}
            statements.REMOVE_SHARE.rows(self._db, params)

    def page(self, image_id: str, page: Page) -> tuple[int, list[tuple[int, datetime]]]:
        params = {"image_id": image_id, "limit": page.size, "offset": page.offset}
        total, rows = statements.PAGE_SHARES.rows(self._db, params)
        return total, [(account_id, shared_at) for account_id, shared_at in rows]
