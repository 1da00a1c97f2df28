"""RAM identities: users, groups and their members, roles; and RAM users' access keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, exists, func, select, update

from imageshare.store.dialect import insert_ignore
from imageshare.store.tables import (
    access_keys,
    ram_group_members,
    ram_groups,
    ram_roles,
    ram_users,
)


@dataclass(frozen=True)
class RamUser:
    id: str
    account_id: int
    name: str
    display_name: str
    comments: str
    email: str
    mobile_phone: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RamGroup:
    id: str
    account_id: int
    name: str
    comments: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RamRole:
    id: str
    account_id: int
    name: str
    description: str
    trust_policy: str
    max_session_duration: int
    created_at: datetime
    updated_at: datetime


def _named(table: Table, account_id: int, name: str) -> Any:
    return select(table).where(table.c.account_id == account_id, table.c.name == name)


def _page(table: Table, account_id: int, after: str | None, limit: int) -> Any:
    """Name order, resumed after a marker name: stable under inserts elsewhere in the list."""
    query = select(table).where(table.c.account_id == account_id)
    if after is not None:
        query = query.where(table.c.name > after)
    return query.order_by(table.c.name).limit(limit)


class RamUserRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, user: RamUser) -> bool:
        """False when the account already has a user of that name (the database decides)."""
        return insert_ignore(self._conn, ram_users, user.__dict__)

    def get(self, account_id: int, name: str) -> RamUser | None:
        row = self._conn.execute(_named(ram_users, account_id, name)).first()
        return RamUser(**row._mapping) if row else None

    def page(self, account_id: int, after: str | None, limit: int) -> list[RamUser]:
        rows = self._conn.execute(_page(ram_users, account_id, after, limit))
        return [RamUser(**row._mapping) for row in rows]

    def update(self, user_id: str, **values: Any) -> None:
        self._conn.execute(update(ram_users).where(ram_users.c.id == user_id).values(**values))

    def rename_keys(self, account_id: int, old: str, new: str) -> None:
        """A RAM user's keys follow the user through UpdateUser's NewUserName."""
        query = (
            update(access_keys)
            .where(access_keys.c.account_id == account_id, access_keys.c.user_name == old)
            .values(user_name=new)
        )
        self._conn.execute(query)

    def delete(self, user_id: str) -> None:
        self._conn.execute(delete(ram_users).where(ram_users.c.id == user_id))

    def count_keys(self, account_id: int, name: str) -> int:
        query = select(func.count()).where(
            access_keys.c.account_id == account_id, access_keys.c.user_name == name
        )
        return int(self._conn.execute(query).scalar_one())

    def in_any_group(self, user_id: str) -> bool:
        query = select(exists().where(ram_group_members.c.user_id == user_id))
        return bool(self._conn.execute(query).scalar_one())


class RamGroupRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, group: RamGroup) -> bool:
        return insert_ignore(self._conn, ram_groups, group.__dict__)

    def get(self, account_id: int, name: str) -> RamGroup | None:
        row = self._conn.execute(_named(ram_groups, account_id, name)).first()
        return RamGroup(**row._mapping) if row else None

    def add_member(self, group_id: str, user_id: str, now: datetime) -> bool:
        """False when the user is already a member."""
        row = {"group_id": group_id, "user_id": user_id, "joined_at": now}
        return insert_ignore(self._conn, ram_group_members, row)

    def of_user(self, user_id: str) -> list[str]:
        query = select(ram_group_members.c.group_id).where(ram_group_members.c.user_id == user_id)
        return list(self._conn.execute(query).scalars())


class RamRoleRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, role: RamRole) -> bool:
        return insert_ignore(self._conn, ram_roles, role.__dict__)

    def get_ignoring_case(self, account_id: int, name: str) -> RamRole | None:
        query = select(ram_roles).where(
            ram_roles.c.account_id == account_id, func.lower(ram_roles.c.name) == name.lower()
        )
        row = self._conn.execute(query).first()
        return RamRole(**row._mapping) if row else None

    def page(self, account_id: int, after: str | None, limit: int) -> list[RamRole]:
        rows = self._conn.execute(_page(ram_roles, account_id, after, limit))
        return [RamRole(**row._mapping) for row in rows]

    def delete(self, role_id: str) -> None:
        self._conn.execute(delete(ram_roles).where(ram_roles.c.id == role_id))
