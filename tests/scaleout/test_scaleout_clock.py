"""Two `imageshare serve` processes with two workers each on one database keep one clock:
frozen through one server's admin API, advanced through the other's, every worker of both
answers with the same time; back to the real time everywhere after a clock reset."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from alibabacloud_sts20150401 import models as sts
from support import processes, ram
from support.databases import database_url
from support.world import AccountKeys, World

from imageshare.domain.times import utcnow
from imageshare.store import migrate
from imageshare.store.database import Store
from imageshare.store.engine import make_engine

TOKEN = "scaleout-clock-token-0123456789"
# Calls per check: with two servers of two workers each, enough to reach every worker.
CALLS = 12
DURATION = 3600


@pytest.fixture(scope="module")
def farm(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[processes.ServerProcess], Store]]:
    tmp = tmp_path_factory.mktemp(f"clock-{backend}")
    env = {"IMAGESHARE_ADMIN_TOKEN": TOKEN}
    with (
        database_url(backend, str(tmp)) as url,
        processes.running(url, tmp, count=2, workers=2, env=env) as servers,
    ):
        store = Store(make_engine(url))
        migrate.upgrade(store.engine)
        try:
            yield servers, store
        finally:
            store.dispose()


def _admin(endpoint: str, path: str, body: Any = None) -> dict[str, Any]:
    request = urllib.request.Request(
        f"http://{endpoint}/_imageshare/{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        method="GET" if path == "clock" else "POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def _times(worlds: list[World], caller: AccountKeys, role_arn: str) -> set[datetime]:
    """What every worker of every server says the time is: a new role session's Expiration
    (now + DurationSeconds) from each call, less the duration."""
    request = sts.AssumeRoleRequest(
        role_arn=role_arn, role_session_name="clock", duration_seconds=DURATION
    )
    expirations = {
        worlds[i % len(worlds)].sts(caller).assume_role(request).body.credentials.expiration
        for i in range(CALLS)
    }
    duration = timedelta(seconds=DURATION)
    return {datetime.fromisoformat(e.removesuffix("Z")) - duration for e in expirations}


def _moment(answer: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(answer["now"].removesuffix("Z"))


def test_every_worker_of_every_server_keeps_the_one_clock(
    farm: tuple[list[processes.ServerProcess], Store],
) -> None:
    servers, store = farm
    worlds = [World(server.endpoint, store) for server in servers]
    owner = worlds[0].account()
    _, caller = ram.user(worlds[0], owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(worlds[0], owner, ram.trust(f"acs:ram::{owner.id}:root"))

    frozen = _moment(_admin(servers[0].endpoint, "clock/freeze"))
    assert _times(worlds, caller, role_arn) == {_seconds(frozen)}

    advanced = _admin(servers[1].endpoint, "clock/advance", {"hours": 30})
    assert _moment(advanced) == frozen + timedelta(hours=30)
    shown = _admin(servers[0].endpoint, "clock")
    assert (shown["now"], shown["frozen"]) == (advanced["now"], True)
    assert _times(worlds, caller, role_arn) == {_seconds(frozen + timedelta(hours=30))}

    _admin(servers[1].endpoint, "clock/reset")
    assert not _admin(servers[0].endpoint, "clock")["frozen"]
    for moment in _times(worlds, caller, role_arn):
        assert abs(moment - utcnow()) < timedelta(minutes=1)


def _seconds(moment: datetime) -> datetime:
    """To the second, as the wire writes times."""
    return moment.replace(microsecond=0)
