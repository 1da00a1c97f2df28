"""A server killed with SIGKILL (supervisor and workers at once) in the middle of a write load,
then restarted on the same database: nothing acknowledged is lost, nothing half-done is
left, and a client that never got its answer can resolve it by retrying with its ClientToken.

Each writer thread adds fresh accounts to two images and removes every other one again, one
call at a time, each call with its own ClientToken, and stops at the first call that gets no
answer: that call is "in doubt" (it may or may not have committed) and is the writer's last
change to its account, so everything else the database holds is determined by the answers.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from alibabacloud_swas_open20200601 import models as swas
from alibabacloud_swas_open20200601.client import Client as SwasClient
from scaleout_load import Answer, ask, assert_logs_clean, database, make_accounts
from sqlalchemy import select, text
from support import processes
from support.swas import REGION, custom_image
from support.world import AccountKeys, World

from imageshare.store.database import Store
from imageshare.store.tables import idempotency_records, image_shares, trail_events

WRITERS = 6
ADDS_PER_WRITER = 30
KILL_AFTER_ACKS = 90
LOAD_SECONDS = 20.0
# Shares only grow here; the per-image limit is another test's business.
SERVER_ENV = {"IMAGESHARE_SWAS_SHARE_LIMIT": "100000"}

Key = tuple[str, int]  # (image id, account id)


@dataclass(frozen=True)
class Op:
    image_id: str
    account: int
    adding: bool
    token: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def key(self) -> Key:
        return self.image_id, self.account


def plan(images: list[str], accounts: list[int]) -> list[Op]:
    """add a0, add a1, remove a0, add a2, add a3, remove a2, ...: every change is a real
    change (adds of absent accounts, removes of present ones), so its effect is visible."""
    ops = []
    for index, account in enumerate(accounts):
        ops.append(Op(images[index % len(images)], account, adding=True))
        if index % 2:
            ops.append(Op(images[(index - 1) % len(images)], accounts[index - 1], adding=False))
    return ops


def send(client: SwasClient, op: Op) -> Answer:
    if op.adding:
        add = swas.AddCustomImageShareAccountRequest(
            region_id=REGION, image_id=op.image_id, account=[op.account], client_token=op.token
        )
        return ask(lambda: client.add_custom_image_share_account(add))
    remove = swas.RemoveCustomImageShareAccountRequest(
        region_id=REGION, image_id=op.image_id, account=[op.account], client_token=op.token
    )
    return ask(lambda: client.remove_custom_image_share_account(remove))


@dataclass
class Writer:
    client: SwasClient
    ops: list[Op]
    acked: list[Op] = field(default_factory=list)
    in_doubt: Op | None = None
    errors: list[Answer] = field(default_factory=list)

    def run(self) -> None:
        deadline = time.monotonic() + LOAD_SECONDS
        for op in self.ops:
            if time.monotonic() > deadline:
                return
            answer = send(self.client, op)
            if answer.status == 0:
                self.in_doubt = op  # no answer: the server died under this call
                return
            if not answer.ok:
                self.errors.append(answer)
                return
            self.acked.append(op)

    def attempted(self) -> list[Op]:
        """Every call this writer made: the acknowledged ones, then the one in doubt."""
        return [*self.acked, *([self.in_doubt] if self.in_doubt else [])]


def apply(ops: list[Op]) -> dict[Key, bool]:
    """Whether each account has its image after ``ops``, applied in order."""
    return {op.key: op.adding for op in ops}


def shares(store: Store, images: list[str]) -> set[Key]:
    query = select(image_shares.c.image_id, image_shares.c.account_id).where(
        image_shares.c.image_id.in_(images)
    )
    with store.transaction() as conn:
        return {(row.image_id, row.account_id) for row in conn.execute(query)}


def token_records(store: Store, owner: int) -> dict[str, str | None]:
    r = idempotency_records.c
    query = select(r.client_token, r.response).where(r.account_id == owner)
    with store.transaction() as conn:
        return {row.client_token: row.response for row in conn.execute(query)}


def load_then_kill(server: processes.ServerProcess, writers: list[Writer]) -> None:
    """Start the writers, SIGKILL the server once enough writes are acknowledged."""
    threads = [threading.Thread(target=w.run, daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + LOAD_SECONDS
    while sum(len(w.acked) for w in writers) < KILL_AFTER_ACKS:
        assert time.monotonic() < deadline, "the load never reached the kill point"
        assert any(t.is_alive() for t in threads), [w.errors for w in writers]
        time.sleep(0.005)
    server.kill()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS)
    assert not any(t.is_alive() for t in threads), "a writer hung after the kill"


def assert_acknowledged_state(writers: list[Writer], found: set[Key]) -> None:
    """Every key holds what its acknowledged calls imply; an in-doubt key may also hold
    what its unanswered call would have made it."""
    acked = apply([op for w in writers for op in w.acked])
    doubtful = {w.in_doubt.key: w.in_doubt.adding for w in writers if w.in_doubt}
    planned = {op.key for w in writers for op in w.ops}
    assert found <= planned, "the database holds shares nobody asked for"
    for key in planned:
        allowed = {acked.get(key, False), doubtful.get(key, acked.get(key, False))}
        assert (key in found) in allowed, f"{key}: acknowledged {acked.get(key)}"


def assert_atomic(writers: list[Writer], found: set[Key], records: dict[str, str | None]) -> None:
    """A ClientToken and its change commit together: no token without its change, no change
    without its token, no claimed token without its answer."""
    assert all(response is not None for response in records.values()), "half-done claim"
    assert all(op.token in records for w in writers for op in w.acked), "acknowledged, lost"
    for op in (w.in_doubt for w in writers if w.in_doubt):
        assert (op.token in records) == ((op.key in found) == op.adding), op


def write_event_tokens(store: Store, owner: int) -> set[str]:
    """The ClientTokens of the owner's successful share changes, as their audit events say."""
    e = trail_events.c
    names = ("AddCustomImageShareAccount", "RemoveCustomImageShareAccount")
    query = select(e.body).where(e.account_id == owner, e.event_name.in_(names))
    with store.transaction() as conn:
        bodies = [json.loads(row.body) for row in conn.execute(query)]
    return {b["requestParameters"]["ClientToken"] for b in bodies if "errorCode" not in b}


def assert_sqlite_intact(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []


def writers_for(world: World, owner: AccountKeys, images: list[str], store: Store) -> list[Writer]:
    accounts = [a.id for a in make_accounts(store, WRITERS * ADDS_PER_WRITER)]
    return [Writer(world.swas(owner), plan(images, accounts[i::WRITERS])) for i in range(WRITERS)]


def test_sigkill_mid_load_loses_no_acknowledged_write(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as (url, store), ExitStack() as servers:
        server = processes.start(url, tmp_path, workers=2, env=SERVER_ENV)
        servers.callback(server.stop)  # nothing to do once killed; everything if we fail first
        owner = make_accounts(store, 1)[0]
        world = World(server.endpoint, store)
        images = [custom_image(world, owner) for _ in range(2)]
        writers = writers_for(world, owner, images, store)
        load_then_kill(server, writers)
        assert [w.errors for w in writers if w.errors] == []
        assert any(w.in_doubt for w in writers), "the kill did not land mid-load"
        # One worker is enough to check and retry; its process starts three times faster.
        restarted = processes.start(url, tmp_path, workers=1, env=SERVER_ENV)
        servers.callback(restarted.stop)
        check_after_restart(World(restarted.endpoint, store), owner, images, writers)
        assert_logs_clean([server, restarted])


def check_after_restart(
    world: World, owner: AccountKeys, images: list[str], writers: list[Writer]
) -> None:
    found = shares(world.store, images)
    assert_sqlite_intact(world.store)
    assert_acknowledged_state(writers, found)
    records = token_records(world.store, owner.id)
    assert_atomic(writers, found, records)
    # A change and its audit event commit together: an event for every committed change (its
    # token record commits with it), and none for a change that did not commit.
    assert write_event_tokens(world.store, owner.id) == set(records)
    # Each writer retries its last two calls with their tokens: the acknowledged one replays
    # and changes nothing, the one in doubt runs now (or replays, if it had committed).
    client = world.swas(owner)
    retries = [op for w in writers for op in w.attempted()[-2:]]
    assert [answer for answer in (send(client, op) for op in retries) if not answer.ok] == []
    attempted = [op for w in writers for op in w.attempted()]
    intended = {key for key, present in apply(attempted).items() if present}
    assert shares(world.store, images) == intended
