"""Policies: custom ones with versions, system ones from code, and attaching either to a user,
a group or a role. Documents are parsed when stored, so a bad one is refused at once."""

from __future__ import annotations

from datetime import datetime

from imageshare.auth.policy import PolicyError, parse_policy, parse_trust_policy
from imageshare.domain import ram
from imageshare.domain.ram import Attachment, CustomPolicy, Holder, PolicyVersion
from imageshare.domain.ram_system_policies import SYSTEM_POLICIES
from imageshare.errors import (
    AttachmentAlreadyExists,
    AttachmentNotExist,
    DeleteConflict,
    EntityAlreadyExists,
    EntityNotExist,
    InvalidEntityName,
    InvalidPolicyType,
    LimitExceeded,
    MalformedPolicyDocument,
    PolicyDocumentTooLong,
)
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class PolicyView:
    """A system or custom policy as GetPolicy and ListPolicies show it."""

    name: str
    type: str
    description: str
    default_version: str
    document: str
    created_at: datetime
    updated_at: datetime
    attachment_count: int


def check_policy_name(value: str) -> None:
    """:raises InvalidEntityName:"""
    if len(value) > ram.POLICY_NAME_MAX:
        raise InvalidEntityName("PolicyName", too_long=True)
    if not ram.POLICY_NAME.fullmatch(value):
        raise InvalidEntityName("PolicyName", too_long=False)


def check_document(parameter: str, document: str, limit: int, *, trust: bool = False) -> None:
    """:raises PolicyDocumentTooLong, MalformedPolicyDocument: not JSON or not policy grammar."""
    if len(document) > limit:
        raise PolicyDocumentTooLong(parameter, limit)
    try:
        (parse_trust_policy if trust else parse_policy)(document)
    except PolicyError as error:
        raise MalformedPolicyDocument(parameter=parameter, reason=str(error)) from None


def check_policy_type(policy_type: str) -> None:
    """:raises InvalidPolicyType:"""
    if policy_type not in ram.POLICY_TYPES:
        raise InvalidPolicyType()


def create_policy(
    uow: UnitOfWork, account_id: int, name: str, document: str, description: str, now: datetime
) -> CustomPolicy:
    """:raises InvalidEntityName, PolicyDocumentTooLong, MalformedPolicyDocument,
    EntityAlreadyExists:"""
    check_policy_name(name)
    check_document("PolicyDocument", document, ram.CUSTOM_POLICY_MAX_CHARS)
    if name in SYSTEM_POLICIES:  # system names are reserved in every account
        raise EntityAlreadyExists("Policy", name)
    policy = CustomPolicy(account_id, name, description, ram.version_id(1), 2, now, now)
    if not uow.ram_policies.add(policy, document):
        raise EntityAlreadyExists("Policy", name)
    return policy


def _custom(uow: UnitOfWork, account_id: int, name: str, *, lock: bool = False) -> CustomPolicy:
    check_policy_name(name)
    policy = uow.ram_policies.get(account_id, name, lock=lock)
    if policy is None:
        raise EntityNotExist("Policy", name)
    return policy


def get_policy(uow: UnitOfWork, account_id: int, name: str, policy_type: str) -> PolicyView:
    """:raises InvalidPolicyType, InvalidEntityName, EntityNotExist:"""
    check_policy_type(policy_type)
    count = uow.ram_attachments.count(account_id, policy_type, name)
    if policy_type == ram.SYSTEM:
        system = SYSTEM_POLICIES.get(name)
        if system is None:
            raise EntityNotExist("Policy", name)
        return PolicyView(
            name, ram.SYSTEM, system.description, system.default_version, system.document,
            system.created_at, system.created_at, count,
        )  # fmt: skip
    policy = _custom(uow, account_id, name)
    versions = {v.version_id: v for v in uow.ram_policies.versions(account_id, name)}
    document = versions[policy.default_version].document
    return PolicyView(
        name, ram.CUSTOM, policy.description, policy.default_version, document,
        policy.created_at, policy.updated_at, count,
    )  # fmt: skip


def list_policies(
    uow: UnitOfWork, account_id: int, policy_type: str | None, after: str | None, limit: int
) -> list[PolicyView]:
    """System policies (by name) and then custom ones (by name), one page of them.

    :raises InvalidPolicyType:
    """
    if policy_type is not None:
        check_policy_type(policy_type)
    views: list[PolicyView] = []
    if policy_type in (None, ram.SYSTEM):
        names = sorted(n for n in SYSTEM_POLICIES if after is None or n > after)
        views += [get_policy(uow, account_id, n, ram.SYSTEM) for n in names[:limit]]
    if policy_type in (None, ram.CUSTOM) and len(views) < limit:
        custom_after = None if after in SYSTEM_POLICIES or after is None else after
        for policy in uow.ram_policies.page(account_id, custom_after, limit - len(views)):
            views.append(get_policy(uow, account_id, policy.name, ram.CUSTOM))
    return views


def delete_policy(uow: UnitOfWork, account_id: int, name: str, cascading: bool) -> None:
    """CascadingDelete detaches the policy everywhere and drops every version first.

    :raises EntityNotExist, DeleteConflict:
    """
    policy = _custom(uow, account_id, name, lock=True)
    if not cascading:
        _check_unused(uow, account_id, policy)
    uow.ram_attachments.detach_everywhere(account_id, ram.CUSTOM, name)
    uow.ram_policies.delete(account_id, name)


def _check_unused(uow: UnitOfWork, account_id: int, policy: CustomPolicy) -> None:
    """Without CascadingDelete a policy must be detached and down to its default version.

    :raises DeleteConflict:
    """
    kinds = uow.ram_attachments.holder_kinds(account_id, ram.CUSTOM, policy.name)
    for kind in ("User", "Group", "Role"):
        if kind in kinds:
            message = f"The policy CAN NOT been attached to any {kind.lower()} while deleting it."
            raise DeleteConflict("Policy", kind, message)
    if len(uow.ram_policies.versions(account_id, policy.name)) > 1:
        message = "The policy CAN NOT has any version except the default version."
        raise DeleteConflict("Policy", "Version", message)


def create_policy_version(
    uow: UnitOfWork, account_id: int, name: str, document: str, set_as_default: bool,
    rotate: bool, now: datetime,
) -> tuple[PolicyVersion, bool]:  # fmt: skip
    """A new version; at the limit, rotation deletes the oldest non-default one.

    :raises PolicyDocumentTooLong, MalformedPolicyDocument, EntityNotExist, LimitExceeded:
    """
    check_document("PolicyDocument", document, ram.CUSTOM_POLICY_MAX_CHARS)
    policy = _custom(uow, account_id, name, lock=True)
    versions = uow.ram_policies.versions(account_id, name)
    if len(versions) >= ram.POLICY_VERSIONS_MAX:
        if not rotate:
            message = f"A policy can have at most {ram.POLICY_VERSIONS_MAX} versions."
            raise LimitExceeded("Policy.Version", message)
        oldest = next(v for v in versions if v.version_id != policy.default_version)
        uow.ram_policies.delete_version(account_id, name, oldest.version_id)
    version = PolicyVersion(ram.version_id(policy.next_version), document, now)
    uow.ram_policies.add_version(account_id, name, version.version_id, document, now)
    values: dict[str, object] = {"next_version": policy.next_version + 1, "updated_at": now}
    if set_as_default:
        values["default_version"] = version.version_id
    uow.ram_policies.update(account_id, name, **values)
    return version, set_as_default


def _policy_exists(uow: UnitOfWork, account_id: int, name: str, policy_type: str) -> None:
    check_policy_type(policy_type)
    if policy_type == ram.SYSTEM:
        if name not in SYSTEM_POLICIES:
            raise EntityNotExist("Policy", name)
    else:
        _custom(uow, account_id, name)


def attach(
    uow: UnitOfWork, account_id: int, holder: Holder, policy: tuple[str, str], now: datetime
) -> None:
    """Attach (policy type, policy name) to a user, group or role found by the caller.

    :raises InvalidPolicyType, EntityNotExist, AttachmentAlreadyExists:
    """
    policy_type, name = policy
    _policy_exists(uow, account_id, name, policy_type)
    if not uow.ram_attachments.attach(account_id, holder, policy_type, name, now):
        raise AttachmentAlreadyExists(holder.kind, name)


def detach(uow: UnitOfWork, account_id: int, holder: Holder, policy: tuple[str, str]) -> None:
    """:raises InvalidPolicyType, EntityNotExist, AttachmentNotExist:"""
    policy_type, name = policy
    _policy_exists(uow, account_id, name, policy_type)
    if not uow.ram_attachments.detach(holder, policy_type, name):
        raise AttachmentNotExist(holder.kind, name)


def attached(uow: UnitOfWork, holder: Holder) -> list[Attachment]:
    return uow.ram_attachments.of([holder])
