"""The per-image share limit holds when two shares of one image race each other.

The test server answers one request at a time, so the race is staged on the store directly:
one transaction adds the tenth share and holds its commit; a second one tries an eleventh
meanwhile. With the image row locked before counting (PostgreSQL) or the write lock taken at
BEGIN (SQLite), the second waits, then sees ten shares and is refused.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
from support.swas import REGION, custom_image, share, share_users
from support.world import World

from imageshare.domain.times import utcnow
from imageshare.errors import ShareAccountLimitExceeded
from imageshare.services.image_sharing import ShareTarget, add_share_accounts

LIMIT = 10


def _now() -> datetime:
    return utcnow()


def test_racing_shares_never_pass_the_limit(world: World) -> None:
    owner = world.account()
    image_id = custom_image(world, owner)
    share(world, owner, image_id, *[world.account().id for _ in range(LIMIT - 1)])
    tenth, eleventh = world.account().id, world.account().id
    target = ShareTarget(owner.id, REGION, image_id)
    first_wrote = threading.Event()
    outcome: list[BaseException | None] = []

    def second() -> None:
        first_wrote.wait()
        try:
            with world.store.unit_of_work(write=True) as uow:
                add_share_accounts(uow, target, [eleventh], LIMIT, _now())
                uow.commit()
            outcome.append(None)
        except ShareAccountLimitExceeded as error:
            outcome.append(error)

    racer = threading.Thread(target=second)
    racer.start()
    with world.store.unit_of_work(write=True) as uow:
        add_share_accounts(uow, target, [tenth], LIMIT, _now())
        first_wrote.set()
        time.sleep(0.5)  # the second transaction runs into the lock now
        uow.commit()
    racer.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ShareAccountLimitExceeded)
    users = share_users(world, owner, image_id)
    assert len(users) == LIMIT and tenth in users and eleventh not in users


def test_the_limit_is_a_parameter(world: World) -> None:
    limit = 1  # the handler passes Settings.swas_share_limit
    owner = world.account()
    image_id = custom_image(world, owner)
    target = ShareTarget(owner.id, REGION, image_id)
    first, second = world.account().id, world.account().id
    with world.store.unit_of_work(write=True) as uow:
        add_share_accounts(uow, target, [first], limit, _now())
        uow.commit()
    with world.store.unit_of_work(write=True) as uow, pytest.raises(ShareAccountLimitExceeded):
        add_share_accounts(uow, target, [second], limit, _now())
    assert share_users(world, owner, image_id) == [first]
