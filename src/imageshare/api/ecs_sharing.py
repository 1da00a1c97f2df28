"""ECS (2014-05-26) image sharing: ModifyImageSharePermission, DescribeImageSharePermission and
the deprecated ModifyImageShareGroupPermission. Rules: services.ecs_sharing, docs/ecs.md.

None of them takes a ClientToken (the SDK models have none): a retry repeats the change,
which is harmless, as sharing with an account that has the image keeps its SharedTime.
"""

from __future__ import annotations

from typing import Any

from imageshare.api.ecs_params import Accounts, EcsRegionId, PageNumber, PageSize, Text, image_arn
from imageshare.api.models import RpcRequest
from imageshare.api.products import ECS
from imageshare.api.registry import Action, Call
from imageshare.domain.ecs import COMMUNITY_GROUP, CommunityTerms, community_terms
from imageshare.domain.paging import Page
from imageshare.domain.times import wire_time
from imageshare.errors import DryRunOperation, InvalidGroup
from imageshare.services import ecs_sharing as service


class ModifyImageSharePermissionRequest(RpcRequest):
    region_id: EcsRegionId
    image_id: Text
    add_account: Accounts = []
    remove_account: Accounts = []
    is_public: bool | None = None
    launch_permission: Text | None = None  # "invitational preview": accepted, not emulated
    dry_run: bool = False


class DescribeImageSharePermissionRequest(RpcRequest):
    region_id: EcsRegionId
    image_id: Text
    page_number: PageNumber = 1
    page_size: PageSize = 10


class ModifyImageShareGroupPermissionRequest(RpcRequest):
    region_id: EcsRegionId
    image_id: Text
    add_group: list[Text] = []
    remove_group: list[Text] = []


def _target(call: Call, req: Any) -> tuple[int, str, str]:
    return (call.principal.account_id, req.region_id, req.image_id)


def modify_image_share_permission(
    call: Call, req: ModifyImageSharePermissionRequest
) -> dict[str, Any]:
    change = service.PermissionChange(
        req.add_account, req.remove_account, req.is_public, _terms(call)
    )
    limit = call.settings.ecs_share_limit
    service.modify_permission(call.uow, _target(call, req), change, limit, call.now)
    if req.dry_run:  # every check passed; the error rolls the change back
        raise DryRunOperation()
    return {}


def _terms(call: Call) -> CommunityTerms:
    settings = call.settings
    return community_terms(settings.ecs_community_regions, settings.ecs_community_unsigned_accounts)


def describe_image_share_permission(
    call: Call, req: DescribeImageSharePermissionRequest
) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    owner, region_id, image_id = _target(call, req)
    found = service.describe_permission(call.uow, owner, region_id, image_id, page)
    accounts = [
        {"AliyunId": str(account), "SharedTime": wire_time(shared_at)}
        for account, shared_at in found.accounts
    ]
    groups = [{"Group": COMMUNITY_GROUP}] if found.public else []
    return {
        "RegionId": req.region_id,
        "ImageId": req.image_id,
        "TotalCount": found.total,
        "PageNumber": page.number,
        "PageSize": page.size,
        "Accounts": {"Account": accounts},
        "ShareGroups": {"ShareGroup": groups},
    }


def modify_image_share_group_permission(
    call: Call, req: ModifyImageShareGroupPermissionRequest
) -> dict[str, Any]:
    # The one group is "all": every account, as a community image is (docs/ecs.md).
    if any(group != COMMUNITY_GROUP for group in (*req.add_group, *req.remove_group)):
        raise InvalidGroup()
    public = True if req.add_group else (False if req.remove_group else None)
    change = service.PermissionChange(public=public, terms=_terms(call))
    limit = call.settings.ecs_share_limit
    service.modify_permission(call.uow, _target(call, req), change, limit, call.now)
    return {}


ACTIONS = (
    Action(
        product=ECS,
        name="ModifyImageSharePermission",
        request=ModifyImageSharePermissionRequest,
        handler=modify_image_share_permission,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=ECS,
        name="DescribeImageSharePermission",
        request=DescribeImageSharePermissionRequest,
        handler=describe_image_share_permission,
        resource=image_arn,
    ),
    Action(
        product=ECS,
        name="ModifyImageShareGroupPermission",
        request=ModifyImageShareGroupPermissionRequest,
        handler=modify_image_share_group_permission,
        resource=image_arn,
        mutating=True,
    ),
)
