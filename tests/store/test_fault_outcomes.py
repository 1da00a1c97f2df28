"""``services.faults.operation_fails``: what the services of slow operations (CopyImage,
CreateImage ...) ask to end an operation ``CreateFailed`` (docs/testing.md, "Faults"), on both
databases: counted in the caller's own unit of work, matched by account and region."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.world import AccountKeys, World

from imageshare.services.faults import operation_fails


@pytest.fixture(autouse=True)
def no_rules_left(world: World) -> Iterator[None]:
    yield
    world.faults.clear()


def _asks(world: World, who: AccountKeys, region: str = "cn-hangzhou", *, commit: bool) -> bool:
    with world.store.unit_of_work(write=True) as uow:
        fails = operation_fails(uow, "ecs", "CopyImage", who.id, region)
        if commit:
            uow.commit()
    return fails


def test_a_counted_rule_fails_that_many_operations(world: World) -> None:
    who = world.account()
    rule = world.faults.add("ecs:CopyImage", fail_operation=True, account=who, count=2)
    assert [_asks(world, who, commit=True) for _ in range(3)] == [True, True, False]
    current = rule.current()
    assert current is not None and (current.fired, current.remaining) == (2, 0)


def test_a_change_that_rolls_back_does_not_use_the_count(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:CopyImage", fail_operation=True, account=who, count=1)
    assert _asks(world, who, commit=False)
    assert _asks(world, who, commit=True)
    assert not _asks(world, who, commit=True)


def test_only_the_named_account_region_and_action(world: World) -> None:
    who, other = world.account(), world.account()
    world.faults.add("ecs:CopyImage", fail_operation=True, account=who, region="cn-beijing")
    world.faults.add("ecs:CreateImage", fail_operation=True, account=who)
    assert not _asks(world, other, "cn-beijing", commit=True)
    assert not _asks(world, who, "cn-hangzhou", commit=True)
    assert _asks(world, who, "cn-beijing", commit=True)


def test_rules_of_other_effects_fail_no_operation(world: World) -> None:
    who = world.account()
    world.faults.add("ecs:CopyImage", account=who)
    world.faults.add("ecs:CopyImage", account=who, delay_ms=10)
    assert not _asks(world, who, commit=True)


def test_a_seeded_fraction_of_operations(world: World) -> None:
    from imageshare.domain.faults import fires

    who = world.account()
    world.faults.add("ecs:*", fail_operation=True, account=who, probability=0.4, seed=5)
    assert [_asks(world, who, commit=True) for _ in range(15)] == [
        fires(0.4, 5, n) for n in range(1, 16)
    ]
