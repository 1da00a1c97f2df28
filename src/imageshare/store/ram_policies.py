"""Custom RAM policies with their versions, and the attachments of every policy type."""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update

from imageshare.domain.ram import Attachment, CustomPolicy, Holder, PolicyVersion
from imageshare.store.statement import Db, Statement
from imageshare.store.statement_builders import (
    LIMIT,
    OFFSET,
    bind,
    fields_of,
    id_binds,
    id_params,
    insert_if_new,
    insert_row,
)
from imageshare.store.tables import ram_attachments, ram_policies, ram_policy_versions

_p, _v, _a = ram_policies.c, ram_policy_versions.c, ram_attachments.c
_POLICY_KEY = (_p.account_id == bind(_p.account_id), _p.name == bind(_p.name))
_VERSIONS_OF = (_v.account_id == bind(_v.account_id), _v.policy_name == bind(_v.policy_name))
_ADD_POLICY = insert_if_new(ram_policies)
_POLICY = select(*fields_of(ram_policies, CustomPolicy))
_GET = Statement(_POLICY.where(*_POLICY_KEY))
_GET_LOCKED = Statement(_POLICY.where(*_POLICY_KEY).with_for_update())
_DELETE_POLICY = (
    Statement(delete(ram_policy_versions).where(*_VERSIONS_OF)),
    Statement(delete(ram_policies).where(*_POLICY_KEY)),
)
_ADD_VERSION = insert_row(ram_policy_versions)
_VERSIONS = Statement(
    select(_v.version_id, _v.document, _v.created_at)
    .where(*_VERSIONS_OF)
    .order_by(_v.created_at, _v.version_id)
)
_DELETE_VERSION = Statement(
    delete(ram_policy_versions).where(*_VERSIONS_OF, _v.version_id == bind(_v.version_id))
)


@functools.lru_cache(maxsize=8)
def _policy_page(after: bool) -> Statement:
    query = _POLICY.where(_p.account_id == bind(_p.account_id))
    if after:
        query = query.where(_p.name > bind(_p.name, "after"))
    return Statement(query.order_by(_p.name).limit(LIMIT).offset(OFFSET))


@functools.lru_cache(maxsize=64)
def _update_policy(names: tuple[str, ...]) -> Statement:
    values = {name: bind(_p[name], f"new_{name}") for name in names}
    return Statement(update(ram_policies).where(*_POLICY_KEY).values(values))


@functools.lru_cache(maxsize=128)
def _default_documents(count: int) -> Statement:
    """Each of ``count`` custom policies' default version (``id_0`` ...), in one query."""
    query = (
        select(_p.name, _v.document)
        .join_from(
            ram_policies,
            ram_policy_versions,
            and_(
                _v.account_id == _p.account_id,
                _v.policy_name == _p.name,
                _v.version_id == _p.default_version,
            ),
        )
        .where(_p.account_id == bind(_p.account_id), _p.name.in_(id_binds(_p.name, count)))
    )
    return Statement(query)


class RamPolicyRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def add(self, policy: CustomPolicy, document: str) -> bool:
        """The policy and its first version, v1; False when the name is taken."""
        if not _ADD_POLICY.rows(self._db, policy.__dict__):
            return False
        self.add_version(policy.account_id, policy.name, "v1", document, policy.created_at)
        return True

    def get(self, account_id: int, name: str, *, lock: bool = False) -> CustomPolicy | None:
        row = (_GET_LOCKED if lock else _GET).first(
            self._db, {"account_id": account_id, "name": name}
        )
        return CustomPolicy(*row) if row else None

    def page(self, account_id: int, after: str | None, limit: int) -> list[CustomPolicy]:
        params = {"account_id": account_id, "after": after, "limit": limit, "offset": 0}
        rows = _policy_page(after is not None).rows(self._db, params)
        return [CustomPolicy(*row) for row in rows]

    def update(self, account_id: int, name: str, **values: object) -> None:
        new = {f"new_{key}": value for key, value in values.items()}
        statement = _update_policy(tuple(sorted(values)))
        statement.run(self._db, {**new, "account_id": account_id, "name": name})

    def delete(self, account_id: int, name: str) -> None:
        params = {"account_id": account_id, "name": name, "policy_name": name}
        for statement in _DELETE_POLICY:
            statement.run(self._db, params)

    def add_version(
        self, account_id: int, name: str, version_id: str, document: str, now: datetime
    ) -> None:
        row = {
            "account_id": account_id,
            "policy_name": name,
            "version_id": version_id,
            "document": document,
            "created_at": now,
        }
        _ADD_VERSION.run(self._db, row)

    def versions(self, account_id: int, name: str) -> list[PolicyVersion]:
        rows = _VERSIONS.rows(self._db, {"account_id": account_id, "policy_name": name})
        return [PolicyVersion(*row) for row in rows]

    def delete_version(self, account_id: int, name: str, version_id: str) -> None:
        params = {"account_id": account_id, "policy_name": name, "version_id": version_id}
        _DELETE_VERSION.run(self._db, params)

    def default_documents(self, account_id: int, names: list[str]) -> dict[str, str]:
        """Each named custom policy's default version, in one query."""
        if not names:
            return {}
        params = {"account_id": account_id, **id_params(names)}
        return dict(_default_documents(len(names)).rows(self._db, params))


_ATTACHMENT = (
    _a.account_id == bind(_a.account_id),
    _a.policy_type == bind(_a.policy_type),
    _a.policy_name == bind(_a.policy_name),
)
_ATTACH = insert_if_new(ram_attachments)
_DETACH = Statement(
    delete(ram_attachments).where(
        _a.principal_kind == bind(_a.principal_kind),
        _a.principal_id == bind(_a.principal_id),
        _a.policy_type == bind(_a.policy_type),
        _a.policy_name == bind(_a.policy_name),
    )
)
_COUNT = Statement(select(func.count()).where(*_ATTACHMENT))
_HOLDER_KINDS = Statement(select(_a.principal_kind).where(*_ATTACHMENT).distinct())
_DETACH_EVERYWHERE = Statement(delete(ram_attachments).where(*_ATTACHMENT))


@functools.lru_cache(maxsize=64)
def _attached_to(holders: int) -> Statement:
    """Every policy attached to any of ``holders`` holders (``kind_0``, ``holder_0`` ...)."""
    match = or_(
        *(
            and_(
                _a.principal_kind == bind(_a.principal_kind, f"kind_{index}"),
                _a.principal_id == bind(_a.principal_id, f"holder_{index}"),
            )
            for index in range(holders)
        )
    )
    query = select(_a.policy_type, _a.policy_name, _a.attached_at).where(match)
    return Statement(query.order_by(_a.attached_at, _a.policy_name))


class RamAttachmentRepository:
    def __init__(self, db: Db) -> None:
        self._db = db

    def attach(
        self, account_id: int, holder: Holder, policy_type: str, name: str, now: datetime
    ) -> bool:
        """False when that policy is already attached to the holder."""
        row = {
            "account_id": account_id,
            "principal_kind": holder.kind,
            "principal_id": holder.id,
            "policy_type": policy_type,
            "policy_name": name,
            "attached_at": now,
        }
        return bool(_ATTACH.rows(self._db, row))

    def detach(self, holder: Holder, policy_type: str, name: str) -> bool:
        params = {
            "principal_kind": holder.kind,
            "principal_id": holder.id,
            "policy_type": policy_type,
            "policy_name": name,
        }
        return _DETACH.run(self._db, params) > 0

    def of(self, holders: list[Holder]) -> list[Attachment]:
        """Every policy attached to any of the holders (a user and the user's groups)."""
        if not holders:
            return []
        params: dict[str, object] = {}
        for index, holder in enumerate(holders):
            params[f"kind_{index}"], params[f"holder_{index}"] = holder.kind, holder.id
        return [Attachment(*row) for row in _attached_to(len(holders)).rows(self._db, params)]

    def count(self, account_id: int, policy_type: str, name: str) -> int:
        return int(_COUNT.scalar(self._db, _attachment(account_id, policy_type, name)))

    def holder_kinds(self, account_id: int, policy_type: str, name: str) -> set[str]:
        rows = _HOLDER_KINDS.rows(self._db, _attachment(account_id, policy_type, name))
        return {kind for (kind,) in rows}

    def detach_everywhere(self, account_id: int, policy_type: str, name: str) -> None:
        _DETACH_EVERYWHERE.run(self._db, _attachment(account_id, policy_type, name))


def _attachment(account_id: int, policy_type: str, name: str) -> dict[str, object]:
    return {"account_id": account_id, "policy_type": policy_type, "policy_name": name}
