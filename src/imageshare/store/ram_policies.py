"""Custom RAM policies with their versions, and the attachments of every policy type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from imageshare.store.dialect import insert_ignore
from imageshare.store.tables import ram_attachments, ram_policies, ram_policy_versions


@dataclass(frozen=True)
class CustomPolicy:
    account_id: int
    name: str
    description: str
    default_version: str
    next_version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PolicyVersion:
    version_id: str
    document: str
    created_at: datetime


@dataclass(frozen=True)
class Attachment:
    policy_type: str
    policy_name: str
    attached_at: datetime


@dataclass(frozen=True)
class Holder:
    """Whoever a policy is attached to: ("User" | "Group" | "Role", its id)."""

    kind: str
    id: str


class RamPolicyRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, policy: CustomPolicy, document: str) -> bool:
        """The policy and its first version, v1; False when the name is taken."""
        if not insert_ignore(self._conn, ram_policies, policy.__dict__):
            return False
        self.add_version(policy.account_id, policy.name, "v1", document, policy.created_at)
        return True

    def get(self, account_id: int, name: str, *, lock: bool = False) -> CustomPolicy | None:
        query = select(ram_policies).where(
            ram_policies.c.account_id == account_id, ram_policies.c.name == name
        )
        row = self._conn.execute(query.with_for_update() if lock else query).first()
        return CustomPolicy(**row._mapping) if row else None

    def page(self, account_id: int, after: str | None, limit: int) -> list[CustomPolicy]:
        query = select(ram_policies).where(ram_policies.c.account_id == account_id)
        if after is not None:
            query = query.where(ram_policies.c.name > after)
        rows = self._conn.execute(query.order_by(ram_policies.c.name).limit(limit))
        return [CustomPolicy(**row._mapping) for row in rows]

    def update(self, account_id: int, name: str, **values: object) -> None:
        query = update(ram_policies).where(
            ram_policies.c.account_id == account_id, ram_policies.c.name == name
        )
        self._conn.execute(query.values(**values))

    def delete(self, account_id: int, name: str) -> None:
        versions = ram_policy_versions.c
        self._conn.execute(
            delete(ram_policy_versions).where(
                versions.account_id == account_id, versions.policy_name == name
            )
        )
        self._conn.execute(
            delete(ram_policies).where(
                ram_policies.c.account_id == account_id, ram_policies.c.name == name
            )
        )

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
        self._conn.execute(ram_policy_versions.insert().values(**row))

    def versions(self, account_id: int, name: str) -> list[PolicyVersion]:
        c = ram_policy_versions.c
        query = (
            select(c.version_id, c.document, c.created_at)
            .where(c.account_id == account_id, c.policy_name == name)
            .order_by(c.created_at, c.version_id)
        )
        return [PolicyVersion(**row._mapping) for row in self._conn.execute(query)]

    def delete_version(self, account_id: int, name: str, version_id: str) -> None:
        c = ram_policy_versions.c
        self._conn.execute(
            delete(ram_policy_versions).where(
                c.account_id == account_id, c.policy_name == name, c.version_id == version_id
            )
        )

    def default_documents(self, account_id: int, names: list[str]) -> dict[str, str]:
        """Each named custom policy's default version, in one query."""
        p, v = ram_policies.c, ram_policy_versions.c
        query = (
            select(p.name, v.document)
            .join_from(
                ram_policies,
                ram_policy_versions,
                and_(
                    v.account_id == p.account_id,
                    v.policy_name == p.name,
                    v.version_id == p.default_version,
                ),
            )
            .where(p.account_id == account_id, p.name.in_(names))
        )
        return {row.name: row.document for row in self._conn.execute(query)}


class RamAttachmentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

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
        return insert_ignore(self._conn, ram_attachments, row)

    def detach(self, holder: Holder, policy_type: str, name: str) -> bool:
        c = ram_attachments.c
        query = delete(ram_attachments).where(
            c.principal_kind == holder.kind,
            c.principal_id == holder.id,
            c.policy_type == policy_type,
            c.policy_name == name,
        )
        return self._conn.execute(query).rowcount > 0

    def of(self, holders: list[Holder]) -> list[Attachment]:
        """Every policy attached to any of the holders (a user and the user's groups)."""
        if not holders:
            return []
        c = ram_attachments.c
        match = or_(*(and_(c.principal_kind == h.kind, c.principal_id == h.id) for h in holders))
        query = (
            select(c.policy_type, c.policy_name, c.attached_at)
            .where(match)
            .order_by(c.attached_at, c.policy_name)
        )
        return [Attachment(**row._mapping) for row in self._conn.execute(query)]

    def count(self, account_id: int, policy_type: str, name: str) -> int:
        c = ram_attachments.c
        query = select(func.count()).where(
            c.account_id == account_id, c.policy_type == policy_type, c.policy_name == name
        )
        return int(self._conn.execute(query).scalar_one())

    def holder_kinds(self, account_id: int, policy_type: str, name: str) -> set[str]:
        c = ram_attachments.c
        query = (
            select(c.principal_kind)
            .where(c.account_id == account_id, c.policy_type == policy_type, c.policy_name == name)
            .distinct()
        )
        return set(self._conn.execute(query).scalars())

    def detach_everywhere(self, account_id: int, policy_type: str, name: str) -> None:
        c = ram_attachments.c
        self._conn.execute(
            delete(ram_attachments).where(
                c.account_id == account_id, c.policy_type == policy_type, c.policy_name == name
            )
        )
