"""Every ECS action declares its RAM action (ecs:<Action>) and the resource ARN ECS documents
for it, built from the request (docs/ecs.md's table)."""

from __future__ import annotations

from types import SimpleNamespace

from imageshare.api.all import build_registry
from imageshare.api.products import ECS
from imageshare.domain.principal import Principal, PrincipalType

CALLER = Principal(account_id=1234567890123456, type=PrincipalType.ROOT, access_key_id="LTAIx")
REQUEST = SimpleNamespace(
    region_id="cn-hangzhou",
    image_id="m-abc",
    instance_id="i-abc",
    disk_id="d-abc",
    snapshot_id="s-abc",
    image_owner_alias="self",
    resource_type="instance",
)
EXPECTED = {
    "DescribeImages": "acs:ecs:cn-hangzhou:1234567890123456:image/*",
    "ModifyImageSharePermission": "acs:ecs:cn-hangzhou:1234567890123456:image/m-abc",
    "DescribeImageSharePermission": "acs:ecs:cn-hangzhou:1234567890123456:image/m-abc",
    "CopyImage": "acs:ecs:cn-hangzhou:1234567890123456:image/m-abc",
    "DeleteImage": "acs:ecs:cn-hangzhou:1234567890123456:image/m-abc",
    "CreateImage": "acs:ecs:cn-hangzhou:1234567890123456:image/*",
    "RunInstances": "acs:ecs:cn-hangzhou:1234567890123456:instance/*",
    "StopInstance": "acs:ecs:cn-hangzhou:1234567890123456:instance/i-abc",
    "ReInitDisk": "acs:ecs:*:1234567890123456:disk/d-abc",
    "DeleteSnapshot": "acs:ecs:*:1234567890123456:snapshot/s-abc",
    "TagResources": "acs:ecs:cn-hangzhou:1234567890123456:instance/*",
}


def _arns(resource: str | tuple[str, ...]) -> tuple[str, ...]:
    return (resource,) if isinstance(resource, str) else resource


def test_every_ecs_action_names_its_ram_action_and_an_ecs_resource() -> None:
    actions = {a.name: a for a in build_registry() if a.product is ECS}
    assert set(EXPECTED) <= set(actions)
    for name, action in actions.items():
        assert action.ram_action == f"ecs:{name}"
        arns = _arns(action.resource(CALLER, REQUEST))
        if name == "DescribeRegions":
            continue
        assert len(arns) == 1 and arns[0].startswith("acs:ecs:"), name
    for name, arn in EXPECTED.items():
        assert _arns(actions[name].resource(CALLER, REQUEST)) == (arn,), name


def test_describe_images_of_system_or_shared_images_authorises_nothing() -> None:
    # "If you set ImageOwnerAlias to system or others ... RAM policies are ignored."
    (action,) = [a for a in build_registry() if a.product is ECS and a.name == "DescribeImages"]
    for alias, expected in [("system", ()), ("others", ()), ("self", 1), ("", 1), (None, 1)]:
        request = SimpleNamespace(region_id="cn-hangzhou", image_owner_alias=alias)
        arns = _arns(action.resource(CALLER, request))
        assert (arns if expected == () else len(arns)) == expected, alias
