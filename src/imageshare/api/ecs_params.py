"""Request-field types the ECS actions share: regions, ids, names, account lists, tags and
DescribeImages' Filter.N, each within the documented bounds, and the RAM resource ARNs.

A type or bound broken here is 400 InvalidParameter naming the parameter; the few values ECS
answers with a code of its own (OSType, Usage, Tag.N, Filter.N) are checked in the handler,
so they get that code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from imageshare.api.models import PARSES_OWN_TEXT, RpcRequest, json_array
from imageshare.domain.ecs import valid_name
from imageshare.domain.paging import Page, Window, decode_offset
from imageshare.domain.principal import Principal
from imageshare.domain.regions import ECS_REGIONS
from imageshare.domain.sharing import MAX_ACCOUNTS_PER_CALL
from imageshare.errors import (
    DuplicateTagKey,
    InvalidNextToken,
    TagCountExceeded,
    TagKeyMalformed,
    TagMismatch,
    TagValueMalformed,
)
from imageshare.services.ecs_resources import TaggedPage

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


class Paged(RpcRequest):
    """A listing paged by PageNumber/PageSize or, when either is given, NextToken/MaxResults
    (the PageNumber/PageSize pair "will be deprecated"; both work)."""

    page_number: PageNumber = 1
    page_size: PageSize = 10
    # Out of range is not an error: "a value less than 10 ... 10; greater than the most ...
    # the most" (the SDK's docstrings).
    max_results: Annotated[int, Field(ge=-(2**31), le=2**31 - 1)] | None = None
    next_token: Text | None = None

    def window(self, most: int = 100) -> Page | Window:
        """:raises InvalidNextToken: a NextToken this server did not issue."""
        if self.max_results is None and not self.next_token:
            return Page(self.page_number, self.page_size)
        token = self.next_token
        if token and not (token.isascii() and token.isdigit()):
            raise InvalidNextToken()
        return Window(decode_offset(token), min(max(self.max_results or 10, 10), most))


class TagIn(RpcRequest):
    key: Annotated[str, Field(max_length=128), AfterValidator(_printable)] = ""
    value: Annotated[str, Field(max_length=128), AfterValidator(_printable)] | None = None


# Tag.N of a call, and the tags one resource may carry.
MAX_TAGS = 20


def tag_filters(tags: Sequence[TagIn] | None) -> tuple[tuple[str, str | None], ...]:
    """Tag.N of a listing (DescribeImages, DescribeInstances, ...): each a key, and a value or
    None (any value).

    :raises TagCountExceeded: more than 20. :raises TagMismatch: a value without a key.
    """
    tags = tags or []
    if len(tags) > MAX_TAGS:
        raise TagCountExceeded()
    if any(not tag.key for tag in tags):
        raise TagMismatch()
    return tuple((tag.key, tag.value) for tag in tags)


def tags_shape(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Tags as the SDK models read them: ``{"Tag": [{"TagKey", "TagValue"}]}``."""
    return {"Tag": [{"TagKey": key, "TagValue": value} for key, value in pairs]}


def _linked(text: str) -> bool:
    return "http://" in text or "https://" in text


def checked_tags(tags: Sequence[TagIn] | None) -> list[tuple[str, str]]:
    """Tag.N of a call that tags what it makes (RunInstances, CreateImage, CopyImage): keys
    not starting with aliyun or acs:, keys and values without http:// or https://, no key
    twice; a value left out is empty.

    :raises TagCountExceeded, TagMismatch, TagKeyMalformed, TagValueMalformed,
        DuplicateTagKey:
    """
    pairs = [(key, value or "") for key, value in tag_filters(tags)]
    links = ("http://", "https://")
    if any(
        k.lower().startswith(("aliyun", "acs:")) or any(s in k for s in links) for k, _ in pairs
    ):
        raise TagKeyMalformed()
    if any(link in value for _, value in pairs for link in links):
        raise TagValueMalformed()
    if len({key for key, _ in pairs}) != len(pairs):
        raise DuplicateTagKey()
    return pairs


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
    page: Page | Window, total: int, wrapper: str, item: str, items: list[dict[str, Any]]
) -> dict[str, Any]:
    """A page of instances, disks or snapshots, shaped as the SDK models read it
    (``{"Disks": {"Disk": [...]}}``). NextToken leads to the next page when the caller pages
    by NextToken/MaxResults; it is empty on the last page and when paging by number."""
    return {
        "TotalCount": total,
        "PageNumber": page.number,
        "PageSize": page.size,
        "NextToken": page.next_token(total) if isinstance(page, Window) else "",
        wrapper: {item: items},
    }


def tagged_page(
    page: Page | Window,
    listed: TaggedPage[Any],
    names: tuple[str, str],
    shape: Callable[[Any, list[tuple[str, str]]], dict[str, Any]],
) -> dict[str, Any]:
    """``resource_page`` of instances, disks or snapshots (services.ecs_resources), each
    shaped with its tags."""
    items = [shape(resource, listed.tags.get(resource.id, [])) for resource in listed.found]
    return resource_page(page, listed.total, *names, items)
