"""TagResources, UntagResources and ListTagResources for ECS images through the official ECS
tea SDK: the owner's own images only, overwrite, remove by key or all, the 20-tag quota,
filters and paging, and the documented errors."""

from __future__ import annotations

from alibabacloud_ecs20140526 import models as ecs
from support.ecs import REGION, ecs_image, images, modify
from support.errors import SdkError, tea_error
from support.world import AccountKeys, World


def _wire(error: SdkError) -> tuple[int, str, str]:
    return (error.status, error.code, error.data["Message"])


def _tag(
    world: World, who: AccountKeys, ids: list[str], pairs: dict[str, str], kind: str = "image"
) -> None:
    tags = [ecs.TagResourcesRequestTag(key=k, value=v) for k, v in pairs.items()]
    request = ecs.TagResourcesRequest(
        region_id=REGION, resource_type=kind, resource_id=ids, tag=tags
    )
    world.ecs(who).tag_resources(request)


def _listed(world: World, who: AccountKeys, **filters: object) -> list[tuple[str, str, str]]:
    request = ecs.ListTagResourcesRequest(region_id=REGION, resource_type="image", **filters)
    body = world.ecs(who).list_tag_resources(request).body
    return [(r.resource_id, r.tag_key, r.tag_value) for r in body.tag_resources.tag_resource]


def test_tag_untag_and_list(world: World) -> None:
    owner = world.account()
    first, second = ecs_image(world, owner), ecs_image(world, owner)
    _tag(world, owner, [first, second], {"team": "web", "env": "prod"})
    _tag(world, owner, [first], {"env": "staging"})  # overwrites the value
    shown = images(world, owner, image_id=first).images.image[0].tags.tag
    assert {(t.tag_key, t.tag_value) for t in shown} == {("team", "web"), ("env", "staging")}
    assert _listed(world, owner, resource_id=[first]) == [
        (first, "env", "staging"),
        (first, "team", "web"),
    ]
    staging = [ecs.ListTagResourcesRequestTag(key="env", value="staging")]
    assert {r[0] for r in _listed(world, owner, tag=staging)} == {first}
    untag = ecs.UntagResourcesRequest(
        region_id=REGION, resource_type="image", resource_id=[first], tag_key=["env"]
    )
    world.ecs(owner).untag_resources(untag)
    assert _listed(world, owner, resource_id=[first]) == [(first, "team", "web")]
    everything = ecs.UntagResourcesRequest(
        region_id=REGION, resource_type="image", resource_id=[second], all=True
    )
    world.ecs(owner).untag_resources(everything)
    assert _listed(world, owner, resource_id=[second]) == []


def test_only_the_owner_and_the_documented_errors(world: World) -> None:
    owner, recipient = world.account(), world.account()
    image_id = ecs_image(world, owner)
    modify(world, owner, image_id, add=[recipient.id])
    not_theirs = tea_error(lambda: _tag(world, recipient, [image_id], {"k": "v"}))
    assert _wire(not_theirs) == (
        404,
        "InvalidResourceId.NotFound",
        "The specified ResourceIds are not found in our records.",
    )
    assert _listed(world, recipient, resource_id=[image_id]) == []
    # Security groups are not emulated; an image id named as an instance is no instance.
    kind = tea_error(lambda: _tag(world, owner, [image_id], {"k": "v"}, kind="securitygroup"))
    assert _wire(kind) == (
        404,
        "InvalidResourceType.NotFound",
        "The ResourceType provided does not exist in our records.",
    )
    wrong = tea_error(lambda: _tag(world, owner, [image_id], {"k": "v"}, kind="instance"))
    assert wrong.code == "InvalidResourceId.NotFound"
    reserved = tea_error(lambda: _tag(world, owner, [image_id], {"acs:mine": "v"}))
    assert _wire(reserved) == (
        400,
        "InvalidTagKey.Malformed",
        "The specified Tag.n.Key is not valid.",
    )
    twice = [ecs.TagResourcesRequestTag(key="k", value=v) for v in ("a", "b")]
    duplicate = ecs.TagResourcesRequest(
        region_id=REGION, resource_type="image", resource_id=[image_id], tag=twice
    )
    assert _wire(tea_error(lambda: world.ecs(owner).tag_resources(duplicate))) == (
        400,
        "Duplicate.TagKey",
        "The Tag.N.Key contain duplicate key.",
    )
    _tag(world, owner, [image_id], {f"k{n}": "v" for n in range(20)})
    over = tea_error(lambda: _tag(world, owner, [image_id], {"one-more": "v"}))
    assert _wire(over) == (
        403,
        "OperationDenied.QuotaExceed",
        "The quota of tags on resource is beyond permitted range.",
    )
    assert len(_listed(world, owner, resource_id=[image_id])) == 20
