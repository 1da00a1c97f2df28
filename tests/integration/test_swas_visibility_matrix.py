"""Who sees which SWAS custom image: owners x recipients x share states x regions.

Each owner has one image in REGION and one in OTHER_REGION; both go through the same share
states. After every step, every account's ListCustomImages (no filter, Share=True,
Share=False) in both regions must be exactly what the shares say, and nothing else.
"""

from __future__ import annotations

from support.swas import OTHER_REGION, REGION, custom_image, share, unshare, visible
from support.world import AccountKeys, World

REGIONS = (REGION, OTHER_REGION)


def _expected(
    who: AccountKeys,
    region: str,
    images: dict[tuple[int, str], str],
    shared: dict[str, set[int]],
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
    images: dict[tuple[int, str], str],
    shared: dict[str, set[int]],
    state: str,
) -> None:
    for who in everyone:
        for region in REGIONS:
            own, theirs = _expected(who, region, images, shared)
            context = f"{state}: account {who.id} in {region}"
            everything = visible(world, who, region)
            assert set(everything) == own | theirs, context
            assert set(visible(world, who, region, share=True)) == theirs, context
            assert set(visible(world, who, region, share=False)) == own, context
            for image_id in theirs:
                owner = next(o for (o, _r), i in images.items() if i == image_id)
                assert everything[image_id].user_id == owner, context


def test_visibility_matrix(world: World) -> None:
    owners = [world.account(), world.account()]
    recipients = [world.account(), world.account()]
    everyone = owners + recipients
    images = {(o.id, r): custom_image(world, o, region=r) for o in owners for r in REGIONS}
    shared: dict[str, set[int]] = {image_id: set() for image_id in images.values()}
    _check(world, everyone, images, shared, "not shared")

    for owner in owners:
        for region in REGIONS:
            image_id = images[(owner.id, region)]
            share(world, owner, image_id, recipients[0].id, region=region)
            shared[image_id] = {recipients[0].id}
    _check(world, everyone, images, shared, "shared with one")

    for owner in owners:
        for region in REGIONS:
            image_id = images[(owner.id, region)]
            share(world, owner, image_id, recipients[1].id, region=region)
            shared[image_id] = {r.id for r in recipients}
    _check(world, everyone, images, shared, "shared with both")

    # Owners share with each other too: an owner is also somebody's recipient.
    first_owner_image = images[(owners[0].id, REGION)]
    share(world, owners[0], first_owner_image, owners[1].id)
    shared[first_owner_image].add(owners[1].id)
    _check(world, everyone, images, shared, "owner shares with owner")

    for owner in owners:
        for region in REGIONS:
            image_id = images[(owner.id, region)]
            unshare(world, owner, image_id, *shared[image_id], region=region)
            shared[image_id] = set()
    _check(world, everyone, images, shared, "unshared again")
