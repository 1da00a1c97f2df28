"""SWAS image sharing: with other accounts (Add/Remove/ListCustomImageShareAccount(s)) and to
the owner's ECS (ModifyImageShareStatus)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from imageshare.api.models import IdempotentRequest
from imageshare.api.products import SWAS
from imageshare.api.registry import Action, Call
from imageshare.api.swas_params import PageNumber, PageSizeUpTo50, SwasRegionId, image_arn
from imageshare.domain.paging import Page
from imageshare.domain.sharing import MAX_ACCOUNTS_PER_CALL
from imageshare.domain.times import shared_time
from imageshare.services import image_sharing as service

# Account.1 ... Account.10; an eleventh is InvalidParameter, none at all MissingParameter.
Accounts = Annotated[list[int], Field(min_length=1, max_length=MAX_ACCOUNTS_PER_CALL)]


class ShareAccountsRequest(IdempotentRequest):
    region_id: SwasRegionId
    image_id: str
    account: Accounts


class ListShareAccountsRequest(IdempotentRequest):
    region_id: SwasRegionId
    image_id: str
    page_number: PageNumber = 1
    page_size: PageSizeUpTo50 = 10


class ModifyImageShareStatusRequest(IdempotentRequest):
    region_id: SwasRegionId
    image_id: str
    operation: str


def _target(call: Call, req: Any) -> service.ShareTarget:
    return service.ShareTarget(call.principal.account_id, req.region_id, req.image_id)


def add_share_accounts(call: Call, req: ShareAccountsRequest) -> dict[str, Any]:
    limit = call.settings.swas_share_limit
    service.add_share_accounts(call.uow, _target(call, req), req.account, limit, call.now)
    return {}


def remove_share_accounts(call: Call, req: ShareAccountsRequest) -> dict[str, Any]:
    service.remove_share_accounts(call.uow, _target(call, req), req.account)
    return {}


def list_share_accounts(call: Call, req: ListShareAccountsRequest) -> dict[str, Any]:
    page = Page(req.page_number, req.page_size)
    total, shares = service.list_share_accounts(call.uow, _target(call, req), page)
    return {
        "TotalCount": total,
        "PageNumber": page.number,
        "PageSize": page.size,
        "ImageShareUsers": [
            {"UserId": account_id, "SharedTime": shared_time(shared_at)}
            for account_id, shared_at in shares
        ],
    }


def modify_share_status(call: Call, req: ModifyImageShareStatusRequest) -> dict[str, Any]:
    service.modify_share_status(call.uow, _target(call, req), req.operation, call.now)
    return {}


ACTIONS = (
    Action(
        product=SWAS,
        name="AddCustomImageShareAccount",
        request=ShareAccountsRequest,
        handler=add_share_accounts,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=SWAS,
        name="RemoveCustomImageShareAccount",
        request=ShareAccountsRequest,
        handler=remove_share_accounts,
        resource=image_arn,
        mutating=True,
    ),
    Action(
        product=SWAS,
        name="ListCustomImageShareAccounts",
        request=ListShareAccountsRequest,
        handler=list_share_accounts,
        resource=image_arn,
    ),
    Action(
        product=SWAS,
        name="ModifyImageShareStatus",
        request=ModifyImageShareStatusRequest,
        handler=modify_share_status,
        resource=image_arn,
        mutating=True,
    ),
)
