"""Sharing custom images with other accounts: one share model (``images`` + ``image_shares``)
for every product, with each product's rules (``domain.images.ShareRules``: sites, encryption,
what a recipient or an owner in the wrong region is told). SWAS can also share an image to
the owner's own ECS.

Every check runs before any write, so one bad account in a call changes nothing. The image
row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite writers already hold the
database lock), so two concurrent calls cannot both pass the per-image limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from imageshare.domain.ecs import CREATE_FAILED, SERVICE_KEY
from imageshare.domain.images import Image, ShareState, copying
from imageshare.domain.paging import Page
from imageshare.domain.sharing import (
    SWAS_SHARING,
    ShareOperation,
    ShareRules,
    share_operation,
    shares_after_change,
)
from imageshare.domain.swas import STATUS_CREATE_FAILED
from imageshare.errors import (
    EncryptedImageNotShareable,
    ImageNotFound,
    IncorrectImageStatus,
    InvalidParameter,
    ServiceError,
    ServiceKeyEncryptedImage,
    ShareAccountIsSelf,
    ShareAccountLimitExceeded,
    ShareAccountNotFound,
    ShareAcrossSites,
    SharedImageNotManageable,
    ShareOperationIllegal,
)
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

_ACCOUNT_MISSING = 'The specified account {account} in parameter "{parameter}.n" does not exist.'
_IN_OTHER_REGION = (
    "The specified ImageId {image_id} does not exist in region {region}: it is in {home}. "
    "An image is shared, changed and deleted in its own region; to use it in {region}, "
    "copy it there with CopyImage first."
)


@frozen
class ShareTarget:
    owner: int
    region_id: str
    image_id: str
    rules: ShareRules = SWAS_SHARING


@frozen
class ShareChange:
    """One call's accounts to add and to remove."""

    adding: Sequence[int] = ()
    removing: Sequence[int] = ()


def owned_image(uow: UnitOfWork, target: ShareTarget, *, lock: bool = False) -> Image:
    """The caller's own image in that region; ``lock`` holds its row until the transaction ends.

    :raises ImageNotFound: missing, another account's and not shared with the caller, or (with
        a CopyImage hint where the product's rules say so) the caller's own in another region.
    :raises SharedImageNotManageable: shared with the caller, where the rules say so (SWAS
        answers ImageNotFound: a recipient may not manage the owner's image either way).
    """
    rules = target.rules
    image = uow.images.owned(
        target.owner, target.region_id, rules.product, target.image_id, lock=lock
    )
    if image is None:
        raise _why_not_owned(uow, target)
    return image


def check_owned(uow: UnitOfWork, target: ShareTarget, *, lock: bool = False) -> str:
    """``owned_image`` for a caller that needs only the image's id, which it returns: one
    column read, not the whole image (a listing's first query, an unshare's).

    :raises ImageNotFound, SharedImageNotManageable: as ``owned_image``.
    """
    owner, region_id, product = target.owner, target.region_id, target.rules.product
    if not uow.images.owns(owner, region_id, product, target.image_id, lock=lock):
        raise _why_not_owned(uow, target)
    return target.image_id


def _why_not_owned(uow: UnitOfWork, target: ShareTarget) -> ServiceError:
    rules = target.rules
    if not (rules.region_hint or rules.recipient_told_shared):
        return ImageNotFound()
    found = uow.images.whose(target.image_id, rules.product)
    # Both reads whether the image is missing or another account's: a stranger learns from
    # neither the answer nor its time that the image exists (docs/hostile-input.md).
    recipients = uow.shares.accounts(target.image_id)
    if found is None:
        return ImageNotFound()
    owner, region_id = found
    if owner == target.owner and rules.region_hint:
        hint = _IN_OTHER_REGION.format(
            image_id=target.image_id, region=target.region_id, home=region_id
        )
        return ImageNotFound(hint)
    shared_here = region_id == target.region_id and rules.recipient_told_shared
    if shared_here and target.owner in recipients:
        return SharedImageNotManageable(image_id=target.image_id)
    # Another account's image that is not shared with the caller: never confirm it exists.
    return ImageNotFound()


def _check_accounts(
    uow: UnitOfWork, target: ShareTarget, account_ids: Sequence[int], parameter: str
) -> list[int]:
    """Distinct account ids, each an existing account (on the owner's site where the rules
    keep images on their site), never the owner.

    :raises ShareAccountIsSelf, ShareAccountNotFound, ShareAcrossSites:
    """
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        return wanted
    if target.owner in wanted:
        raise ShareAccountIsSelf()
    sites = uow.accounts.sites([target.owner, *wanted])
    missing = [a for a in wanted if a not in sites]
    if missing:
        message = target.rules.account_missing_message
        raise ShareAccountNotFound(
            message or _ACCOUNT_MISSING.format(account=missing[0], parameter=parameter)
        )
    if not target.rules.across_sites:
        # SWAS keeps images on their site: China-site and international accounts never share.
        elsewhere = [a for a in wanted if sites[a] != sites[target.owner]]
        if elsewhere:
            raise ShareAcrossSites(accounts=",".join(map(str, elsewhere)))
    return wanted


# An image whose making failed, as each product spells it (ECD's is ECS's "CreateFailed").
FAILED_STATUSES = frozenset({CREATE_FAILED, STATUS_CREATE_FAILED})


def _check_shareable(image_id: str, state: ShareState, rules: ShareRules, now: datetime) -> None:
    """:raises EncryptedImageNotShareable, ServiceKeyEncryptedImage, IncorrectImageStatus:"""
    key = state.encryption_key_id
    if key is not None and not rules.encrypted_shareable:
        if not rules.customer_key_shareable:
            raise EncryptedImageNotShareable(image_id=image_id)
        if key == SERVICE_KEY:  # ECS: a customer master key's image may be shared
            raise ServiceKeyEncryptedImage()
    if copying(state.ready_at, now) or state.status in FAILED_STATUSES:
        raise IncorrectImageStatus(image_id=image_id)


def _check_disjoint(adding: list[int], removing: list[int], rules: ShareRules) -> None:
    """:raises InvalidParameter: an account is both added and removed in one call."""
    both = [a for a in adding if a in set(removing)]
    if both:
        reason = (
            f"Account {both[0]} is also in {rules.remove_parameter}: "
            "one call cannot both add and remove an account."
        )
        raise InvalidParameter(name=rules.add_parameter, reason=reason)


def change_shares(
    uow: UnitOfWork, target: ShareTarget, change: ShareChange, limit: int, now: datetime
) -> None:
    """Add and remove share accounts in one step. Adding an account that already has the
    image keeps its SharedTime; removing one that does not have it changes nothing.

    :raises ImageNotFound, SharedImageNotManageable, EncryptedImageNotShareable,
        IncorrectImageStatus, ShareAccountIsSelf, ShareAccountNotFound, ShareAcrossSites,
        InvalidParameter, ShareAccountLimitExceeded:
    """
    rules = target.rules
    image_id = _locked_for_change(uow, target, change, now)
    adding = _check_accounts(uow, target, change.adding, rules.add_parameter)
    removing = _check_accounts(uow, target, change.removing, rules.remove_parameter)
    _check_disjoint(adding, removing, rules)
    current = uow.shares.accounts(image_id)
    if adding and shares_after_change(current, set(adding), set(removing)) > limit:
        raise ShareAccountLimitExceeded(rules.limit_message, limit=limit)
    if removing:
        uow.shares.remove(image_id, removing)
    uow.shares.add(image_id, [a for a in adding if a not in current], now)


def _locked_for_change(
    uow: UnitOfWork, target: ShareTarget, change: ShareChange, now: datetime
) -> str:
    """The image's id, its row locked; only a call that adds accounts reads what decides
    whether it may be shared (an unshare needs no more than to know it is the caller's).

    :raises ImageNotFound, SharedImageNotManageable, EncryptedImageNotShareable,
        IncorrectImageStatus:
    """
    if not change.adding:
        return check_owned(uow, target, lock=True)
    owner, region_id, product = target.owner, target.region_id, target.rules.product
    state = uow.images.share_state(owner, region_id, product, target.image_id)
    if state is None:
        raise _why_not_owned(uow, target)
    _check_shareable(target.image_id, state, target.rules, now)
    return target.image_id


def add_share_accounts(
    uow: UnitOfWork, target: ShareTarget, account_ids: Sequence[int], limit: int, now: datetime
) -> None:
    """Share with more accounts; an account that already has the image keeps its SharedTime.

    :raises ImageNotFound, ShareAccountIsSelf, ShareAccountNotFound, ShareAcrossSites,
        ShareAccountLimitExceeded:
    """
    change_shares(uow, target, ShareChange(adding=account_ids), limit, now)


def remove_share_accounts(uow: UnitOfWork, target: ShareTarget, account_ids: Sequence[int]) -> None:
    """Stop sharing; an account that does not have the image is simply left without it.

    :raises ImageNotFound, ShareAccountIsSelf, ShareAccountNotFound, ShareAcrossSites:
    """
    image_id = check_owned(uow, target, lock=True)
    removing = _check_accounts(uow, target, account_ids, target.rules.remove_parameter)
    uow.shares.remove(image_id, removing)


def list_share_accounts(
    uow: UnitOfWork, target: ShareTarget, page: Page
) -> tuple[int, list[tuple[int, datetime]]]:
    """:raises ImageNotFound:"""
    return uow.shares.page(check_owned(uow, target), page)


def share_accounts(uow: UnitOfWork, target: ShareTarget) -> list[int]:
    """Every account the image is shared with, oldest share first.

    :raises ImageNotFound, SharedImageNotManageable:
    """
    return uow.shares.ordered(check_owned(uow, target))


def modify_share_status(
    uow: UnitOfWork, target: ShareTarget, operation: str, now: datetime
) -> None:
    """Share a SWAS image to the owner's ECS (same region), or stop; repeating is a no-op.
    Sharing an image still creating, or one whose creation failed, is refused as sharing it
    with accounts is (its encryption does not matter: SWAS images are never encrypted).

    :raises ShareOperationIllegal, ImageNotFound, IncorrectImageStatus:
    """
    parsed = share_operation(operation)
    if parsed is None:
        raise ShareOperationIllegal()
    image = owned_image(uow, target, lock=True)
    if parsed is ShareOperation.SHARE:
        _check_shareable(
            image.id, ShareState(None, image.ready_at, image.status), target.rules, now
        )
    uow.images.set_shared_to_ecs(image.id, parsed is ShareOperation.SHARE)
