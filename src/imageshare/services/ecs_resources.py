"""DescribeInstances, DescribeDisks and DescribeSnapshots: a page of the caller's ECS
instances, disks or snapshots in a region, and the tags of those on the page (two
statements: the page with its total, then one for the page's tags). What changes them is
services.ecs_instances."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from imageshare.domain.ecs_instances import EcsDisk, EcsInstance, EcsSnapshot
from imageshare.domain.paging import Page, Window
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

R = TypeVar("R", EcsInstance, EcsDisk, EcsSnapshot)


@frozen
class TaggedPage(Generic[R]):
    """A page of resources, how many the filters match in all, and their tags by id."""

    total: int
    found: list[R]
    tags: dict[str, list[tuple[str, str]]]


def instances(
    uow: UnitOfWork, owner: int, region_id: str, filters: dict[str, Any], page: Page | Window
) -> TaggedPage[EcsInstance]:
    """``filters``: as ``EcsInstanceRepository.instances`` reads them."""
    total, found = uow.ecs_instances.instances(owner, region_id, filters, page.offset, page.size)
    return _with_tags(uow, total, found)


def disks(
    uow: UnitOfWork, owner: int, region_id: str, filters: dict[str, Any], page: Page | Window
) -> TaggedPage[EcsDisk]:
    """``filters``: as ``EcsInstanceRepository.disks`` reads them."""
    total, found = uow.ecs_instances.disks(owner, region_id, filters, page.offset, page.size)
    return _with_tags(uow, total, found)


def snapshots(
    uow: UnitOfWork, owner: int, region_id: str, filters: dict[str, Any], page: Page | Window
) -> TaggedPage[EcsSnapshot]:
    """``filters``: as ``EcsInstanceRepository.snapshots`` reads them."""
    total, found = uow.ecs_instances.snapshots(owner, region_id, filters, page.offset, page.size)
    return _with_tags(uow, total, found)


def _with_tags(uow: UnitOfWork, total: int, found: list[R]) -> TaggedPage[R]:
    tags = uow.ecs_resource_tags.tags([resource.id for resource in found])
    return TaggedPage(total, found, tags)
