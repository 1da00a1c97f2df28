"""Request-field types the ECS actions share: regions, ids, names, account lists, tags and
DescribeImages' Filter.N, each within the documented bounds, and the RAM resource ARNs.

A type or bound broken here is 400 InvalidParameter naming the parameter; the few values ECS
answers with a code of its own (OSType, Usage, Tag.N, Filter.N) are checked in the handler,
so they get that code.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from imageshare.api.models import PARSES_OWN_TEXT, RpcRequest, json_array
from imageshare.domain.ecs import valid_name
from imageshare.domain.paging import Page
from imageshare.domain.principal import Principal
from imageshare.domain.regions import ECS_REGIONS
from imageshare.domain.sharing import MAX_ACCOUNTS_PER_CALL

_ECS_REGION_IDS = frozenset(region.id for region in ECS_REGIONS)
INT64_MAX = 2**63 - 1


def _ecs_region(value: str) -> str:
    if value not in _ECS_REGION_IDS:
        raise ValueError(f"Elastic Compute Service is not offered in region {value!r}")
    return value


def _printable(value: str) -> str:
    if not value.isprintable():
        raise ValueError("control characters are not allowed")
    return value


def _name(value: str) -> str:
    if not valid_name(value):
        raise ValueError(
            "2-128 characters, starting with a letter or a Chinese character, then letters, "
            "digits, periods (.), colons (:), underscores (_) or hyphens (-); not starting "
            "with aliyun or acs:, and without http:// or https://"
        )
    return value


def _account(value: Any) -> int:
    # ECS declares the accounts as strings. One that is not an account id names no account:
    # 0 (account ids start with 1), so it gets ECS's InvalidAccount.NotFound like any other.
    text = str(value).strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= INT64_MAX:
        return int(text)
    return 0


def _first_ten(value: Any) -> Any:
    # "If you specify more than 10 Alibaba Cloud account IDs, the system processes only the
    # first 10 account IDs. The excess account IDs are ignored."
    items = value[:MAX_ACCOUNTS_PER_CALL] if isinstance(value, list) else value
    return [_account(item) for item in items] if isinstance(items, list) else items


EcsRegionId = Annotated[str, AfterValidator(_ecs_region)]
Text = Annotated[str, Field(max_length=256), AfterValidator(_printable)]
LongText = Annotated[str, Field(max_length=4096), AfterValidator(_printable)]
ImageName = Annotated[str, Field(max_length=128), AfterValidator(_name)]
Accounts = Annotated[list[int], PARSES_OWN_TEXT, BeforeValidator(_first_ten)]
PageNumber = Annotated[int, Field(ge=1, le=2**31 - 1)]
PageSize = Annotated[int, Field(ge=1, le=100)]
AccountId = Annotated[int, Field(ge=1, le=INT64_MAX)]


class TagIn(RpcRequest):
    key: Annotated[str, Field(max_length=128), AfterValidator(_printable)] = ""
    value: Annotated[str, Field(max_length=128), AfterValidator(_printable)] | None = None


class FilterIn(RpcRequest):
    key: Text = ""
    value: Text = ""


def image_arn(principal: Principal, request: Any) -> str:
    """``acs:ecs:{regionId}:{accountId}:image/{ImageId}``, as ECS documents it."""
    return f"acs:ecs:{request.region_id}:{principal.account_id}:image/{request.image_id}"


def images_arn(principal: Principal, request: Any) -> str:
    """DescribeImages: ``acs:ecs:{regionId}:{accountId}:image/*``."""
    return f"acs:ecs:{request.region_id}:{principal.account_id}:image/*"


# DescribeInstances' InstanceIds, DescribeDisks' DiskIds: one string holding a JSON array.
JsonIds = Annotated[list[Text], json_array('["i-1","i-2"]'), Field(max_length=100)]


def instance_arn(principal: Principal, request: Any) -> str:
    """``acs:ecs:*:{accountId}:instance/{InstanceId}``: the calls on one instance name no
    region (docs/ecs.md)."""
    region = getattr(request, "region_id", None) or "*"
    return f"acs:ecs:{region}:{principal.account_id}:instance/{request.instance_id}"


def instances_arn(principal: Principal, request: Any) -> str:
    return f"acs:ecs:{request.region_id}:{principal.account_id}:instance/*"


def disk_arn(principal: Principal, request: Any) -> str:
    return f"acs:ecs:*:{principal.account_id}:disk/{request.disk_id}"


def disks_arn(principal: Principal, request: Any) -> str:
    return f"acs:ecs:{request.region_id}:{principal.account_id}:disk/*"


def snapshot_arn(principal: Principal, request: Any) -> str:
    return f"acs:ecs:*:{principal.account_id}:snapshot/{request.snapshot_id}"


def snapshots_arn(principal: Principal, request: Any) -> str:
    return f"acs:ecs:{request.region_id}:{principal.account_id}:snapshot/*"


def resource_page(
    page: Page, total: int, wrapper: str, item: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """A numbered page of instances, disks or snapshots, shaped as the SDK models read it
    (``{"Disks": {"Disk": [...]}}``); NextToken is always empty, paging here is by number."""
    return {
        "TotalCount": total,
        "PageNumber": page.number,
        "PageSize": page.size,
        "NextToken": "",
        wrapper: {item: items},
    }
