"""Helpers for the RAM and STS tests (no tests here): policy documents, and RAM users and role
sessions made through the official RAM and STS SDKs."""

from __future__ import annotations

import json
from typing import Any

from alibabacloud_ram20150501 import models as ram
from alibabacloud_sts20150401 import models as sts

from imageshare.testing.ram import make_user
from imageshare.testing.sdk import unique_name
from support.world import AccountKeys, World

name = unique_name  # the plugin's: a name no other test has taken


def document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "1", "Statement": list(statements)})


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def user(
    world: World, owner: AccountKeys, *, custom: tuple[str, ...] = (), system: tuple[str, ...] = ()
) -> tuple[str, AccountKeys]:
    """A RAM user with a key, the given policy documents (as custom policies) and system
    policies attached: (user name, its keys)."""
    user_name, key_id, secret = make_user(world.ram(owner), name("user"), custom, system)
    return user_name, AccountKeys(owner.id, owner.site, key_id, secret)


def bare_user(world: World, owner: AccountKeys, **fields: str) -> str:
    """A RAM user made by CreateUser with ``fields``, without a key or policies: its name."""
    user_name = name("u")
    world.ram(owner).create_user(ram.CreateUserRequest(user_name=user_name, **fields))
    return user_name


def trust(*arns: str) -> str:
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": list(arns)}}
    return document(statement)


def role(world: World, owner: AccountKeys, trust_policy: str, *system: str) -> str:
    """A role with the given trust policy and system policies; its ARN."""
    client = world.ram(owner)
    role_name = name("role")
    request = ram.CreateRoleRequest(role_name=role_name, assume_role_policy_document=trust_policy)
    arn: str = client.create_role(request).body.role.arn
    for policy_name in system:
        client.attach_policy_to_role(
            ram.AttachPolicyToRoleRequest(
                policy_type="System", policy_name=policy_name, role_name=role_name
            )
        )
    return arn


def session(
    world: World, caller: AccountKeys, role_arn: str, policy: str | None = None
) -> AccountKeys:
    """Assume the role through the STS SDK; the session's credentials."""
    request = sts.AssumeRoleRequest(role_arn=role_arn, role_session_name=name("s"), policy=policy)
    credentials = world.sts(caller).assume_role(request).body.credentials
    return AccountKeys(
        int(role_arn.split(":")[3]),
        caller.site,
        credentials.access_key_id,
        credentials.access_key_secret,
        credentials.security_token,
    )


def swas_image_arn(account_id: int, image_id: str, region: str = "cn-hangzhou") -> str:
    return f"acs:swas-open:{region}:{account_id}:customimage/{image_id}"
