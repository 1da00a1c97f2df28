"""Who is calling: an account's root identity, a RAM user, or an assumed-role session."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

from imageshare.values import frozen


class PrincipalType(StrEnum):
    # The values are what AccessDeniedDetail.AuthPrincipalType carries.
    ROOT = "Account"
    USER = "SubUser"
    ROLE = "AssumedRoleUser"


# The members as module names: a lookup on an enum class (PrincipalType.ROOT) goes through
# EnumType.__getattr__'s slower attribute path, and the two below run on every logged call.
_ROOT, _ROLE = PrincipalType.ROOT, PrincipalType.ROLE


@frozen
class Principal:
    account_id: int
    type: PrincipalType
    access_key_id: str
    name: str = ""  # the RAM user's name, or the assumed role's name
    session_name: str = ""  # role sessions only
    role_id: str = ""  # role sessions only
    session_policy: str | None = None  # the Policy given to AssumeRole, if any
    # RAM users only, resolved once with the key: the user's id and its groups' ids (empty
    # when the user was deleted after the key was issued: nothing is attached to it).
    user_id: str = ""
    group_ids: tuple[str, ...] = ()

    @property
    def is_root(self) -> bool:
        return self.type is PrincipalType.ROOT

    @property
    def arn(self) -> str:
        """The form GetCallerIdentity returns and trust policies name."""
        if self.type is PrincipalType.USER:
            return f"acs:ram::{self.account_id}:user/{self.name}"
        if self.type is PrincipalType.ROLE:
            # As AssumeRole returns it: the role name lower-cased.
            role = self.name.lower()
            return f"acs:ram::{self.account_id}:assumed-role/{role}/{self.session_name}"
        return f"acs:ram::{self.account_id}:root"

    @property
    def display_name(self) -> str:
        """The caller as a person reads it: the user's name, or role:session."""
        if self.type is _ROLE:
            return f"{self.name}:{self.session_name}"
        return self.name or str(self.account_id)

    @property
    def denied_name(self) -> str:
        """AccessDeniedDetail.AuthPrincipalDisplayName: a RAM user by its UserId (its name if
        the user is gone), a role session as role:session."""
        if self.type is PrincipalType.USER and self.user_id:
            return self.user_id
        return self.display_name


def principal_name(principal: Principal) -> str:
    """The caller as a person reads it: ``root``, the RAM user, or ``role:session`` (the
    request log's principal_name, the audit trail's userName and User filter)."""
    if principal.type is _ROOT:
        return "root"
    return principal.display_name


def encode_session(role_name: str, role_id: str, session_name: str, policy: str | None) -> str:
    """What an STS token stands for, as stored beside it by AssumeRole."""
    record = {
        "role_name": role_name,
        "role_id": role_id,
        "session_name": session_name,
        "session_policy": policy,
    }
    return json.dumps(record, separators=(",", ":"))


def decode_session(account_id: int, access_key_id: str, stored: str) -> Principal:
    session = json.loads(stored)
    return Principal(
        account_id,
        PrincipalType.ROLE,
        access_key_id,
        name=session["role_name"],
        session_name=session["session_name"],
        role_id=session["role_id"],
        session_policy=session["session_policy"],
    )


@frozen
class SecurityToken:
    access_key_id: str
    account_id: int
    secret: str
    token: str
    principal: str
    expires_at: datetime
