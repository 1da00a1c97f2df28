"""Every registered action declares what RAM authorises: an action and resource ARN(s)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from imageshare.api.all import build_registry
from imageshare.api.registry import Action
from imageshare.domain.principal import Principal, PrincipalType

ACTIONS = list(build_registry())
ARN = re.compile(r"^acs:[a-z-]+:[a-z0-9-*]*:(\d+|\*|system)?:[A-Za-z-]+/\S+$")
PRINCIPAL = Principal(1234567890123456, PrincipalType.USER, "LTAIexample", "alice")


def _sample(action: Action[Any]) -> Any:
    """A request with every field filled, as validation would have left it."""
    values: dict[str, Any] = {}
    for name, field in action.request.model_fields.items():
        values[name] = ["m-sample"] if "list" in str(field.annotation) else "sample"
    if "role_arn" in values:
        values["role_arn"] = "acs:ram::1234567890123456:role/sample"
    return action.request.model_construct(**values)


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: f"{a.product.code}:{a.name}")
def test_every_action_names_its_ram_action_and_resources(action: Action[Any]) -> None:
    assert action.ram_action == f"{action.product.code}:{action.name}"
    resources = action.resource(PRINCIPAL, _sample(action))
    resources = (resources,) if isinstance(resources, str) else resources
    assert resources, "at least one resource"
    for resource in resources:
        assert resource == "*" or ARN.match(resource), resource


def test_the_registry_holds_every_product() -> None:
    codes = {action.product.code for action in ACTIONS}
    assert {"swas-open", "ecs", "ecd", "ram", "sts"} <= codes
