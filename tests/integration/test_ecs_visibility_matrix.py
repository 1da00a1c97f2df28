"""Who sees which ECS image, and under which alias: owners x recipients x share states
(shared, across sites, published as a community image, unpublished, unshared) x regions x
ImageOwnerAlias (none, self, others, others with IsPublic=true).

Each owner has one ECS image in REGION and one in OTHER_REGION. After every step, every
account's DescribeImages in both regions must show exactly: under ``self`` its own images;
under ``others`` the images shared with it there; under ``others`` + IsPublic the community
images of other accounts there; with no alias all three (and the system catalogue). ECD and
SWAS images never show in ECS (a SWAS image only when its owner shares it to ECS)."""

from __future__ import annotations

from dataclasses import dataclass, field

from support import ecd, swas
from support.ecs import OTHER_REGION, REGION, custom_ids, ecs_image, modify
from support.world import AccountKeys, World

REGIONS = (REGION, OTHER_REGION)


@dataclass
class State:
    images: dict[tuple[int, str], str]
    shared: dict[str, set[int]] = field(default_factory=dict)
    public: set[str] = field(default_factory=set)

    def expected(self, who: AccountKeys, region: str) -> dict[str, set[str]]:
        here = {i: owner for (owner, r), i in self.images.items() if r == region}
        own = {i for i, owner in here.items() if owner == who.id}
        theirs = {i for i, owner in here.items() if owner != who.id}
        shared = {i for i in theirs if who.id in self.shared.get(i, set())}
        community = {i for i in theirs if i in self.public}
        return {"self": own, "others": shared, "public": community}


def _check(world: World, everyone: list[AccountKeys], state: State, step: str) -> None:
    for who in everyone:
        for region in REGIONS:
            want = state.expected(who, region)
            context = f"{step}: account {who.id} in {region}"
            assert set(custom_ids(world, who, region, image_owner_alias="self")) == want["self"], (
                context
            )
            others = set(custom_ids(world, who, region, image_owner_alias="others"))
            assert others == want["others"], context
            # Other tests publish community images too: only this matrix's images count.
            ours = set(state.images.values())
            public = custom_ids(world, who, region, image_owner_alias="others", is_public=True)
            assert set(public) & ours == want["public"], context
            private = want["self"] | want["others"]
            assert set(custom_ids(world, who, region)) == private, context
            everything = set(custom_ids(world, who, region, is_public=None)) & ours
            assert everything == private | want["public"], context


def _each(state: State, owners: list[AccountKeys]) -> list[tuple[AccountKeys, str, str]]:
    return [(o, r, state.images[(o.id, r)]) for o in owners for r in REGIONS]


def test_visibility_matrix(world: World) -> None:
    owners = [world.account(), world.account(site="international")]
    recipients = [world.account(), world.account(site="international")]
    everyone = owners + recipients
    state = State({(o.id, r): ecs_image(world, o, r) for o in owners for r in REGIONS})
    ecd_image = ecd.image(world, owners[0])
    ecd.modify(world, owners[0], ecd_image, add=[recipients[0].id])
    swas_image = swas.custom_image(world, owners[0])
    swas.share(world, owners[0], swas_image, recipients[0].id)
    _check(world, everyone, state, "not shared")

    for owner, region, image_id in _each(state, owners):
        modify(world, owner, image_id, add=[recipients[0].id], region=region)
        state.shared[image_id] = {recipients[0].id}
    _check(world, everyone, state, "shared with one")

    for owner, region, image_id in _each(state, owners):
        modify(world, owner, image_id, add=[recipients[1].id], region=region)
        state.shared[image_id].add(recipients[1].id)
    _check(world, everyone, state, "shared with both, across sites")

    first = state.images[(owners[0].id, REGION)]
    modify(world, owners[0], first, add=[owners[1].id])
    state.shared[first].add(owners[1].id)
    _check(world, everyone, state, "owner shares with owner")

    published = state.images[(owners[1].id, OTHER_REGION)]
    modify(world, owners[1], published, region=OTHER_REGION, is_public=True)
    state.public.add(published)
    _check(world, everyone, state, "one image published")

    for owner, region, image_id in _each(state, owners):
        modify(world, owner, image_id, remove=sorted(state.shared[image_id]), region=region)
        state.shared[image_id] = set()
    _check(world, everyone, state, "unshared, one still published")

    modify(world, owners[1], published, region=OTHER_REGION, is_public=False)
    state.public.clear()
    _check(world, everyone, state, "unpublished")

    for who in everyone:
        seen = set(custom_ids(world, who))
        assert ecd_image not in seen and swas_image not in seen, "one product per image"
