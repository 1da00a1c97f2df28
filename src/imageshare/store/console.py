"""What the web console shows, read in one read-only transaction per page (http/console/).

Every listing is a page (LIMIT/OFFSET on an indexed order) with its total, so a page costs
the same with 100 images or 10,000. Only ids, names, statuses and times: never a secret,
a token or a policy document."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from sqlalchemy import Connection, Select, func, select

from imageshare.store.tables import (
    access_keys,
    accounts,
    image_shares,
    images,
    ram_roles,
    ram_users,
)
from imageshare.values import frozen

Row = dict[str, Any]


@frozen
class Page:
    rows: list[Row]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        after = self.offset + self.limit
        return after if after < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset else None


@frozen
class AccountView:
    account: Row
    images: Page
    shared_out: list[Row] = field(default_factory=list)
    shared_in: list[Row] = field(default_factory=list)
    keys: list[Row] = field(default_factory=list)
    users: list[Row] = field(default_factory=list)
    roles: list[Row] = field(default_factory=list)


_IMAGE_COLUMNS = (
    images.c.id,
    images.c.name,
    images.c.product,
    images.c.region_id,
    images.c.account_id,
    images.c.status,
    images.c.platform,
    images.c.created_at,
)
# More rows than a page shows are never read: a listing beyond this says "and more".
MAX_LISTED = 200


def overview(conn: Connection) -> Row:
    by_product: dict[str, int] = dict(
        conn.execute(select(images.c.product, func.count()).group_by(images.c.product)).all()
    )
    return {
        "accounts": conn.execute(select(func.count()).select_from(accounts)).scalar_one(),
        "images": by_product,
        "shares": conn.execute(select(func.count()).select_from(image_shares)).scalar_one(),
    }


def accounts_page(conn: Connection, offset: int, limit: int) -> Page:
    owned = (
        select(func.count())
        .where(images.c.account_id == accounts.c.id)
        .scalar_subquery()
        .label("images")
    )
    query = select(accounts.c.id, accounts.c.site, accounts.c.created_at, owned).order_by(
        accounts.c.id
    )
    total = conn.execute(select(func.count()).select_from(accounts)).scalar_one()
    return _page(conn, query, total, offset, limit)


def images_page(conn: Connection, offset: int, limit: int, search: str = "") -> Page:
    query = select(*_IMAGE_COLUMNS).order_by(images.c.id)
    counted = select(func.count()).select_from(images)
    if search:
        matches = images.c.id.startswith(search) | images.c.name.startswith(search)
        query, counted = query.where(matches), counted.where(matches)
    return _page(conn, query, conn.execute(counted).scalar_one(), offset, limit)


def account_view(conn: Connection, account_id: int, offset: int, limit: int) -> AccountView | None:
    found = conn.execute(select(accounts).where(accounts.c.id == account_id)).mappings().first()
    if found is None:
        return None
    own = select(*_IMAGE_COLUMNS).where(images.c.account_id == account_id).order_by(images.c.id)
    counted = select(func.count()).where(images.c.account_id == account_id)
    page = _page(conn, own, conn.execute(counted).scalar_one(), offset, limit)
    shares = select(image_shares.c.image_id, image_shares.c.shared_at, images.c.product)
    shares = shares.join(images, images.c.id == image_shares.c.image_id)
    out = shares.add_columns(image_shares.c.account_id.label("with_account"))
    out = out.where(images.c.account_id == account_id)
    into = shares.add_columns(images.c.account_id.label("with_account"))
    into = into.where(image_shares.c.account_id == account_id)
    keys = select(access_keys.c.id, access_keys.c.status, access_keys.c.user_name)
    users = select(ram_users.c.name, ram_users.c.display_name, ram_users.c.created_at)
    roles = select(ram_roles.c.name, ram_roles.c.created_at)
    return AccountView(
        dict(found),
        page,
        _all(conn, out.order_by(image_shares.c.image_id)),
        _all(conn, into.order_by(image_shares.c.image_id)),
        _all(conn, keys.where(access_keys.c.account_id == account_id).order_by(access_keys.c.id)),
        _all(conn, users.where(ram_users.c.account_id == account_id).order_by(ram_users.c.name)),
        _all(conn, roles.where(ram_roles.c.account_id == account_id).order_by(ram_roles.c.name)),
    )


def image_view(conn: Connection, image_id: str) -> tuple[Row, list[Row]] | None:
    found = conn.execute(select(images).where(images.c.id == image_id)).mappings().first()
    if found is None:
        return None
    shares = (
        select(image_shares.c.account_id, image_shares.c.shared_at)
        .where(image_shares.c.image_id == image_id)
        .order_by(image_shares.c.shared_at, image_shares.c.account_id)
    )
    return dict(found), _all(conn, shares)


def share_edges(conn: Connection, limit: int) -> list[Row]:
    """Who shares with whom: (owner, recipient, images shared), the busiest pairs first."""
    count = func.count().label("images")
    query = (
        select(images.c.account_id.label("owner"), image_shares.c.account_id.label("to"), count)
        .join(images, images.c.id == image_shares.c.image_id)
        .group_by(images.c.account_id, image_shares.c.account_id)
        .order_by(count.desc(), images.c.account_id, image_shares.c.account_id)
        .limit(limit)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def _page(conn: Connection, query: Select[Any], total: int, offset: int, limit: int) -> Page:
    rows = conn.execute(query.offset(offset).limit(limit)).mappings()
    return Page([dict(row) for row in rows], int(total), offset, limit)


def _all(conn: Connection, query: Select[Any]) -> list[Row]:
    """A list shown whole, cut at MAX_LISTED rows."""
    return [dict(row) for row in conn.execute(query.limit(MAX_LISTED)).mappings()]
