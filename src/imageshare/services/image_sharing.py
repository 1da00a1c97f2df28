"""Sharing SWAS custom images: with other accounts, and to the owner's own ECS.

Every check runs before any write, so one bad account in a call changes nothing. The image
row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite writers already hold the
database lock), so two concurrent calls cannot both pass the per-image limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from imageshare.domain.images import (
    SWAS,
    Page,
    ShareOperation,
    share_operation,
    shares_after_adding,
)
from imageshare.errors import (
    ImageNotFound,
    ShareAccountIsSelf,
    ShareAccountLimitExceeded,
    ShareAccountNotFound,
    ShareAcrossSites,
    ShareOperationIllegal,
)
from imageshare.store.images import Image
from imageshare.store.uow import UnitOfWork


@dataclass(frozen=True)
class ShareTarget:
    owner: int
    region_id: str
    image_id: str


def _owned(uow: UnitOfWork, target: ShareTarget, *, lock: bool = False) -> Image:
    """:raises ImageNotFound: missing, in another region, or not the caller's (even if it was
    shared with the caller: a recipient may not manage the owner's shares)."""
    image = uow.images.owned(target.owner, target.region_id, SWAS, target.image_id, lock=lock)
    if image is None:
        raise ImageNotFound()
    return image


def _check_accounts(uow: UnitOfWork, owner: int, account_ids: Sequence[int]) -> list[int]:
    """Distinct account ids, each an existing account on the owner's site, not the owner.

    :raises ShareAccountIsSelf, ShareAccountNotFound, ShareAcrossSites:
    """
    wanted = list(dict.fromkeys(account_ids))
    if owner in wanted:
        raise ShareAccountIsSelf()
    known = uow.accounts.get_many([owner, *wanted])
    missing = [a for a in wanted if a not in known]
    if missing:
        raise ShareAccountNotFound(account=missing[0])
    # SWAS keeps images on their site: China-site and international accounts never share.
    elsewhere = [a for a in wanted if known[a].site != known[owner].site]
    if elsewhere:
        raise ShareAcrossSites(accounts=",".join(map(str, elsewhere)))
    return wanted


def add_share_accounts(
    uow: UnitOfWork, target: ShareTarget, account_ids: Sequence[int], limit: int, now: datetime
) -> None:
    """Share with more accounts; an account that already has the image keeps its SharedTime.

    :raises ImageNotFound, ShareAccountIsSelf, ShareAccountNotFound, ShareAcrossSites,
        ShareAccountLimitExceeded:
    """
    image = _owned(uow, target, lock=True)
    wanted = _check_accounts(uow, target.owner, account_ids)
    current = uow.shares.accounts(image.id)
    if shares_after_adding(current, set(wanted)) > limit:
        raise ShareAccountLimitExceeded(limit=limit)
    uow.shares.add(image.id, [a for a in wanted if a not in current], now)


def remove_share_accounts(uow: UnitOfWork, target: ShareTarget, account_ids: Sequence[int]) -> None:
    """Stop sharing; an account that does not have the image is simply left without it.

    :raises ImageNotFound, ShareAccountIsSelf, ShareAccountNotFound, ShareAcrossSites:
    """
    image = _owned(uow, target, lock=True)
    uow.shares.remove(image.id, _check_accounts(uow, target.owner, account_ids))


def list_share_accounts(
    uow: UnitOfWork, target: ShareTarget, page: Page
) -> tuple[int, list[tuple[int, datetime]]]:
    """:raises ImageNotFound:"""
    image = _owned(uow, target)
    return uow.shares.page(image.id, page)


def modify_share_status(uow: UnitOfWork, target: ShareTarget, operation: str) -> None:
    """Share the image to the owner's ECS (same region), or stop; repeating either is a no-op.

    :raises ShareOperationIllegal, ImageNotFound:
    """
    parsed = share_operation(operation)
    if parsed is None:
        raise ShareOperationIllegal()
    image = _owned(uow, target, lock=True)
    uow.images.set_shared_to_ecs(image.id, parsed is ShareOperation.SHARE)
