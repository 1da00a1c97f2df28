"""The ECS per-image share limit (50 accounts) under racing ModifyImageSharePermission calls
from many clients through the official ECS SDK, against two `imageshare serve` processes on
one PostgreSQL database: exactly the free places are taken, every other racer is told
QuotaExceed.ShareImageUser, and nothing else goes wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from alibabacloud_ecs20140526 import models as ecs
from scaleout_load import (
    Answer,
    Cluster,
    ask,
    assert_logs_clean,
    assert_no_lock_symptoms,
    cluster,
    make_accounts,
    race,
    unexpected,
)
from support.ecs import REGION, ecs_image, modify, shared_ids
from support.world import AccountKeys, World

from imageshare.config import Settings

ECS_LIMIT: int = Settings.model_fields["ecs_share_limit"].default
RACERS = 12
PREFILLS = (ECS_LIMIT - 10, ECS_LIMIT - 1)


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    # PostgreSQL only, not parametrized by backend: several servers racing for one row is
    # PostgreSQL's to referee; SQLite's single writer is covered by the SWAS race module.
    with cluster("postgres", tmp_path_factory.mktemp("scaleout-ecs")) as running:
        yield running


def _add(world: World, owner: AccountKeys, image_id: str, account: int) -> Callable[[], Answer]:
    client = world.ecs(owner)
    request = ecs.ModifyImageSharePermissionRequest(
        region_id=REGION, image_id=image_id, add_account=[str(account)]
    )
    return lambda: ask(lambda: client.modify_image_share_permission(request))


@pytest.mark.parametrize("prefill", PREFILLS)
def test_racing_shares_fill_an_ecs_image_exactly_to_the_limit(farm: Cluster, prefill: int) -> None:
    world = farm.world()
    owner = make_accounts(farm.store, 1)[0]
    image_id = ecs_image(world, owner)
    initial = [a.id for a in make_accounts(farm.store, prefill)]
    for start in range(0, len(initial), 10):
        modify(world, owner, image_id, add=initial[start : start + 10])
    racers = [a.id for a in make_accounts(farm.store, RACERS)]
    answers = race([_add(farm.world(i), owner, image_id, a) for i, a in enumerate(racers)])
    assert_no_lock_symptoms(answers)
    assert unexpected(answers, [(403, "QuotaExceed.ShareImageUser")]) == []
    admitted = {a for a, answer in zip(racers, answers, strict=True) if answer.ok}
    assert len(admitted) == ECS_LIMIT - prefill
    assert sorted(shared_ids(world, owner, image_id)) == sorted({*initial, *admitted})
    assert_logs_clean(farm.servers)
