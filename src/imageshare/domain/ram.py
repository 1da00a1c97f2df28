"""RAM and STS rules that need no I/O: names, ids, ARNs, limits, wire times."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from imageshare.values import frozen

# Names of users, groups and roles; policy names. The formats are the RAM API reference's.
USER_NAME = re.compile(r"^[a-zA-Z0-9.\-_]+$")
GROUP_NAME = USER_NAME
ROLE_NAME = re.compile(r"^[a-zA-Z0-9.\-]+$")
POLICY_NAME = re.compile(r"^[a-zA-Z0-9\-]+$")
SESSION_NAME = re.compile(r"^[a-zA-Z0-9.@\-_]+$")
ROLE_ARN = re.compile(r"^acs:ram::(\d+):role/([a-zA-Z0-9.@\-_]+)$")

USER_NAME_MAX = 64
GROUP_NAME_MAX = 64
ROLE_NAME_MAX = 64
POLICY_NAME_MAX = 128
SESSION_NAME_MIN, SESSION_NAME_MAX = 2, 64
DESCRIPTION_MAX = 1024
COMMENTS_MAX = 128

CUSTOM_POLICY_MAX_CHARS = 6144
TRUST_POLICY_MAX_CHARS = 2048
SESSION_POLICY_MAX_CHARS = 2048
POLICY_VERSIONS_MAX = 5
ACCESS_KEYS_PER_USER = 2

SESSION_DURATION_MIN = 900
SESSION_DURATION_DEFAULT = 3600
ROLE_MAX_SESSION_MIN, ROLE_MAX_SESSION_MAX = 3600, 43200

LIST_MAX_ITEMS_DEFAULT, LIST_MAX_ITEMS_MAX = 100, 1000

SYSTEM = "System"
CUSTOM = "Custom"
POLICY_TYPES = (SYSTEM, CUSTOM)


def new_entity_id() -> str:
    """UserId, GroupId and RoleId are 16 to 19 digits in real responses; 16 here."""
    return str(10**15 + secrets.randbelow(9 * 10**15))


def role_arn(account_id: int, role_name: str) -> str:
    """The ARN GetRole shows and AssumeRole takes; the name keeps its case."""
    return f"acs:ram::{account_id}:role/{role_name}"


def session_arn(account_id: int, role_name: str, session_name: str) -> str:
    # Real AssumeRole responses lower-case the role name here (and only here).
    return f"acs:ram::{account_id}:assumed-role/{role_name.lower()}/{session_name}"


def parse_role_arn(arn: str) -> tuple[int, str] | None:
    """(account id, role name) or None when the ARN is not a role ARN."""
    match = ROLE_ARN.match(arn)
    if match is None:
        return None
    return int(match.group(1)), match.group(2)


def user_resource(account_id: int, name: str) -> str:
    return f"acs:ram:*:{account_id}:user/{name}"


def group_resource(account_id: int, name: str) -> str:
    return f"acs:ram:*:{account_id}:group/{name}"


def role_resource(account_id: int, name: str) -> str:
    return f"acs:ram:*:{account_id}:role/{name}"


def policy_resource(account_id: int, name: str, policy_type: str = CUSTOM) -> str:
    """System policies belong to no account: their ARNs say ``system`` there."""
    owner = "system" if policy_type == SYSTEM else str(account_id)
    return f"acs:ram:*:{owner}:policy/{name}"


def version_id(number: int) -> str:
    return f"v{number}"


@frozen
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


@frozen
class RamGroup:
    id: str
    account_id: int
    name: str
    comments: str
    created_at: datetime
    updated_at: datetime


@frozen
class RamRole:
    id: str
    account_id: int
    name: str
    description: str
    trust_policy: str
    max_session_duration: int
    created_at: datetime
    updated_at: datetime


@frozen
class CustomPolicy:
    account_id: int
    name: str
    description: str
    default_version: str
    next_version: int
    created_at: datetime
    updated_at: datetime


@frozen
class PolicyVersion:
    version_id: str
    document: str
    created_at: datetime


@frozen
class Attachment:
    policy_type: str
    policy_name: str
    attached_at: datetime


@frozen
class Holder:
    """Whoever a policy is attached to: ("User" | "Group" | "Role", its id)."""

    kind: str
    id: str
