"""Accounts and their access keys."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from imageshare.store.prepared import Prepared, id_binds, id_params
from imageshare.store.tables import access_keys, accounts


@dataclass(frozen=True)
class Account:
    id: int
    site: str
    is_demo: bool
    created_at: datetime


@dataclass(frozen=True)
class AccessKey:
    id: str
    account_id: int
    user_name: str | None
    secret: str
    status: str
    created_at: datetime

    @property
    def active(self) -> bool:
        return self.status == "Active"


# Statements on the request path are built once: building one costs more than running it
# (docs/performance.md).
_ACCOUNT_BY_ID = select(accounts).where(accounts.c.id == bindparam("account_id"))
_SITES_BY_IDS = select(accounts.c.id, accounts.c.site).where(
    accounts.c.id.in_(bindparam("account_ids", expanding=True))
)
# Every share and unshare looks up the owner and up to 10 accounts at once: lists this short
# get a statement prepared for their length, which skips SQLAlchemy's execution machinery.
_PREPARED_UP_TO = 16


@functools.cache
def _sites_by(count: int) -> Prepared:
    ids = id_binds(accounts.c.id, count)
    return Prepared(select(accounts.c.id, accounts.c.site).where(accounts.c.id.in_(ids)))


class AccountRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, account: Account) -> None:
        self._conn.execute(insert(accounts).values(**account.__dict__))

    def get(self, account_id: int) -> Account | None:
        row = self._conn.execute(_ACCOUNT_BY_ID, {"account_id": account_id}).first()
        return Account(**row._mapping) if row else None

    def sites(self, account_ids: list[int]) -> dict[int, str]:
        """The site of each of these accounts that exists: all a share needs to know of its
        accounts (two columns, not the whole row: no datetime to parse per account)."""
        if not 0 < len(account_ids) <= _PREPARED_UP_TO:
            return dict(self._conn.execute(_SITES_BY_IDS, {"account_ids": account_ids}).all())
        return dict(_sites_by(len(account_ids)).rows(self._conn, id_params(account_ids)))

    def lock(self, account_id: int) -> None:
        """Serialise an account's quota checks: SELECT ... FOR UPDATE on PostgreSQL (SQLite
        writers already hold the database lock)."""
        self._conn.execute(
            select(accounts.c.id).where(accounts.c.id == account_id).with_for_update()
        )

    def list(self) -> list[Account]:
        rows = self._conn.execute(select(accounts).order_by(accounts.c.created_at, accounts.c.id))
        return [Account(**row._mapping) for row in rows]

    def demo(self) -> Account | None:
        query = select(accounts).where(accounts.c.is_demo.is_(True)).limit(1)
        row = self._conn.execute(query).first()
        return Account(**row._mapping) if row else None


# Every request looks its key up, so the statement is prepared once per dialect and skips
# SQLAlchemy's execution machinery (docs/performance.md).
_KEY_FIELDS = tuple(AccessKey.__dataclass_fields__)
_KEY_BY_ID = Prepared(
    select(*(access_keys.c[name] for name in _KEY_FIELDS)).where(
        access_keys.c.id == bindparam("key_id")
    )
)


class AccessKeyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, key: AccessKey) -> None:
        self._conn.execute(insert(access_keys).values(**key.__dict__))

    def get(self, key_id: str) -> AccessKey | None:
        found = _KEY_BY_ID.rows(self._conn, {"key_id": key_id})
        return AccessKey(*found[0]) if found else None  # columns in field order

    def for_account(self, account_id: int) -> list[AccessKey]:
        query = (
            select(access_keys)
            .where(access_keys.c.account_id == account_id)
            .order_by(access_keys.c.created_at, access_keys.c.id)
        )
        return [AccessKey(**row._mapping) for row in self._conn.execute(query)]

    def set_status(self, key_id: str, status: str) -> bool:
        query = update(access_keys).where(access_keys.c.id == key_id).values(status=status)
        return self._conn.execute(query).rowcount > 0

    def delete(self, key_id: str) -> bool:
        return (
            self._conn.execute(delete(access_keys).where(access_keys.c.id == key_id)).rowcount > 0
        )
