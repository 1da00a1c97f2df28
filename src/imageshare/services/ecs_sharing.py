"""ECS image sharing: ModifyImageSharePermission and DescribeImageSharePermission are the one
sharing service (``image_sharing``) with ECS's rules (``domain.ecs.ECS_SHARING``), plus what
only ECS has: community images (``IsPublic``), and deprecated images that may not be shared.

Every check runs before any write; a DryRun call runs them all, and the write too, inside
the request's transaction, which the DryRunOperation answer then rolls back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from imageshare.domain.ecs import CREATE_FAILED, DEPRECATED, ECS_SHARING, CommunityTerms, EcsImage
from imageshare.domain.images import copying
from imageshare.domain.paging import Page
from imageshare.errors import (
    CommunityRegionUnsupported,
    CommunityTermsNotSigned,
    DeprecatedImageNotShareable,
    EncryptedImageNotShareable,
    ImageIsPublic,
    ImageNotFound,
    IncorrectImageStatus,
    IsPublicConflict,
)
from imageshare.errors.ecs_lifecycle import NOT_AVAILABLE
from imageshare.services import image_sharing
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen

# ECS's text (OperationDeined.EncryptedSnapshot) for an encrypted image offered to everyone.
_ENCRYPTED = "The image contains encrypted snapshots, which do not support share."


@frozen
class PermissionChange:
    adding: Sequence[int] = ()
    removing: Sequence[int] = ()
    # True: publish as a community image; False: unpublish (a no-op on a regular image).
    public: bool | None = None
    # Who may publish where (the server's settings).
    terms: CommunityTerms = CommunityTerms()


def _target(owner: int, region_id: str, image_id: str) -> image_sharing.ShareTarget:
    return image_sharing.ShareTarget(owner, region_id, image_id, ECS_SHARING)


def _owned(uow: UnitOfWork, owner: int, region_id: str, image_id: str) -> EcsImage:
    """:raises ImageNotFound: not the caller's own ECS image in that region (missing, another
    account's, shared with the caller, or a SWAS image shared to ECS, which SWAS manages)."""
    image = uow.ecs_images.owned(owner, region_id, image_id, lock=True)
    if image is None:
        raise ImageNotFound()
    return image


def modify_permission(
    uow: UnitOfWork,
    target: tuple[int, str, str],
    change: PermissionChange,
    limit: int,
    now: datetime,
) -> None:
    """Share, unshare, publish or unpublish; ``target`` is (owner, region, image id).

    :raises ImageNotFound, IsPublicConflict, CommunityRegionUnsupported,
        CommunityTermsNotSigned, EncryptedImageNotShareable,
        DeprecatedImageNotShareable, ImageIsPublic, IncorrectImageStatus, and what
        ``image_sharing.change_shares`` raises (InvalidAccount.*, QuotaExceed.ShareImageUser,
        service-key encryption).
    """
    owner, region_id, image_id = target
    image = _owned(uow, owner, region_id, image_id)
    if change.public and (change.adding or change.removing):
        raise IsPublicConflict()
    if change.public:
        _publish(uow, image, change.terms, now)
        return
    if change.public is False and image.published_at is not None:
        uow.ecs_images.set_published(image.id, None)
    if change.adding:
        if copying(image.ready_at, now) or image.status == CREATE_FAILED:
            raise IncorrectImageStatus(NOT_AVAILABLE)  # still being made or copied, or failed
        if image.status == DEPRECATED:
            raise DeprecatedImageNotShareable()
        if image.published_at is not None:
            raise ImageIsPublic()
    if change.adding or change.removing:
        shares = image_sharing.ShareChange(adding=change.adding, removing=change.removing)
        image_sharing.change_shares(uow, _target(*target), shares, limit, now)


def _publish(uow: UnitOfWork, image: EcsImage, terms: CommunityTerms, now: datetime) -> None:
    """Make it a community image; publishing a published image changes nothing."""
    if terms.regions is not None and image.region_id not in terms.regions:
        raise CommunityRegionUnsupported()
    if image.account_id in terms.unsigned:
        raise CommunityTermsNotSigned()
    if image.encryption_key_id is not None:
        raise EncryptedImageNotShareable(_ENCRYPTED)
    if image.status == DEPRECATED:
        raise DeprecatedImageNotShareable()
    if image.published_at is None:
        uow.ecs_images.set_published(image.id, now)


@frozen
class Permissions:
    total: int
    accounts: list[tuple[int, datetime]]
    public: bool


def describe_permission(
    uow: UnitOfWork, owner: int, region_id: str, image_id: str, page: Page
) -> Permissions:
    """:raises ImageNotFound:"""
    image = uow.ecs_images.owned(owner, region_id, image_id)
    if image is None:
        raise ImageNotFound()
    total, accounts = uow.shares.page(image.id, page)
    return Permissions(total, accounts, image.published_at is not None)
