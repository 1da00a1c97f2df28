"""Builders shared by the policy tests (no tests here): documents, requests, decisions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from imageshare.auth.policy import Decision, RequestContext, evaluate, parse_policy

ACCOUNT = "1234567890123456"
OTHER_ACCOUNT = "1987654321098765"
IMAGE = f"acs:ecs:cn-hangzhou:{ACCOUNT}:image/m-abc"
SWAS_IMAGE = f"acs:swas-open:cn-hangzhou:{ACCOUNT}:customimage/m-swas"
SHARE = "ecs:ModifyImageSharePermission"


def document(*statements: Mapping[str, Any]) -> str:
    return json.dumps({"Version": "1", "Statement": list(statements)})


def allow(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def request(
    action: str = SHARE, resource: str = IMAGE, values: Mapping[str, str] | None = None
) -> RequestContext:
    return RequestContext(action, resource, dict(values or {}))


def decide(
    statements: list[dict[str, Any]],
    action: str = SHARE,
    resource: str = IMAGE,
    values: Mapping[str, str] | None = None,
) -> Decision:
    """The decision of one policy holding ``statements``."""
    policy = parse_policy(document(*statements))
    return evaluate([policy], request(action, resource, values))
