"""Fault rules across two `imageshare serve` processes of two workers each on one database
(docs/testing.md, "Faults"): a rule added through one server applies on the other's next call,
"the next N calls" fire exactly N times under concurrent calls to both, a fraction's seed gives
the same calls whichever server answers them, and a reset through either clears them."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from scaleout_load import assert_logs_clean, make_accounts
from support import processes
from support.databases import database_url
from support.world import AccountKeys, World

from imageshare.domain.faults import fires
from imageshare.store.database import Store
from imageshare.store.engine import make_engine

TOKEN = "scaleout-faults-token-0123456789"
REGION = "cn-hangzhou"
CALLS = 24


class Farm:
    def __init__(self, servers: list[processes.ServerProcess], store: Store) -> None:
        self.servers, self.store = servers, store
        self.worlds = [World(s.endpoint, store) for s in servers]

    def admin(self, index: int, method: str, path: str, body: Any = None) -> Reply:
        """One admin call to server ``index``; errors are returned, not raised."""
        request = urllib.request.Request(
            f"http://{self.servers[index].endpoint}/_imageshare/{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            return Reply(error.code, json.loads(error.read()))


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any


@pytest.fixture(scope="module")
def farm(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Farm]:
    tmp: Path = tmp_path_factory.mktemp(f"faults-{backend}")
    env = {"IMAGESHARE_ADMIN_TOKEN": TOKEN}
    with (
        database_url(backend, str(tmp)) as url,
        processes.running(url, tmp, count=2, workers=2, env=env) as servers,
    ):
        store = Store(make_engine(url))
        try:
            yield Farm(servers, store)
            assert_logs_clean(servers)
        finally:
            store.dispose()


@pytest.fixture
def who(farm: Farm) -> Iterator[AccountKeys]:
    [account] = make_accounts(farm.store, 1)
    yield account
    farm.admin(0, "DELETE", "faults")


def _faulted(world: World, who: AccountKeys) -> bool:
    request = ecs.DescribeImagesRequest(region_id=REGION, image_owner_alias="self")
    try:
        world.ecs(who).describe_images(request)
    except Exception as error:
        assert getattr(error, "code", None) == "ServiceUnavailable", error
        return True
    return False


def test_a_rule_added_through_one_server_applies_on_the_others_next_call(
    farm: Farm, who: AccountKeys
) -> None:
    added = farm.admin(0, "POST", "faults", {"action": "ecs:DescribeImages", "account": who.id})
    assert added.status == 201
    assert _faulted(farm.worlds[1], who)
    assert farm.admin(1, "DELETE", f"faults/{added.body['id']}").status == 200
    assert not _faulted(farm.worlds[0], who)


def test_a_delay_and_a_timeout_added_through_one_server_apply_on_the_other(
    farm: Farm, who: AccountKeys
) -> None:
    delay = {"action": "ecs:DescribeImages", "account": who.id, "delay_ms": 400, "count": 1}
    timeout = {"action": "ecs:DescribeImages", "account": who.id, "timeout_ms": 5000, "count": 1}
    assert farm.admin(0, "POST", "faults", delay).status == 201
    assert farm.admin(0, "POST", "faults", timeout).status == 201
    request = ecs.DescribeImagesRequest(region_id=REGION, image_owner_alias="self")
    started = time.monotonic()
    farm.worlds[1].ecs(who).describe_images(request)
    assert time.monotonic() - started >= 0.4
    with pytest.raises(Exception, match="(?i)timed out"):
        farm.worlds[1].ecs(who, read_timeout=300).describe_images(request)
    assert not _faulted(farm.worlds[1], who)


def test_the_next_n_calls_fire_exactly_n_times_across_servers_and_workers(
    farm: Farm, who: AccountKeys
) -> None:
    farm.admin(1, "POST", "faults", {"action": "ecs:DescribeImages", "account": who.id, "count": 5})
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda i: _faulted(farm.worlds[i % 2], who), range(CALLS)))
    assert sum(outcomes) == 5
    [rule] = farm.admin(0, "GET", "faults").body["faults"]
    assert (rule["seen"], rule["fired"], rule["remaining"]) == (5, 5, 0)


def test_a_fractions_seed_decides_the_same_calls_whichever_server_answers(
    farm: Farm, who: AccountKeys
) -> None:
    rule = {"action": "ecs:DescribeImages", "account": who.id, "probability": 0.3, "seed": 11}
    farm.admin(0, "POST", "faults", rule)
    outcomes = [_faulted(farm.worlds[i % 2], who) for i in range(CALLS)]
    assert outcomes == [fires(0.3, 11, n) for n in range(1, CALLS + 1)]


def test_a_reset_through_either_server_clears_the_rules_for_both(farm: Farm) -> None:
    [who] = make_accounts(farm.store, 1)
    farm.worlds[0].faults.add("ecs:DescribeImages", account=who)
    assert _faulted(farm.worlds[0], who)
    assert farm.admin(1, "POST", "reset").status == 200
    [who] = make_accounts(farm.store, 1)  # the reset removed the account too
    assert not _faulted(farm.worlds[0], who)
    assert farm.admin(0, "GET", "faults").body == {"faults": []}
