"""ClientToken records are kept for a window (IMAGESHARE_CLIENT_TOKEN_WINDOW_SECONDS), then
pruned a small batch at a time, oldest first; on both databases."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alibabacloud_swas_open20200601 import models as swas
from support.databases import migrated_database_url
from support.errors import tea_error
from support.server import running_server
from support.world import AccountKeys, World

from imageshare.pipeline import token_pruning
from imageshare.store.database import Store
from imageshare.store.engine import make_engine
from imageshare.testing.swas import make_custom_image

REGION = "cn-hangzhou"


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Iterator[Store]:
    with migrated_database_url(backend, str(tmp_path)) as url:
        store = Store(make_engine(url))
        try:
            yield store
        finally:
            store.dispose()


def test_forget_before_deletes_a_batch_of_the_oldest(store: Store) -> None:
    start = datetime(2026, 1, 1)
    with store.unit_of_work(write=True) as uow:
        for minute in range(5):
            at = start + timedelta(minutes=minute)
            uow.idempotency.claim(1000000000000001, "ecs:CopyImage", f"t{minute}", "h", at)
        uow.commit()
    cutoff = start + timedelta(minutes=4)  # t0..t3 expired, t4 not
    with store.unit_of_work(write=True) as uow:
        assert uow.idempotency.forget_before(cutoff, 3) == 3
        uow.commit()
    with store.unit_of_work(write=True) as uow:
        assert uow.idempotency.forget_before(cutoff, 3) == 1
        assert uow.idempotency.forget_before(cutoff, 3) == 0
        # the youngest is kept: its retry still replays
        assert uow.idempotency.claim(1000000000000001, "ecs:CopyImage", "t4", "h", cutoff)
        # t0 went: the token is new again
        assert uow.idempotency.claim(1000000000000001, "ecs:CopyImage", "t0", "h", cutoff) is None
        uow.commit()


def _share(world: World, who: AccountKeys, image_id: str, account: int, token: str) -> object:
    request = swas.AddCustomImageShareAccountRequest(
        region_id=REGION, image_id=image_id, account=[account], client_token=token
    )
    return world.swas(who).add_custom_image_share_account(request)


def test_a_token_past_its_window_is_new_again(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(token_pruning, "EVERY", 1)
    with (
        migrated_database_url(backend, str(tmp_path)) as url,
        running_server(url, client_token_window_seconds=1) as (endpoint, server_store),
    ):
        world = World(endpoint, server_store)
        owner, first, second = world.account(), world.account(), world.account()
        image = make_custom_image(world.swas(owner), REGION)
        _share(world, owner, image.id, first.id, "token-1")
        error = tea_error(lambda: _share(world, owner, image.id, second.id, "token-1"))
        assert error.code == "IdempotentParameterMismatch", "within the window"
        time.sleep(1.5)
        _share(world, owner, image.id, first.id, "token-2")  # a request: the pruning runs
        _share(world, owner, image.id, second.id, "token-1")  # pruned: a new request
