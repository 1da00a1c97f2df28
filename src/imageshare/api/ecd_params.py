"""Request-field types the ECD image actions share: regions, image names and descriptions,
account lists, and the fixed values of DescribeImages' filters.

A rule broken here is 400 InvalidParameter naming the parameter, as the gateway words it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from imageshare.domain.ecd import (
    ECD_IMAGE_TYPES,
    ECD_STATUSES,
    ecd_os_type,
    valid_ecd_description,
    valid_ecd_image_name,
)
from imageshare.domain.paging import decode_cursor
from imageshare.domain.regions import ECD_REGIONS
from imageshare.domain.sharing import MAX_ACCOUNTS_PER_CALL

_ECD_REGION_IDS = frozenset(region.id for region in ECD_REGIONS)


def _ecd_region(value: str) -> str:
    if value not in _ECD_REGION_IDS:
        raise ValueError(f"Elastic Desktop Service is not offered in region {value!r}")
    return value


def _image_name(value: str) -> str:
    if not valid_ecd_image_name(value):
        raise ValueError(
            "2-128 characters, starting with a letter or a Chinese character, then letters, "
            "digits, colons (:), underscores (_) or hyphens (-); not http:// or https://"
        )
    return value


def _description(value: str | None) -> str | None:
    # An empty value is what SDKs send for "no description": treated as not given.
    if not value:
        return None
    if not valid_ecd_description(value):
        raise ValueError("2-256 characters, not starting with http:// or https://")
    return value


def _one_of(allowed: tuple[str, ...]) -> Any:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"valid values are {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def _os_type(value: str) -> str:
    normalised = ecd_os_type(value)
    if normalised is None:
        raise ValueError("valid values are Windows, Linux")
    return normalised


def _first_ten(value: Any) -> Any:
    # The documented range of N is 1 to 10; "if the value of N is greater than 10, this
    # parameter is ignored" (ECD's RemoveAccount reference, ECS's AddAccount/RemoveAccount).
    return value[:MAX_ACCOUNTS_PER_CALL] if isinstance(value, list) else value


def _not_emulated(value: Any) -> Any:
    if value is not None:
        raise ValueError(
            "desktop snapshots are not emulated by imageshare: make the image from DesktopId"
        )
    return value


def _cursor(value: str) -> str:
    if value and decode_cursor(value) is None:
        raise ValueError("pass the NextToken of the previous page unchanged")
    return value


EcdRegionId = Annotated[str, AfterValidator(_ecd_region)]
ImageName = Annotated[str, AfterValidator(_image_name)]
Description = Annotated[str | None, AfterValidator(_description)]
ImageType = Annotated[str, _one_of(ECD_IMAGE_TYPES)]
ImageStatus = Annotated[str, _one_of(ECD_STATUSES)]
DiskType = Annotated[str, _one_of(("SYSTEM", "ALL"))]
OsType = Annotated[str, AfterValidator(_os_type)]
Accounts = Annotated[list[int], BeforeValidator(_first_ten)]
NextToken = Annotated[str, AfterValidator(_cursor)]
NotEmulated = Annotated[Any, BeforeValidator(_not_emulated)]
