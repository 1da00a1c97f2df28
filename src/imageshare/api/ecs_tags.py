"""ECS (2014-05-26) tags: TagResources, UntagResources, ListTagResources with ResourceType
image, instance, disk or snapshot. Other resource types are not emulated (docs/ecs.md)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from imageshare.api.ecs_params import EcsRegionId, TagIn, Text
from imageshare.api.models import RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.errors import (
    DuplicateTagKey,
    TagKeyMalformed,
)
from imageshare.services import ecs_tags as service


class TagResourcesRequest(RpcRequest):
    region_id: EcsRegionId
    resource_type: Text
    resource_id: list[Text] = Field(min_length=1, max_length=50)
    tag: list[TagIn] = Field(min_length=1, max_length=20)


class UntagResourcesRequest(RpcRequest):
    region_id: EcsRegionId
    resource_type: Text
    resource_id: list[Text] = Field(min_length=1, max_length=50)
    tag_key: list[Text] = Field(default=[], max_length=20)
    all: bool = False


class ListTagResourcesRequest(RpcRequest):
    region_id: EcsRegionId
    resource_type: Text
    resource_id: list[Text] = Field(default=[], max_length=50)
    tag: list[TagIn] = Field(default=[], max_length=20)
    next_token: Text | None = None


def tag_resources(call: Call, req: TagResourcesRequest) -> dict[str, Any]:
    keys = [tag.key for tag in req.tag]
    if any(not key or key.lower().startswith(("aliyun", "acs:")) for key in keys):
        raise TagKeyMalformed()
    if len(set(keys)) != len(keys):
        raise DuplicateTagKey()
    pairs = [(tag.key, tag.value or "") for tag in req.tag]
    where = (req.region_id, req.resource_type)
    service.tag(call.uow, call.principal.account_id, where, req.resource_id, pairs)
    return {}


def untag_resources(call: Call, req: UntagResourcesRequest) -> dict[str, Any]:
    keys = req.tag_key or (None if req.all else [])
    where = (req.region_id, req.resource_type)
    service.untag(call.uow, call.principal.account_id, where, req.resource_id, keys)
    return {}


def list_tag_resources(call: Call, req: ListTagResourcesRequest) -> dict[str, Any]:
    wanted = [(tag.key, tag.value) for tag in req.tag]
    where = (req.region_id, req.resource_type)
    owner = call.principal.account_id
    found, token = service.listing(
        call.uow, owner, where, (req.resource_id, wanted), req.next_token
    )
    rows = [
        {"ResourceId": resource_id, "ResourceType": req.resource_type, "TagKey": key,
         "TagValue": value}
        for resource_id, key, value in found
    ]  # fmt: skip
    return {"NextToken": token, "TagResources": {"TagResource": rows}}


def _tags_arn(principal: Any, request: Any) -> str:
    """``{ResourceType}/*`` in the region: ``image/*``, ``instance/*``, ``disk/*``,
    ``snapshot/*``, ``securitygroup/*`` ... (a type not emulated is refused after
    authorisation, InvalidResourceType.NotFound); one that is not a word, ``unknown/*``."""
    given = request.resource_type
    kind = given if given.isascii() and given.isalpha() else "unknown"
    return f"acs:ecs:{request.region_id}:{principal.account_id}:{kind}/*"


ACTIONS = (
    Action(
        product=ECS,
        name="TagResources",
        request=TagResourcesRequest,
        handler=tag_resources,
        resource=_tags_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="UntagResources",
        request=UntagResourcesRequest,
        handler=untag_resources,
        resource=_tags_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="ListTagResources",
        request=ListTagResourcesRequest,
        handler=list_tag_resources,
        resource=_tags_arn,
    ),
)
