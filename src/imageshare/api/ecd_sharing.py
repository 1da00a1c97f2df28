"""ECD (2020-09-30) image sharing: ModifyImagePermission and DescribeImagePermission.

ModifyImagePermission takes no ClientToken (the SDK model has none), so it is not replayed;
a ClientToken sent anyway is ignored like any unknown parameter. Rules: docs/ecd.md.
"""

from __future__ import annotations

from typing import Any

from imageshare.api.ecd_params import Accounts, EcdRegionId
from imageshare.api.models import RpcRequest
from imageshare.api.products import ECD
from imageshare.api.registry import Action, Call
from imageshare.domain.sharing import ECD_SHARE_LIMIT, ECD_SHARING
from imageshare.services import image_sharing as service


class ModifyImagePermissionRequest(RpcRequest):
    region_id: EcdRegionId
    image_id: str
    add_account: Accounts = []
    remove_account: Accounts = []


class DescribeImagePermissionRequest(RpcRequest):
    region_id: EcdRegionId
    image_id: str


def _target(call: Call, req: Any) -> service.ShareTarget:
    return service.ShareTarget(call.principal.account_id, req.region_id, req.image_id, ECD_SHARING)


def modify_image_permission(call: Call, req: ModifyImagePermissionRequest) -> dict[str, Any]:
    change = service.ShareChange(adding=req.add_account, removing=req.remove_account)
    service.change_shares(call.uow, _target(call, req), change, ECD_SHARE_LIMIT, call.now)
    return {}


def describe_image_permission(call: Call, req: DescribeImagePermissionRequest) -> dict[str, Any]:
    # The SDK declares AliUids as a list of strings, unlike SWAS's numeric UserId.
    return {"AliUids": [str(a) for a in service.share_accounts(call.uow, _target(call, req))]}


ACTIONS = (
    Action(
        product=ECD,
        name="ModifyImagePermission",
        request=ModifyImagePermissionRequest,
        handler=modify_image_permission,
        mutating=True,
    ),
    Action(
        product=ECD,
        name="DescribeImagePermission",
        request=DescribeImagePermissionRequest,
        handler=describe_image_permission,
    ),
)
