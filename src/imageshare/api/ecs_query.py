"""DescribeImages' parameters -> the listing the service runs, with ECS's own error codes for
the values it names (ImageOwnerAlias, IsPublic, ImageOwnerId, OSType, Architecture, Usage,
InstanceType, Tag.N, Filter.N)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from imageshare.api.ecs_params import FilterIn, tag_filters
from imageshare.domain import ecs
from imageshare.domain.catalogue import ARCHITECTURES, OS_TYPES, instance_type
from imageshare.errors import (
    FilterKeyNotFound,
    ImageOwnerIdUnsupported,
    InstanceTypeNotSupported,
    InvalidArchitecture,
    InvalidFilterValue,
    InvalidImageOwnerAlias,
    InvalidNetworkTypeFilter,
    InvalidOSType,
    InvalidUsage,
    PublicImageNeedsOthers,
)
from imageshare.services.ecs_images import ImageListing
from imageshare.store.ecs_image_listing import USABLE_STATUSES, EcsImageQuery

_TIME_FORMATS = ("%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H:%M:%SZ")


def listing(req: Any, viewer: int, now: datetime) -> ImageListing:
    """:raises InvalidImageOwnerAlias, PublicImageNeedsOthers, ImageOwnerIdUnsupported,
    InvalidOSType, InvalidArchitecture, InvalidUsage, InstanceTypeNotSupported, TagMismatch,
    TagCountExceeded, FilterKeyNotFound, InvalidFilterValue, InvalidNetworkTypeFilter:"""
    system, own, shared, community = _kinds(
        req.image_owner_alias, req.is_public, req.image_owner_id
    )
    created_after, created_before = _creation_window(req.filter or [])
    query = EcsImageQuery(
        viewer=viewer,
        region_id=req.region_id,
        now=now,
        own=own,
        shared=shared,
        community=community,
        image_ids=ecs.split_list(req.image_id),
        name_contains=req.image_name or None,
        statuses=_statuses(req.status, req.usable),
        os_type=_one_of(req.os_type, OS_TYPES, InvalidOSType),
        architecture=_architecture(req),
        family=req.image_family or None,
        snapshot_id=req.snapshot_id or None,
        resource_group_id=req.resource_group_id or None,
        owner_id=req.image_owner_id,
        tags=tag_filters(req.tag),
        created_after=created_after,
        created_before=created_before,
    )
    usage = _one_of(req.usage, ecs.USAGES, InvalidUsage)
    in_use = None if usage is None else usage == "instance"
    return ImageListing(query, system=system, in_use=in_use)


def _kinds(alias: str | None, is_public: bool | None, owner_id: int | None) -> tuple[bool, ...]:
    """(system, own, shared-with-me, community) images the alias and IsPublic select.

    No alias: system, own, shared and community images ("IsPublic=false queries image types
    other than community images"). ``others``: shared images, or with IsPublic=true community
    images. ImageOwnerId narrows shared and community images only."""
    if alias and alias not in ecs.OWNER_ALIASES:
        raise InvalidImageOwnerAlias()
    if is_public and alias != ecs.OTHERS:
        raise PublicImageNeedsOthers()
    if owner_id is not None and alias not in (None, "", ecs.OTHERS):
        raise ImageOwnerIdUnsupported()
    if alias == ecs.OTHERS:
        return (False, False, not is_public, bool(is_public))
    if alias:
        return (alias == ecs.SYSTEM, alias == ecs.SELF, False, False)
    others_only = owner_id is not None
    return (not others_only, not others_only, True, is_public is not False)


def _statuses(value: str | None, usable: bool | None) -> frozenset[str] | None:
    wanted = ecs.wanted_statuses(value)
    if usable is None:
        return wanted
    every = frozenset(ecs.STATUSES)
    allowed = USABLE_STATUSES if usable else every - USABLE_STATUSES
    return allowed if wanted is None else wanted & allowed


def _one_of(value: str | None, allowed: Sequence[str], error: type[Exception]) -> str | None:
    if not value:
        return None
    if value.lower() not in allowed:
        raise error()
    return value.lower()


def _architecture(req: Any) -> str | None:
    wanted = _one_of(req.architecture, ARCHITECTURES, InvalidArchitecture)
    if not req.instance_type:
        return wanted
    found = instance_type(req.instance_type)
    if found is None:
        raise InstanceTypeNotSupported(instance_type=req.instance_type)
    # An image runs on the instance type when their architectures agree; asking for another
    # architecture as well matches nothing.
    return found.architecture if wanted in (None, found.architecture) else "-"


def _creation_window(filters: Sequence[FilterIn]) -> tuple[datetime | None, datetime | None]:
    after: datetime | None = None
    before: datetime | None = None
    for item in filters:
        if item.key == "NetworkType":
            if item.value not in ("vpc", "classic"):
                raise InvalidNetworkTypeFilter()
        elif item.key == "CreationStartTime":
            after = _filter_time(item.value)
        elif item.key == "CreationEndTime":
            before = _filter_time(item.value)
        else:
            raise FilterKeyNotFound()
    return after, before


def _filter_time(value: str) -> datetime:
    for form in _TIME_FORMATS:
        try:
            return datetime.strptime(value, form)
        except ValueError:
            continue
    raise InvalidFilterValue()
