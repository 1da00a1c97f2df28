"""No existence oracle: another account's private image and an id that does not exist get the
same answer and cost the same reads, on every product's sharing rules, for a share, an
unshare and a listing of shares (and ECS's publishing). A timing difference comes from
different work, so the store calls each makes are compared (deterministic);
docs/hostile-input.md has the timings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from support.world import World

from imageshare.domain.paging import Page
from imageshare.domain.sharing import ECD_SHARING, SWAS_SHARING, ShareRules
from imageshare.errors import ImageNotFound
from imageshare.services import ecs_sharing
from imageshare.services import image_sharing as sharing
from imageshare.store.uow import UnitOfWork

MISSING = "m-" + "0" * 20


class _Recorder:
    """A unit of work that records each repository call (repository, method) it serves."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.calls: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        repository = getattr(self._uow, name)
        calls = self.calls

        class Recorded:
            def __getattr__(self, method: str) -> Any:
                found = getattr(repository, method)
                if not callable(found):
                    return found

                def call(*args: Any, **kwargs: Any) -> Any:
                    calls.append((name, method))
                    return found(*args, **kwargs)

                return call

        return Recorded()


Attempt = Callable[[UnitOfWork, sharing.ShareTarget], object]

ATTEMPTS: dict[str, Attempt] = {
    "list shares": lambda uow, t: sharing.check_owned(uow, t),
    "share": lambda uow, t: sharing.change_shares(
        uow, t, sharing.ShareChange(adding=[1000000000000001]), 10, _now()
    ),
    "unshare": lambda uow, t: sharing.change_shares(
        uow, t, sharing.ShareChange(removing=[1000000000000001]), 10, _now()
    ),
}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _calls(world: World, run: Callable[[UnitOfWork], object]) -> list[tuple[str, str]]:
    with world.store.unit_of_work(write=True) as uow:
        recorder = _Recorder(uow)
        with pytest.raises(ImageNotFound) as caught:
            run(cast(UnitOfWork, recorder))
    assert caught.value.message == ImageNotFound().message
    return recorder.calls


def _same_calls(world: World, theirs: str, run: Callable[[UnitOfWork, str], object]) -> None:
    on_theirs = _calls(world, lambda uow: run(uow, theirs))
    on_missing = _calls(world, lambda uow: run(uow, MISSING))
    assert on_theirs and on_theirs == on_missing


@pytest.mark.parametrize("attempt", sorted(ATTEMPTS))
@pytest.mark.parametrize("rules", [ECD_SHARING, SWAS_SHARING], ids=["ecd", "swas"])
def test_a_strangers_image_costs_what_a_missing_one_costs(
    world: World, rules: ShareRules, attempt: str
) -> None:
    caller, stranger = world.account(), world.account()
    theirs = world.ecd_image(stranger) if rules is ECD_SHARING else world.swas_image(stranger).id

    def run(uow: UnitOfWork, image_id: str) -> object:
        return ATTEMPTS[attempt](uow, sharing.ShareTarget(caller.id, world.region, image_id, rules))

    _same_calls(world, theirs, run)


EcsAttempt = Callable[[UnitOfWork, tuple[int, str, str]], object]

ECS_ATTEMPTS: dict[str, EcsAttempt] = {
    "list shares": lambda uow, t: ecs_sharing.describe_permission(uow, *t, Page(1, 10)),
    "share": lambda uow, t: ecs_sharing.modify_permission(
        uow, t, ecs_sharing.PermissionChange(adding=[1000000000000001]), 10, _now()
    ),
    "unshare": lambda uow, t: ecs_sharing.modify_permission(
        uow, t, ecs_sharing.PermissionChange(removing=[1000000000000001]), 10, _now()
    ),
    "publish": lambda uow, t: ecs_sharing.modify_permission(
        uow, t, ecs_sharing.PermissionChange(public=True), 10, _now()
    ),
}


@pytest.mark.parametrize("attempt", sorted(ECS_ATTEMPTS))
def test_a_strangers_ecs_image_costs_what_a_missing_one_costs(world: World, attempt: str) -> None:
    caller, stranger = world.account(), world.account()
    theirs = world.ecs_image(stranger)

    def run(uow: UnitOfWork, image_id: str) -> object:
        return ECS_ATTEMPTS[attempt](uow, (caller.id, world.region, image_id))

    _same_calls(world, theirs, run)
