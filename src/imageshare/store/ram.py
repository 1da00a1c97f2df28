"""RAM identities: users, groups and their members, roles; and RAM users' access keys."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, exists, func, select, update

from imageshare.domain.ram import RamGroup, RamRole, RamUser
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import LIMIT, OFFSET, bind, fields_of, insert_if_new
from imageshare.store.tables import (
    access_keys,
    ram_group_members,
    ram_groups,
    ram_roles,
    ram_users,
)


def _named(table: Table, entity: type[Any]) -> Statement:
    c = table.c
    query = select(*fields_of(table, entity))
    return Statement(query.where(c.account_id == bind(c.account_id), c.name == bind(c.name)))


@functools.lru_cache(maxsize=16)
def _page(table: Table, entity: type[Any], after: bool) -> Statement:
    """Name order, resumed after a marker name: stable under inserts elsewhere in the list."""
    c = table.c
    query = select(*fields_of(table, entity)).where(c.account_id == bind(c.account_id))
    if after:
        query = query.where(c.name > bind(c.name, "after"))
    return Statement(query.order_by(c.name).limit(LIMIT).offset(OFFSET))


def _page_params(account_id: int, after: str | None, limit: int) -> dict[str, Any]:
    return {"account_id": account_id, "after": after, "limit": limit, "offset": 0}


_u, _k, _m = ram_users.c, access_keys.c, ram_group_members.c
_ADD_USER = insert_if_new(ram_users)
_USER = _named(ram_users, RamUser)
_DELETE_USER = Statement(delete(ram_users).where(_u.id == bind(_u.id)))
_KEYS_OF = (_k.account_id == bind(_k.account_id), _k.user_name == bind(_k.user_name))
_RENAME_KEYS = Statement(
    update(access_keys).where(*_KEYS_OF).values(user_name=bind(_k.user_name, "new"))
)
_COUNT_KEYS = Statement(select(func.count()).where(*_KEYS_OF))
_IN_ANY_GROUP = Statement(select(exists().where(_m.user_id == bind(_m.user_id))))


@functools.lru_cache(maxsize=64)
def _update_user(names: tuple[str, ...]) -> Statement:
    values = {name: bind(_u[name]) for name in names}
    return Statement(update(ram_users).where(_u.id == bind(_u.id, "user_id")).values(values))


class RamUserRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, user: RamUser) -> bool:
        """False when the account already has a user of that name (the database decides)."""
        return bool(_ADD_USER.rows(self._db, user.__dict__))

    def get(self, account_id: int, name: str) -> RamUser | None:
        row = _USER.first(self._db, {"account_id": account_id, "name": name})
        return RamUser(*row) if row else None

    def page(self, account_id: int, after: str | None, limit: int) -> list[RamUser]:
        rows = _page(ram_users, RamUser, after is not None).rows(
            self._db, _page_params(account_id, after, limit)
        )
        return [RamUser(*row) for row in rows]

    def update(self, user_id: str, **values: Any) -> None:
        _update_user(tuple(sorted(values))).run(self._db, {**values, "user_id": user_id})

    def rename_keys(self, account_id: int, old: str, new: str) -> None:
        """A RAM user's keys follow the user through UpdateUser's NewUserName."""
        _RENAME_KEYS.run(self._db, {"account_id": account_id, "user_name": old, "new": new})

    def delete(self, user_id: str) -> None:
        _DELETE_USER.run(self._db, {"id": user_id})

    def count_keys(self, account_id: int, name: str) -> int:
        return int(_COUNT_KEYS.scalar(self._db, {"account_id": account_id, "user_name": name}))

    def in_any_group(self, user_id: str) -> bool:
        return bool(_IN_ANY_GROUP.scalar(self._db, {"user_id": user_id}))


_ADD_GROUP = insert_if_new(ram_groups)
_GROUP = _named(ram_groups, RamGroup)
_ADD_MEMBER = insert_if_new(ram_group_members)
_GROUPS_OF = Statement(select(_m.group_id).where(_m.user_id == bind(_m.user_id)))


class RamGroupRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, group: RamGroup) -> bool:
        return bool(_ADD_GROUP.rows(self._db, group.__dict__))

    def get(self, account_id: int, name: str) -> RamGroup | None:
        row = _GROUP.first(self._db, {"account_id": account_id, "name": name})
        return RamGroup(*row) if row else None

    def add_member(self, group_id: str, user_id: str, now: datetime) -> bool:
        """False when the user is already a member."""
        row = {"group_id": group_id, "user_id": user_id, "joined_at": now}
        return bool(_ADD_MEMBER.rows(self._db, row))

    def of_user(self, user_id: str) -> list[str]:
        return [group_id for (group_id,) in _GROUPS_OF.rows(self._db, {"user_id": user_id})]


_r = ram_roles.c
_ADD_ROLE = insert_if_new(ram_roles)
_ROLE_IGNORING_CASE = Statement(
    select(*fields_of(ram_roles, RamRole)).where(
        _r.account_id == bind(_r.account_id), func.lower(_r.name) == bind(_r.name)
    )
)
_DELETE_ROLE = Statement(delete(ram_roles).where(_r.id == bind(_r.id)))


class RamRoleRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, role: RamRole) -> bool:
        return bool(_ADD_ROLE.rows(self._db, role.__dict__))

    def get_ignoring_case(self, account_id: int, name: str) -> RamRole | None:
        row = _ROLE_IGNORING_CASE.first(self._db, {"account_id": account_id, "name": name.lower()})
        return RamRole(*row) if row else None

    def page(self, account_id: int, after: str | None, limit: int) -> list[RamRole]:
        rows = _page(ram_roles, RamRole, after is not None).rows(
            self._db, _page_params(account_id, after, limit)
        )
        return [RamRole(*row) for row in rows]

    def delete(self, role_id: str) -> None:
        _DELETE_ROLE.run(self._db, {"id": role_id})
