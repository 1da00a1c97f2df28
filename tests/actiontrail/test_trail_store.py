"""The audit trail's store side: retention, the batches of reads' events (written by the call
that fills one, or by the background writer), what a reset does to them, and the secret
filter of requestParameters."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alibabacloud_actiontrail20200706 import models as at
from alibabacloud_swas_open20200601 import models as swas
from sqlalchemy import func, select
from support.databases import migrated_store
from support.server import running_server
from support.world import AccountKeys, World

from imageshare.domain.audit import ROW_FIELDS, request_parameters
from imageshare.services import state
from imageshare.store import trail_buffer
from imageshare.store.database import Store
from imageshare.store.tables import trail_events


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with running_server(f"sqlite:///{tmp_path / 'trail.db'}") as (endpoint, store):
        yield World(endpoint, store)


def stored(world: World, account: int) -> int:
    query = select(func.count()).where(trail_events.c.account_id == account)
    with world.store.transaction() as conn:
        return int(conn.execute(query).scalar_one())


def old_event(account: AccountKeys, days: int) -> tuple[object, ...]:
    moment = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=days)
    body = {"eventId": f"old-{days}", "eventTime": moment.strftime("%Y-%m-%dT%H:%M:%SZ")}
    row = {
        "event_id": f"old-{days}",
        "account_id": account.id,
        "event_time": moment,
        "event_name": "ListRegions",
        "event_rw": "Read",
        "service_name": "Swas-open",
        "resource_type": None,
        "resource_name": None,
        "access_key_id": account.key_id,
        "user_name": "root",
        "body": json.dumps(body),
    }
    return tuple(row[name] for name in ROW_FIELDS)


def test_an_event_row_holds_the_tables_columns_in_order() -> None:
    """Events are written by position (Statement.run_many): a column added to the table, or
    moved, must be added to ROW_FIELDS in the same place."""
    assert tuple(column.key for column in trail_events.columns) == ROW_FIELDS


def test_events_beyond_retention_are_neither_answered_nor_kept(world: World) -> None:
    who = world.account()
    with world.store.unit_of_work(write=True) as uow:
        uow.trail.add([old_event(who, 30), old_event(who, 100)])
        uow.commit()
    now = datetime.now(UTC)
    window = at.LookupEventsRequest(
        start_time=(now - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        end_time=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        max_results="50",
    )
    found = world.actiontrail(who).lookup_events(window).body.events
    ids = {event["eventId"] for event in found}
    assert "old-30" in ids and "old-100" not in ids  # 90 days by default
    world.store.trail._pruned_at = None  # the hourly prune is due
    world.store.trail.flush()
    assert stored(world, who.id) == 2  # old-30 and the lookup's own event; old-100 is gone


def test_a_reads_event_is_written_by_the_background_writer(world: World) -> None:
    who = world.account()
    world.swas(who).list_regions(swas.ListRegionsRequest())
    deadline = time.monotonic() + trail_buffer.FLUSH_SECONDS * 5
    while stored(world, who.id) == 0:
        assert time.monotonic() < deadline, "the read's event was never written"
        time.sleep(0.05)


def numbered(account: AccountKeys, count: int) -> list[tuple[object, ...]]:
    """``count`` events of ``account``, a day old, each with its own id."""
    event = old_event(account, days=1)
    return [(*event[:2], f"event-{n:04d}", *event[3:]) for n in range(count)]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_call_that_fills_a_batch_writes_it_in_its_own_thread(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under load a batch is written by the request that completes it: a background writer
    and the request thread handed the GIL to each other once per row (docs/performance.md).
    The timer is pushed out of reach, so only the filling call can have written it; the
    hourly prune, a large delete, is left to the writer (here: the closing flush)."""
    monkeypatch.setattr(trail_buffer, "FLUSH_SECONDS", 3600.0)
    account = AccountKeys(1_234_500_000_000_002, "china", "LTAIbatch0000000000000002", "secret")
    events = numbered(account, trail_buffer.FLUSH_AT + 1)
    with migrated_store(backend, str(tmp_path)) as store:
        store.trail.retention = timedelta(days=90)  # and a prune is due
        writes: list[tuple[str, bool]] = []
        write = store.trail._write

        def noted(rows: list[tuple[object, ...]], *, prune: bool) -> None:
            writes.append((threading.current_thread().name, prune))
            write(rows, prune=prune)

        monkeypatch.setattr(store.trail, "_write", noted)
        for event in events[: trail_buffer.FLUSH_AT - 1]:
            store.trail.add(event)
        assert count_events(store) == 0
        store.trail.add(events[trail_buffer.FLUSH_AT - 1])
        assert count_events(store) == trail_buffer.FLUSH_AT
        assert writes == [(threading.current_thread().name, False)]
        store.trail.add(events[-1])  # the next batch starts empty
        assert count_events(store) == trail_buffer.FLUSH_AT
        store.trail.close()
        assert count_events(store) == trail_buffer.FLUSH_AT + 1
        assert any(prune for _, prune in writes[1:])  # closing pruned (a day-old event stays)


def test_a_refused_batch_is_kept_and_the_call_that_filled_it_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A database that refuses a batch is tried again by the background writer, once a
    second, not by every call from then on."""
    monkeypatch.setattr(trail_buffer, "FLUSH_SECONDS", 3600.0)
    account = AccountKeys(1_234_500_000_000_003, "china", "LTAIbatch0000000000000003", "secret")
    events = numbered(account, trail_buffer.FLUSH_AT + 10)
    with migrated_store("sqlite", str(tmp_path)) as store:
        write = store.trail._write
        refusals: list[int] = []

        def refuse(rows: list[tuple[object, ...]], *, prune: bool) -> None:
            refusals.append(len(rows))
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(store.trail, "_write", refuse)
        for event in events:
            store.trail.add(event)  # the batch is refused: no call raises
        assert refusals == [trail_buffer.FLUSH_AT]  # and the calls after it do not try again
        assert "kept for a retry" in caplog.text
        monkeypatch.setattr(store.trail, "_write", write)
        store.trail.flush()
        assert count_events(store) == trail_buffer.FLUSH_AT + 10
        store.trail.close()


def count_events(store: Store) -> int:
    with store.transaction() as conn:
        return int(conn.execute(select(func.count()).select_from(trail_events)).scalar_one())


def test_a_reset_drops_the_events_still_waiting(world: World) -> None:
    who = world.account()
    world.store.trail.close()  # stop the writer, so the event below can only wait
    world.swas(who).list_regions(swas.ListRegionsRequest())
    state.reset(world.store, keep_demo=False)
    world.store.trail.flush()
    assert stored(world, who.id) == 0


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (
            [("RegionId", "cn-hangzhou"), ("ImageId", "m-1")],
            {"RegionId": "cn-hangzhou", "ImageId": "m-1"},
        ),
        ([("AccessKeySecret", "s"), ("Password", "p"), ("NewPassword", "p")], {}),
        ([("SecurityToken", "t"), ("Signature", "x"), ("PrivateKeyBody", "k")], {}),
        ([("ClientToken", "abc")], {"ClientToken": "abc"}),
        ([("Account.1", "1"), ("Account.1", "2")], {"Account.1": "1"}),
        ([("Description", "x" * 2000)], {"Description": "x" * 1024 + "..."}),
    ],
)
def test_request_parameters_leave_secrets_out(
    sent: list[tuple[str, str]], kept: dict[str, str]
) -> None:
    assert request_parameters(sent) == kept


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@pytest.mark.parametrize("count", [1, 250])
def test_a_batch_of_events_is_kept_whole_and_in_order(
    tmp_path: Path, backend: str, count: int
) -> None:
    """Events go in by position (Statement.run_many), one or a batch writer's many: every
    event is kept, with its own values."""
    account = AccountKeys(1_234_500_000_000_001, "china", "LTAIbatch0000000000000001", "secret")
    events = [
        (*old_event(account, days=1)[:2], f"batch-{n:04d}", *old_event(account, 1)[3:])
        for n in range(count)
    ]
    with migrated_store(backend, str(tmp_path)) as store:
        with store.unit_of_work(write=True) as uow:
            uow.trail.add(events)
            uow.commit()
        query = select(trail_events.c.event_id, trail_events.c.access_key_id)
        with store.transaction() as conn:
            kept = sorted(conn.execute(query).all())
    assert kept == [(f"batch-{n:04d}", account.key_id) for n in range(count)]
