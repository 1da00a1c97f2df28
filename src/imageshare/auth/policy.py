"""RAM policy evaluation, pure: no I/O, no store, no pipeline. Language version "1".

Interface (everything a caller needs is importable from this module)::

    parse_policy(document, *, max_length=6144) -> Policy        # identity / session policy
    parse_trust_policy(document, *, max_length=2048) -> Policy  # a role's trust policy
        # both raise PolicyError (a ValueError) whose str() says what and where, e.g.
        # 'Statement[1].Effect must be "Allow" or "Deny"'; both are cached per document.
    RequestContext(action, resource, values)
        # action "swas-open:AddCustomImageShareAccount"; resource an ARN or "*";
        # values {"acs:currenttime": "2026-11-23T10:00:00Z", "acs:sourceip": "192.0.2.1",
        #         "acs:securetransport": "true", ...}
    evaluate(policies, context) -> Decision                     # a RAM user's policies
    evaluate_session(identity_policies, session_policy, context) -> Decision  # a role session
    evaluate_root(account_id, context) -> Decision              # an account's root identity
    trusts(trust_policy, caller_arns, values=None) -> bool      # may the caller assume the role?

Rules, in the order they are applied (see ``docs/ram-policies.md`` for the whole language):

1. A statement applies when its Action (or NotAction) covers the action, its Resource (or
   NotResource) covers the resource, and its Condition block holds.
2. Any applicable Deny, in any policy, gives EXPLICIT_DENY; nothing overrides it.
3. Otherwise any applicable Allow gives ALLOW; otherwise IMPLICIT_DENY (deny by default).

Actions match case-insensitively, resources case-sensitively; both take ``*`` and ``?``
wildcards and nothing else is special. A request for resource ``"*"`` (an action authorised on
all resources) is covered only by a Resource that is ``"*"`` itself: a pattern such as
``acs:ecs:*:*:image/*`` grants some images, not every resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from imageshare.auth.policy_glob import Glob
from imageshare.auth.policy_parse import (
    MAX_POLICY_LENGTH,
    MAX_SESSION_POLICY_LENGTH,
    MAX_TRUST_POLICY_LENGTH,
    Effect,
    Policy,
    Statement,
    parse_policy,
    parse_trust_policy,
)
from imageshare.auth.policy_types import Decision, PolicyError, RequestContext

__all__ = [
    "MAX_POLICY_LENGTH",
    "MAX_SESSION_POLICY_LENGTH",
    "MAX_TRUST_POLICY_LENGTH",
    "Decision",
    "Policy",
    "PolicyError",
    "RequestContext",
    "Statement",
    "evaluate",
    "evaluate_root",
    "evaluate_session",
    "parse_policy",
    "parse_trust_policy",
    "trusts",
]

ASSUME_ROLE_ACTION = "sts:AssumeRole"


def _covers_resource(pattern: Glob, resource: str) -> bool:
    if resource == "*":
        return pattern.matches_everything
    return pattern.matches(resource)


def _covers(statement: Statement, context: RequestContext) -> bool:
    action = any(pattern.matches(context.action) for pattern in statement.actions)
    if action == statement.not_action:
        return False
    if statement.principals is not None:
        return True  # trust statements have no Resource; the principal is checked instead
    resource = any(_covers_resource(p, context.resource) for p in statement.resources)
    return resource != statement.not_resource


def _applies(statement: Statement, context: RequestContext) -> bool:
    return _covers(statement, context) and all(
        condition.holds(context.values) for condition in statement.conditions
    )


def evaluate(policies: Iterable[Policy], context: RequestContext) -> Decision:
    """Decide a request against a set of permission policies; the order does not matter.

    :raises ValueError: a trust policy was passed; it grants nothing by itself.
    """
    allowed = False
    for policy in policies:
        if policy.trust:
            raise ValueError("a trust policy cannot be evaluated as a permission policy")
        for statement in policy.statements:
            if not _applies(statement, context):
                continue
            if statement.effect is Effect.DENY:
                return Decision.EXPLICIT_DENY
            allowed = True
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def evaluate_session(
    identity_policies: Iterable[Policy],
    session_policy: Policy | None,
    context: RequestContext,
) -> Decision:
    """Decide a request made with a role session's credentials.

    The session may do only what both the role's policies and the session policy (the
    ``Policy`` passed to AssumeRole, if any) allow; a Deny in either wins.

    :raises ValueError: a trust policy was passed.
    """
    role = evaluate(identity_policies, context)
    if session_policy is None or role is Decision.EXPLICIT_DENY:
        return role
    session = evaluate([session_policy], context)
    if session is Decision.EXPLICIT_DENY:
        return session
    both_allow = role is Decision.ALLOW and session is Decision.ALLOW
    return Decision.ALLOW if both_allow else Decision.IMPLICIT_DENY


def _resource_account(resource: str) -> str | None:
    parts = resource.split(":", 4)
    return parts[3] if len(parts) == 5 and parts[0] == "acs" else None


def evaluate_root(account_id: int | str, context: RequestContext) -> Decision:
    """Decide a request made by an account's root identity, which policies do not restrict.

    The root may do everything on its own account's resources: an ARN whose account field is
    ``account_id``, or ``"*"`` (an action on all resources acts within the caller's account).
    """
    if context.resource == "*" or _resource_account(context.resource) == str(account_id):
        return Decision.ALLOW
    return Decision.IMPLICIT_DENY


def trusts(
    trust_policy: Policy,
    caller_arns: Sequence[str],
    values: Mapping[str, str] | None = None,
) -> bool:
    """Whether a role's trust policy lets the caller assume the role (``sts:AssumeRole``).

    ``caller_arns`` are the names of one caller, e.g. ``["acs:ram::<id>:user/alice"]``, or a
    service name such as ``"ecs.aliyuncs.com"``; the caller is trusted when an Allow statement
    names one of them and no Deny statement does. ``values`` feed the Condition blocks. The
    caller must still be allowed ``sts:AssumeRole`` by its own policies: that is
    :func:`evaluate`'s part.

    :raises ValueError: ``trust_policy`` is a permission policy.
    """
    if not trust_policy.trust:
        raise ValueError("trusts() needs a trust policy (parse_trust_policy)")
    context = RequestContext(ASSUME_ROLE_ACTION, "*", values or {})
    trusted = False
    for statement in trust_policy.statements:
        principals = statement.principals
        if principals is None or not any(principals.includes(arn) for arn in caller_arns):
            continue
        if not _applies(statement, context):
            continue
        if statement.effect is Effect.DENY:
            return False
        trusted = True
    return trusted
