"""The ECD per-image limit holds when two ModifyImagePermission calls race, as SWAS's does:
the one share model locks the image row (PostgreSQL) or takes the write lock at BEGIN
(SQLite) before it counts. The race is staged on the store, since the test server answers one
request at a time: one transaction adds the fiftieth share and holds its commit while a
second tries a fifty-first."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from support.ecd import REGION, image, modify, permitted
from support.world import World

from imageshare.domain.sharing import ECD_SHARE_LIMIT, ECD_SHARING
from imageshare.domain.times import utcnow
from imageshare.errors import ShareAccountLimitExceeded
from imageshare.services.image_sharing import ShareChange, ShareTarget, change_shares


def _now() -> datetime:
    return utcnow()


def test_racing_permission_changes_never_pass_the_limit(world: World) -> None:
    owner = world.account()
    image_id = image(world, owner)
    others = [world.account().id for _ in range(ECD_SHARE_LIMIT - 1)]
    for start in range(0, len(others), 10):
        modify(world, owner, image_id, add=others[start : start + 10])
    last, one_too_many = world.account().id, world.account().id
    target = ShareTarget(owner.id, REGION, image_id, ECD_SHARING)
    first_wrote = threading.Event()
    outcome: list[BaseException | None] = []

    def second() -> None:
        first_wrote.wait()
        try:
            with world.store.unit_of_work(write=True) as uow:
                change = ShareChange(adding=[one_too_many])
                change_shares(uow, target, change, ECD_SHARE_LIMIT, _now())
                uow.commit()
            outcome.append(None)
        except ShareAccountLimitExceeded as error:
            outcome.append(error)

    racer = threading.Thread(target=second)
    racer.start()
    with world.store.unit_of_work(write=True) as uow:
        change_shares(uow, target, ShareChange(adding=[last]), ECD_SHARE_LIMIT, _now())
        first_wrote.set()
        time.sleep(0.5)  # the second transaction runs into the lock now
        uow.commit()
    racer.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ShareAccountLimitExceeded)
    users = permitted(world, owner, image_id)
    assert len(users) == ECD_SHARE_LIMIT and str(last) in users and str(one_too_many) not in users
