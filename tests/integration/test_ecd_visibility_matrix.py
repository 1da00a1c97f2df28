"""Who sees which ECD image: owners x recipients x share states x regions, as for SWAS.

Each owner has one ECD image in REGION and one in OTHER_REGION; both go through the same share
states. After every step, every account's DescribeImages in both regions must show exactly its
own images and those shared with it there, with SharedCount for the owner only. A SWAS image
shared along the way must never show in ECD, nor an ECD image in SWAS (one share model, one
product per image).
"""

from __future__ import annotations

from support import swas
from support.ecd import OTHER_REGION, REGION, image, modify, visible
from support.world import AccountKeys, World

REGIONS = (REGION, OTHER_REGION)
Images = dict[tuple[int, str], str]


def _expected(
    who: AccountKeys, region: str, images: Images, shared: dict[str, set[int]]
) -> tuple[set[str], set[str]]:
    """(own, shared with me) image ids for ``who`` in ``region``."""
    own = {i for (owner, r), i in images.items() if owner == who.id and r == region}
    theirs = {
        i
        for (owner, r), i in images.items()
        if r == region and owner != who.id and who.id in shared[i]
    }
    return own, theirs


def _check(
    world: World,
    everyone: list[AccountKeys],
    images: Images,
    shared: dict[str, set[int]],
    state: str,
) -> None:
    for who in everyone:
        for region in REGIONS:
            own, theirs = _expected(who, region, images, shared)
            context = f"{state}: account {who.id} in {region}"
            seen = visible(world, who, region)
            assert set(seen) == own | theirs, context
            for image_id in own:
                assert seen[image_id].shared_count == len(shared[image_id]), context
            for image_id in theirs:
                assert seen[image_id].shared_count == 0, context


def _share_all(world: World, owners: list[AccountKeys], images: Images, *accounts: int) -> None:
    for owner in owners:
        for region in REGIONS:
            modify(world, owner, images[(owner.id, region)], add=accounts, region=region)


def test_visibility_matrix(world: World) -> None:
    owners = [world.account(), world.account(site="international")]
    recipients = [world.account(), world.account(site="international")]
    everyone = owners + recipients
    images = {(o.id, r): image(world, o, r) for o in owners for r in REGIONS}
    shared: dict[str, set[int]] = {image_id: set() for image_id in images.values()}
    swas_image = swas.custom_image(world, owners[0])
    swas.share(world, owners[0], swas_image, recipients[0].id)
    _check(world, everyone, images, shared, "not shared")

    _share_all(world, owners, images, recipients[0].id)
    shared = {image_id: {recipients[0].id} for image_id in shared}
    _check(world, everyone, images, shared, "shared with one")

    _share_all(world, owners, images, recipients[1].id)
    shared = {image_id: {r.id for r in recipients} for image_id in shared}
    _check(world, everyone, images, shared, "shared with both, across sites")

    # Owners share with each other too: an owner is also somebody's recipient.
    first = images[(owners[0].id, REGION)]
    modify(world, owners[0], first, add=[owners[1].id])
    shared[first].add(owners[1].id)
    _check(world, everyone, images, shared, "owner shares with owner")

    for owner in owners:
        for region in REGIONS:
            image_id = images[(owner.id, region)]
            modify(world, owner, image_id, remove=sorted(shared[image_id]), region=region)
            shared[image_id] = set()
    _check(world, everyone, images, shared, "unshared again")

    ecd_ids = set(images.values())
    for who in everyone:
        assert not ecd_ids & set(swas.visible(world, who)), "ECD images are not SWAS images"
    assert swas_image in swas.visible(world, recipients[0])
