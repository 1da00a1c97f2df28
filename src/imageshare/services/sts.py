"""STS: temporary credentials for a role session, and who the caller is."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from imageshare.auth.policy import PolicyError, parse_policy, parse_trust_policy, trusts
from imageshare.domain import ids, ram
from imageshare.domain.principal import Principal, PrincipalType, SecurityToken, encode_session
from imageshare.domain.ram import RamRole
from imageshare.errors import (
    EntityNotExist,
    InvalidDurationSeconds,
    InvalidRoleArn,
    InvalidSessionName,
    InvalidSessionPolicy,
    NoPermission,
    SessionPolicyTooLong,
)
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


@frozen
class SessionRequest:
    role_arn: str
    session_name: str
    duration_seconds: int | None = None
    policy: str | None = None


@frozen
class Session:
    token: SecurityToken
    role: RamRole
    session_name: str

    @property
    def arn(self) -> str:
        return ram.session_arn(self.role.account_id, self.role.name, self.session_name)

    @property
    def assumed_role_id(self) -> str:
        return f"{self.role.id}:{self.session_name}"


def check_session_request(request: SessionRequest) -> tuple[int, str]:
    """(role's account, role name) from the ARN.

    :raises InvalidRoleArn, InvalidSessionName, SessionPolicyTooLong, InvalidSessionPolicy:
    """
    target = ram.parse_role_arn(request.role_arn)
    if target is None:
        raise InvalidRoleArn()
    name = request.session_name
    low, high = ram.SESSION_NAME_MIN, ram.SESSION_NAME_MAX
    if not (low <= len(name) <= high and ram.SESSION_NAME.fullmatch(name)):
        raise InvalidSessionName(low=low, high=high)
    if request.policy is not None:
        if len(request.policy.encode()) > ram.SESSION_POLICY_MAX_CHARS:
            raise SessionPolicyTooLong(limit=ram.SESSION_POLICY_MAX_CHARS)
        try:
            parse_policy(request.policy)
        except PolicyError as error:
            raise InvalidSessionPolicy(reason=str(error)) from None
    return target


def _caller_names(caller: Principal) -> list[str]:
    """How a trust policy may name the caller; a role session also by its role."""
    names = [caller.arn]
    if caller.type is PrincipalType.ROLE:
        names.append(f"acs:ram::{caller.account_id}:role/{caller.name}/{caller.session_name}")
    return names


def assume_role(
    uow: UnitOfWork, caller: Principal, request: SessionRequest, now: datetime
) -> Session:
    """Issue credentials for the role if its trust policy names the caller (a RAM user or a
    role session: the real service refuses an account's root identity).

    The caller's own permission for ``sts:AssumeRole`` on the role ARN was checked by the
    pipeline; here the role's side decides.

    :raises InvalidRoleArn, InvalidSessionName, InvalidSessionPolicy, EntityNotExist,
        InvalidDurationSeconds, NoPermission:
    """
    if caller.is_root:
        raise NoPermission("Roles may not be assumed by root accounts.")
    role, duration = _role_and_duration(uow, request)
    if not trusts(parse_trust_policy(role.trust_policy), _caller_names(caller)):
        raise NoPermission()
    return _issue(uow, role, request, duration, now)


def issue_session(uow: UnitOfWork, request: SessionRequest, now: datetime) -> Session:
    """Credentials for the role as a trusted service of the platform hands them out (the
    credentials URI, `imageshare env --role`), like an ECS instance's RAM role: no caller
    assumes the role, so its trust policy is not consulted.

    :raises InvalidRoleArn, InvalidSessionName, InvalidSessionPolicy, EntityNotExist,
        InvalidDurationSeconds:
    """
    role, duration = _role_and_duration(uow, request)
    return _issue(uow, role, request, duration, now)


def _role_and_duration(uow: UnitOfWork, request: SessionRequest) -> tuple[RamRole, int]:
    """:raises InvalidRoleArn, InvalidSessionName, InvalidSessionPolicy, EntityNotExist,
    InvalidDurationSeconds:"""
    account_id, role_name = check_session_request(request)
    role = uow.ram_roles.get_ignoring_case(account_id, role_name)
    if role is None:
        raise EntityNotExist("Role", role_name)
    duration = request.duration_seconds or ram.SESSION_DURATION_DEFAULT
    if not ram.SESSION_DURATION_MIN <= duration <= role.max_session_duration:
        raise InvalidDurationSeconds(low=ram.SESSION_DURATION_MIN, high=role.max_session_duration)
    return role, duration


def _issue(
    uow: UnitOfWork, role: RamRole, request: SessionRequest, duration: int, now: datetime
) -> Session:
    token = SecurityToken(
        access_key_id="STS." + ids.new_access_key_id()[4:] + secrets.token_hex(2),
        account_id=role.account_id,
        secret=ids.new_access_key_secret(),
        token="CAIS" + secrets.token_urlsafe(150),
        principal=encode_session(role.name, role.id, request.session_name, request.policy),
        expires_at=now + timedelta(seconds=duration),
    )
    uow.security_tokens.add(token)
    return Session(token, role, request.session_name)
