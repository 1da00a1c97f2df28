"""Community images and where and by whom they may be published: a server of its own that
allows them in cn-hangzhou only and knows an account that has not signed the Community Image
Terms of Service (IMAGESHARE_ECS_COMMUNITY_REGIONS, IMAGESHARE_ECS_COMMUNITY_UNSIGNED_ACCOUNTS)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models as ecs
from support.databases import migrated_database_url
from support.ecs import OTHER_REGION, REGION, ecs_image
from support.errors import tea_error
from support.server import running_server
from support.world import AccountKeys, World

UNSIGNED = 1999999999999991
REGION_REFUSED = (
    403,
    "CurrentRegion.NotSupportPublicImage",
    "Public image is not supported for current region.",
)
NOT_SIGNED = (
    403,
    "PublicImageAgreement.NotSigned",
    'The current account has not signed "Community Image Terms of Service".',
)


@pytest.fixture
def terms(backend: str, tmp_path: Path) -> Iterator[World]:
    with (
        migrated_database_url(backend, str(tmp_path)) as url,
        running_server(
            url, ecs_community_regions=REGION, ecs_community_unsigned_accounts=str(UNSIGNED)
        ) as (endpoint, store),
    ):
        yield World(endpoint, store)


def _publish(world: World, who: AccountKeys, image_id: str, region: str = REGION) -> None:
    request = ecs.ModifyImageSharePermissionRequest(
        region_id=region, image_id=image_id, is_public=True
    )
    world.ecs(who).modify_image_share_permission(request)


def _public(world: World, who: AccountKeys, image_id: str, region: str = REGION) -> bool:
    request = ecs.DescribeImageSharePermissionRequest(region_id=region, image_id=image_id)
    groups = world.ecs(who).describe_image_share_permission(request).body.share_groups
    return [g.group for g in groups.share_group] == ["all"]


def _wire(call: object) -> tuple[int, str, str]:
    error = tea_error(call)  # type: ignore[arg-type]
    return (error.status, error.code, error.data["Message"])


def test_publishing_where_and_by_whom_the_terms_allow(terms: World) -> None:
    signed, unsigned = terms.account(), terms.account(id=UNSIGNED)
    here, there = ecs_image(terms, signed), ecs_image(terms, signed, OTHER_REGION)
    _publish(terms, signed, here)
    assert _public(terms, signed, here)
    assert _wire(lambda: _publish(terms, signed, there, OTHER_REGION)) == REGION_REFUSED
    assert not _public(terms, signed, there, OTHER_REGION), "a refused call changes nothing"
    theirs = ecs_image(terms, unsigned)
    assert _wire(lambda: _publish(terms, unsigned, theirs)) == NOT_SIGNED
    assert not _public(terms, unsigned, theirs)
    # The deprecated group call publishes too, under the same terms.
    group = ecs.ModifyImageShareGroupPermissionRequest(
        region_id=REGION, image_id=theirs, add_group=["all"]
    )
    assert (
        _wire(lambda: terms.ecs(unsigned).modify_image_share_group_permission(group)) == NOT_SIGNED
    )
    # Sharing with accounts is not publishing: the terms do not apply.
    share = ecs.ModifyImageSharePermissionRequest(
        region_id=OTHER_REGION, image_id=there, add_account=[str(unsigned.id)]
    )
    terms.ecs(signed).modify_image_share_permission(share)
