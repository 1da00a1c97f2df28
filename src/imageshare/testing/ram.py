"""RAM users for tests, made through the official RAM SDK as an account owner makes them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from imageshare.testing.sdk import sdk, unique_name


def make_user(
    client: Any,
    name: str | None,
    policies: Sequence[str | Mapping[str, Any]],
    system: Sequence[str],
) -> tuple[str, str, str]:
    """CreateUser, then CreatePolicy + AttachPolicyToUser for each of ``policies`` (documents,
    as JSON text or mappings), AttachPolicyToUser for each system policy, and CreateAccessKey.

    Returns (user name, access key id, secret).
    """
    models = sdk("alibabacloud_ram20150501.models")
    user_name = name or unique_name("user")
    client.create_user(models.CreateUserRequest(user_name=user_name))
    attached = [("System", policy_name) for policy_name in system]
    # Policy names allow only letters, digits and "-".
    prefix = user_name.replace("_", "-").replace(".", "-").replace("@", "-")
    for index, policy in enumerate(policies, start=1):
        document = policy if isinstance(policy, str) else json.dumps(policy)
        policy_name = f"{prefix}-policy-{index}"
        client.create_policy(
            models.CreatePolicyRequest(policy_name=policy_name, policy_document=document)
        )
        attached.append(("Custom", policy_name))
    for policy_type, policy_name in attached:
        client.attach_policy_to_user(
            models.AttachPolicyToUserRequest(
                policy_type=policy_type, policy_name=policy_name, user_name=user_name
            )
        )
    key = client.create_access_key(models.CreateAccessKeyRequest(user_name=user_name)).body
    return user_name, key.access_key.access_key_id, key.access_key.access_key_secret
