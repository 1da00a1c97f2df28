"""The system policies every account can attach, by their documented names.

Their documents are narrowed to the products imageshare serves: where the real policy lists
many services (ReadOnlyAccess), the statement keeps the same action patterns, which is what
decides any request imageshare can receive.
"""

from __future__ import annotations

import json
from datetime import datetime

from imageshare.values import frozen


@frozen
class SystemPolicy:
    name: str
    description: str
    document: str
    default_version: str = "v1"
    created_at: datetime = datetime(2015, 4, 28, 0, 0, 0)


def _allow(description: str, *actions: str) -> tuple[str, str]:
    statement = {"Action": list(actions) if len(actions) > 1 else actions[0]}
    document = {"Version": "1", "Statement": [{**statement, "Effect": "Allow", "Resource": "*"}]}
    return description, json.dumps(document, indent=2)


_READ_VERBS = ("Describe*", "List*", "Get*", "Query*", "BatchGet*")


def _read_only(service: str, what: str) -> tuple[str, str]:
    actions = [f"{service}:{verb}" for verb in _READ_VERBS]
    return _allow(f"Provides read-only access to {what} via Management Console.", *actions)


_DEFINITIONS: dict[str, tuple[str, str]] = {
    "AdministratorAccess": _allow(
        "Provides full access to Alibaba Cloud services and resources.", "*"
    ),
    "ReadOnlyAccess": _allow(
        "Provides read-only access to Alibaba Cloud services and resources.",
        *(f"*:{verb}" for verb in _READ_VERBS),
    ),
    "AliyunSWASFullAccess": _allow(
        "Provides full access to Simple Application Server via Management Console.", "swas-open:*"
    ),
    "AliyunSWASReadOnlyAccess": _read_only("swas-open", "Simple Application Server"),
    "AliyunECDFullAccess": _allow(
        "Provides full access to Elastic Desktop Service(ECD) via Management Console.", "ecd:*"
    ),
    "AliyunECDReadOnlyAccess": _read_only("ecd", "Elastic Desktop Service(ECD)"),
    "AliyunECSFullAccess": _allow(
        "Provides full access to Elastic Compute Service(ECS) via Management Console.", "ecs:*"
    ),
    "AliyunECSReadOnlyAccess": _read_only("ecs", "Elastic Compute Service(ECS)"),
    "AliyunRAMFullAccess": _allow(
        "Provides full access to Resource Access Management(RAM) via Management Console.", "ram:*"
    ),
    "AliyunRAMReadOnlyAccess": _read_only("ram", "Resource Access Management(RAM)"),
    "AliyunSTSAssumeRoleAccess": _allow(
        "Provides access to assume RAM roles via Security Token Service(STS).", "sts:AssumeRole"
    ),
}

SYSTEM_POLICIES: dict[str, SystemPolicy] = {
    name: SystemPolicy(name, description, document)
    for name, (description, document) in _DEFINITIONS.items()
}
