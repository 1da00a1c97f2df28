"""Request-field types SWAS actions share: regions, JSON-array strings, tags, paging.

SWAS passes some id lists as ONE string holding a JSON array (``ImageIds=["m-1","m-2"]``);
its docs also say "separate multiple IDs with commas", so a bare comma list is accepted too.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from imageshare.api.models import RpcRequest, json_array
from imageshare.domain.principal import Principal
from imageshare.domain.regions import SWAS_REGIONS

_SWAS_REGION_IDS = frozenset(region.id for region in SWAS_REGIONS)


def _swas_region(value: str) -> str:
    if value not in _SWAS_REGION_IDS:
        raise ValueError(f"Simple Application Server is not offered in region {value!r}")
    return value


SwasRegionId = Annotated[str, AfterValidator(_swas_region)]


def _at_most(max_items: int) -> Any:
    def check(items: list[str]) -> list[str]:
        if len(items) > max_items:
            raise ValueError(f"at most {max_items} items are allowed")
        return items

    return AfterValidator(check)


# Strings holding JSON arrays, with the per-action maximum the SWAS docs give.
_IDS = json_array('["m-1","m-2"]', commas=True)
IdsUpTo15 = Annotated[list[str], _IDS, _at_most(15)]
IdsUpTo50 = Annotated[list[str], _IDS, _at_most(50)]
IdsUpTo100 = Annotated[list[str], _IDS, _at_most(100)]


class Tag(RpcRequest):
    key: str = Field(min_length=1, max_length=128)
    value: str = Field(default="", max_length=128)


# "rg-" and about twenty letters and digits in every example; the column holds 64.
ResourceGroupId = Annotated[str, Field(max_length=64)]

PageSizeUpTo50 = Annotated[int, Field(ge=1, le=50)]
PageSizeUpTo100 = Annotated[int, Field(ge=1, le=100)]
PageNumber = Annotated[int, Field(ge=1)]


def image_arn(principal: Principal, request: Any) -> str:
    """``acs:swas-open:{regionId}:{accountId}:customimage/{ImageId}``, as SWAS documents it."""
    return (
        f"acs:swas-open:{request.region_id}:{principal.account_id}:customimage/{request.image_id}"
    )


def tags_out(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in pairs]
