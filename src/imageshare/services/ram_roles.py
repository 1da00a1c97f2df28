"""RAM roles: who may assume them (the trust policy) and what a session may do (policies)."""

from __future__ import annotations

from datetime import datetime

from imageshare.domain import ram
from imageshare.domain.ram import Holder, RamRole
from imageshare.errors import (
    DeleteConflict,
    EntityAlreadyExists,
    EntityNotExist,
    InvalidMaxSessionDuration,
)
from imageshare.services.ram_identities import check_name
from imageshare.services.ram_policies import check_document
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class RoleSpec:
    name: str
    trust_policy: str
    description: str = ""
    max_session_duration: int = ram.SESSION_DURATION_DEFAULT


def create_role(uow: UnitOfWork, account_id: int, spec: RoleSpec, now: datetime) -> RamRole:
    """:raises InvalidEntityName, PolicyDocumentTooLong, MalformedPolicyDocument,
    InvalidMaxSessionDuration, EntityAlreadyExists:
    """
    check_name("RoleName", spec.name, ram.ROLE_NAME_MAX, ram.ROLE_NAME)
    check_document(
        "AssumeRolePolicyDocument", spec.trust_policy, ram.TRUST_POLICY_MAX_CHARS, trust=True
    )
    low, high = ram.ROLE_MAX_SESSION_MIN, ram.ROLE_MAX_SESSION_MAX
    if not low <= spec.max_session_duration <= high:
        raise InvalidMaxSessionDuration(low=low, high=high)
    role = RamRole(
        ram.new_entity_id(), account_id, spec.name, spec.description, spec.trust_policy,
        spec.max_session_duration, now, now,
    )  # fmt: skip
    # Role names are unique ignoring case: the ARN carries them lower-cased.
    if uow.ram_roles.get_ignoring_case(account_id, spec.name) or not uow.ram_roles.add(role):
        raise EntityAlreadyExists("Role", spec.name)
    return role


def get_role(uow: UnitOfWork, account_id: int, name: str) -> RamRole:
    """:raises InvalidEntityName, EntityNotExist:"""
    check_name("RoleName", name, ram.ROLE_NAME_MAX, ram.ROLE_NAME)
    role = uow.ram_roles.get_ignoring_case(account_id, name)
    if role is None:
        raise EntityNotExist("Role", name)
    return role


def list_roles(uow: UnitOfWork, account_id: int, after: str | None, limit: int) -> list[RamRole]:
    """Up to ``limit`` of the account's roles by name, after the name ``after``."""
    return uow.ram_roles.page(account_id, after, limit)


def delete_role(uow: UnitOfWork, account_id: int, name: str) -> None:
    """:raises EntityNotExist, DeleteConflict: policies are still attached."""
    role = get_role(uow, account_id, name)
    if uow.ram_attachments.of([Holder("Role", role.id)]):
        message = "The role CAN NOT has any attached policy while deleting the role."
        raise DeleteConflict("Role", "Policy", message)
    uow.ram_roles.delete(role.id)
    # Deleting a role ends its sessions at once, as the real service documents.
    uow.security_tokens.forget_role(role.id)
