"""Tags of ECS custom images (TagResources, UntagResources, ListTagResources): the owner's
own images in the region only; a resource holds at most 20 tags. All or nothing per call."""

from __future__ import annotations

from collections.abc import Sequence

from imageshare.domain.paging import offset_page
from imageshare.errors import ResourceNotFound, TagQuotaExceeded
from imageshare.store.uow import UnitOfWork

MAX_TAGS_PER_RESOURCE = 20
PAGE = 50


def _own(uow: UnitOfWork, owner: int, region_id: str, ids: Sequence[str]) -> list[str]:
    """:raises ResourceNotFound: one is not the caller's own ECS image there."""
    wanted = list(dict.fromkeys(ids))
    if any(uow.ecs_images.owned(owner, region_id, i, lock=True) is None for i in wanted):
        raise ResourceNotFound()
    return wanted


def tag(
    uow: UnitOfWork,
    owner: int,
    region_id: str,
    ids: Sequence[str],
    pairs: Sequence[tuple[str, str]],
) -> None:
    """Add or overwrite tags. :raises ResourceNotFound, TagQuotaExceeded:"""
    images = _own(uow, owner, region_id, ids)
    current = uow.images.tags(images)
    for image_id in images:
        keys = {key for key, _ in current.get(image_id, [])} | {key for key, _ in pairs}
        if len(keys) > MAX_TAGS_PER_RESOURCE:
            raise TagQuotaExceeded()
    for image_id in images:
        uow.ecs_images.set_tags(image_id, pairs)


def untag(
    uow: UnitOfWork, owner: int, region_id: str, ids: Sequence[str], keys: Sequence[str] | None
) -> None:
    """Remove the keys (None: every tag). :raises ResourceNotFound:"""
    for image_id in _own(uow, owner, region_id, ids):
        uow.ecs_images.remove_tags(image_id, keys)


def listing(
    uow: UnitOfWork,
    owner: int,
    region_id: str,
    wanted: tuple[Sequence[str], Sequence[tuple[str, str | None]]],
    token: str | None,
) -> tuple[list[tuple[str, str, str]], str]:
    """(image id, key, value) of the owner's tagged images there, filtered by ids and tags
    (an image matches when it has every tag asked for); 50 a page, NextToken an offset."""
    ids, tags = wanted
    rows = uow.ecs_images.tag_rows(owner, region_id, list(ids) or None)
    by_image: dict[str, list[tuple[str, str]]] = {}
    for image_id, key, value in rows:
        by_image.setdefault(image_id, []).append((key, value))
    matching = [
        (image_id, key, value)
        for image_id, pairs in by_image.items()
        if _has_all(pairs, tags)
        for key, value in pairs
    ]
    return offset_page(matching, token, PAGE)


def _has_all(pairs: Sequence[tuple[str, str]], wanted: Sequence[tuple[str, str | None]]) -> bool:
    """Whether the image has every tag asked for (a tag without a value: any value)."""
    have = dict(pairs)
    return all(key in have and value in (None, have[key]) for key, value in wanted)
