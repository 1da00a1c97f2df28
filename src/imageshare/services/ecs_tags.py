"""Tags of ECS resources (TagResources, UntagResources, ListTagResources): the caller's own
custom images, instances, disks and snapshots in the region only; a resource holds at most
20 tags. All or nothing per call. Images keep their tags with the images (uow.images,
uow.ecs_images); instances, disks and snapshots in uow.ecs_resource_tags."""

from __future__ import annotations

from collections.abc import Sequence

from imageshare.domain.ecs_instances import EcsDisk, EcsInstance, EcsSnapshot
from imageshare.domain.paging import offset_page
from imageshare.errors import InvalidResourceType, ResourceNotFound, TagQuotaExceeded
from imageshare.store.ecs_resource_tags import Tagged
from imageshare.store.uow import UnitOfWork

MAX_TAGS_PER_RESOURCE = 20
PAGE = 50
IMAGE = "image"
# ECS's ResourceType values emulated here; the others (securitygroup, eni, ...) are not.
RESOURCE_TYPES = (IMAGE, "instance", "disk", "snapshot")


def _found(uow: UnitOfWork, owner: int, region_id: str, kind: str, resource_id: str) -> bool:
    """Whether the id names the caller's own resource of that type there (row locked where
    the store can: images and instances)."""
    if kind == IMAGE:
        return uow.ecs_images.owned(owner, region_id, resource_id, lock=True) is not None
    found: EcsInstance | EcsDisk | EcsSnapshot | None
    if kind == "instance":
        found = uow.ecs_instances.instance(owner, resource_id, lock=True)
    elif kind == "disk":
        found = uow.ecs_instances.disk(owner, resource_id)
    else:
        found = uow.ecs_instances.snapshot(owner, resource_id)
    return found is not None and found.region_id == region_id


def _own(
    uow: UnitOfWork, owner: int, region_id: str, kind: str, ids: Sequence[str]
) -> list[Tagged]:
    """:raises InvalidResourceType, ResourceNotFound: one is not the caller's own resource of
    that type there."""
    if kind not in RESOURCE_TYPES:
        raise InvalidResourceType()
    wanted = list(dict.fromkeys(ids))
    if not all(_found(uow, owner, region_id, kind, i) for i in wanted):
        raise ResourceNotFound()
    return [Tagged(i, kind, owner, region_id) for i in wanted]


def _current(uow: UnitOfWork, kind: str, ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    return uow.images.tags(ids) if kind == IMAGE else uow.ecs_resource_tags.tags(ids)


def tag(
    uow: UnitOfWork,
    owner: int,
    where: tuple[str, str],
    ids: Sequence[str],
    pairs: Sequence[tuple[str, str]],
) -> None:
    """Add or overwrite tags; ``where``: (region, ResourceType).

    :raises InvalidResourceType, ResourceNotFound, TagQuotaExceeded:"""
    region_id, kind = where
    resources = _own(uow, owner, region_id, kind, ids)
    current = _current(uow, kind, [r.id for r in resources])
    for resource in resources:
        keys = {key for key, _ in current.get(resource.id, [])} | {key for key, _ in pairs}
        if len(keys) > MAX_TAGS_PER_RESOURCE:
            raise TagQuotaExceeded()
    for resource in resources:
        if kind == IMAGE:
            uow.ecs_images.set_tags(resource.id, pairs)
        else:
            uow.ecs_resource_tags.set_tags(resource, pairs)


def untag(
    uow: UnitOfWork,
    owner: int,
    where: tuple[str, str],
    ids: Sequence[str],
    keys: Sequence[str] | None,
) -> None:
    """Remove the keys (None: every tag). :raises InvalidResourceType, ResourceNotFound:"""
    region_id, kind = where
    resources = _own(uow, owner, region_id, kind, ids)
    if kind != IMAGE:
        uow.ecs_resource_tags.remove([r.id for r in resources], keys)
    for resource in resources if kind == IMAGE else ():
        uow.ecs_images.remove_tags(resource.id, keys)


def listing(
    uow: UnitOfWork,
    owner: int,
    where: tuple[str, str],
    wanted: tuple[Sequence[str], Sequence[tuple[str, str | None]]],
    token: str | None,
) -> tuple[list[tuple[str, str, str]], str]:
    """(resource id, key, value) of the owner's tagged resources of the type there, filtered
    by ids and tags (a resource matches when it has every tag asked for); 50 a page,
    NextToken an offset. :raises InvalidResourceType:"""
    region_id, kind = where
    if kind not in RESOURCE_TYPES:
        raise InvalidResourceType()
    ids, tags = wanted
    chosen = list(ids) or None
    if kind == IMAGE:
        rows = uow.ecs_images.tag_rows(owner, region_id, chosen)
    else:
        rows = uow.ecs_resource_tags.rows(owner, region_id, kind, chosen)
    by_resource: dict[str, list[tuple[str, str]]] = {}
    for resource_id, key, value in rows:
        by_resource.setdefault(resource_id, []).append((key, value))
    matching = [
        (resource_id, key, value)
        for resource_id, pairs in by_resource.items()
        if _has_all(pairs, tags)
        for key, value in pairs
    ]
    return offset_page(matching, token, PAGE)


def _has_all(pairs: Sequence[tuple[str, str]], wanted: Sequence[tuple[str, str | None]]) -> bool:
    """Whether the resource has every tag asked for (a tag without a value: any value)."""
    have = dict(pairs)
    return all(key in have and value in (None, have[key]) for key, value in wanted)
