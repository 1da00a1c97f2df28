"""Authorisation: may this principal call this action on this resource?

The account's root identity may do everything in its own account; whether a resource belongs
to the caller (or was shared with it) is the services' business, and another account's image
is simply not found. RAM users are evaluated against the policies attached to them and to
their groups; a role session against the role's policies and, when AssumeRole was given one,
the session policy too. Only the caller's own account's policies are ever consulted, so an
image owner's policies never grant anything to another account.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from imageshare.api.registry import Action, Call
from imageshare.auth.policy import (
    Decision,
    Policy,
    RequestContext,
    evaluate,
    evaluate_session,
    parse_policy,
)
from imageshare.domain import ram
from imageshare.domain.principal import Principal, PrincipalType
from imageshare.domain.ram import Holder
from imageshare.domain.ram_system_policies import SYSTEM_POLICIES
from imageshare.domain.times import wire_time
from imageshare.errors import AccessDeniedDetail
from imageshare.store.uow import UnitOfWork


def needs_authorisation(principal: Principal, action: Action[Any]) -> bool:
    """An account's root identity may do everything in its own account, and anyone may call
    the few actions that need no permission (STS GetCallerIdentity)."""
    return not principal.is_root and action.requires_permission


def authorise(call: Call, action: Action[Any], request: Any) -> None:
    """:raises Forbidden: the principal has no Allow, or an explicit Deny, for the request."""
    principal = call.principal
    if not needs_authorisation(principal, action):
        return
    identity = list(identity_policies(call.uow, principal))
    session = parse_policy(principal.session_policy) if principal.session_policy else None
    resources = action.resource(principal, request)
    for resource in (resources,) if isinstance(resources, str) else resources:
        decision = _decide(principal, identity, session, _context(call, action, resource))
        if decision is not Decision.ALLOW:
            raise action.product.denial(detail=_detail(action, principal, decision))


def _context(call: Call, action: Action[Any], resource: str) -> RequestContext:
    values = {
        "acs:CurrentTime": wire_time(call.now),
        "acs:SourceIp": call.source_ip,
        "acs:SecureTransport": "true" if call.secure_transport else "false",
    }
    return RequestContext(action=action.ram_action, resource=resource, values=values)


def _decide(
    principal: Principal, identity: list[Policy], session: Policy | None, context: RequestContext
) -> Decision:
    if principal.type is PrincipalType.ROLE:
        return evaluate_session(identity, session, context)
    return evaluate(identity, context)


def _detail(action: Action[Any], principal: Principal, decision: Decision) -> AccessDeniedDetail:
    return AccessDeniedDetail(
        auth_action=action.ram_action,
        principal_type=str(principal.type),
        principal_owner_id=principal.account_id,
        principal_display_name=principal.denied_name,
        no_permission_type=decision.value,
    )


def identity_policies(uow: UnitOfWork, principal: Principal) -> Iterable[Policy]:
    """Every policy attached to a RAM user (directly or through a group) or to a role; parsing
    is cached per document by the policy module, so this stays cheap per request."""
    holders = _holders(principal)
    attachments = uow.ram_attachments.of(holders)
    custom = [a.policy_name for a in attachments if a.policy_type == ram.CUSTOM]
    documents = uow.ram_policies.default_documents(principal.account_id, custom)
    for attachment in attachments:
        if attachment.policy_type == ram.SYSTEM:
            document = SYSTEM_POLICIES[attachment.policy_name].document
        else:
            document = documents.get(attachment.policy_name, "")
        if document:
            yield parse_policy(document)


def _holders(principal: Principal) -> list[Holder]:
    if principal.type is PrincipalType.ROLE:
        return [Holder("Role", principal.role_id)]
    if not principal.user_id:  # the user was deleted after the key was issued
        return []
    return [Holder("User", principal.user_id), *(Holder("Group", g) for g in principal.group_ids)]
