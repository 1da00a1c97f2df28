"""ECS DescribeImages, as far as this server has ECS images: SWAS custom images their owner
shared to ECS show there, in the same region, for the same account, as its own ("self")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from imageshare.domain.images import Page
from imageshare.store.images import Image
from imageshare.store.uow import UnitOfWork

# Images this account owns. SWAS images shared to ECS land among the account's custom
# images in the ECS console, so they answer to the same alias.
SELF = "self"
OWNER_ALIASES = ("system", "self", "others", "marketplace")


@dataclass(frozen=True)
class EcsImageQuery:
    account_id: int
    region_id: str
    image_ids: Sequence[str] | None = None
    owner_alias: str | None = None
    status: str | None = None


def describe_images(uow: UnitOfWork, query: EcsImageQuery, page: Page) -> tuple[int, list[Image]]:
    """The page of the account's ECS-visible images that the filters let through.

    An alias other than "self" (or several, comma-separated, without it) matches nothing
    here: there are no system, shared or marketplace images in this emulation yet.
    """
    aliases = _split(query.owner_alias)
    statuses = _split(query.status)
    if (aliases is not None and SELF not in aliases) or (
        statuses is not None and "Available" not in statuses
    ):
        return 0, []
    return uow.images.in_ecs(query.account_id, query.region_id, query.image_ids, page)


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]
