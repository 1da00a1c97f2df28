"""Export -> import and snapshot -> restore bring back the state row for row, on SQLite and
PostgreSQL and across the two; a refused import or restore changes nothing; reset empties
every table but can keep the demo account."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from state_support import fresh_store, insert_rows, raw_rows, synthetic_rows

from imageshare.domain.accounts import AccessKey
from imageshare.services import state
from imageshare.services.accounts import create_account
from imageshare.store.database import Store
from imageshare.store.state import state_tables
from imageshare.store.tables import access_keys, accounts, imageshare_snapshots

NOW = datetime(2026, 11, 23, 12, 0, 0)


@pytest.fixture
def source(backend: str, tmp_path: Path) -> Any:
    with fresh_store(backend, str(tmp_path / "source")) as store:
        insert_rows(store, synthetic_rows(per_table=4, seed=7))
        yield store


@pytest.fixture
def target(backend: str, tmp_path: Path) -> Any:
    with fresh_store(backend, str(tmp_path / "target")) as store:
        yield store


def test_synthetic_world_fills_every_table(source: Store) -> None:
    rows = raw_rows(source.engine)
    assert all(rows[table.name] for table in state_tables()), rows


def test_export_then_import_is_equal_row_for_row(source: Store, target: Store) -> None:
    document = json.loads(json.dumps(state.export(source)))
    counts = state.import_(target, document)
    assert raw_rows(target.engine) == raw_rows(source.engine)
    assert counts == {name: len(rows) for name, rows in raw_rows(source.engine).items()}
    assert state.export(target)["tables"] == document["tables"]


def test_import_replaces_what_was_there(source: Store, target: Store) -> None:
    insert_rows(target, synthetic_rows(per_table=3, seed=99))
    state.import_(target, state.export(source))
    assert raw_rows(target.engine) == raw_rows(source.engine)


def test_sqlite_export_imports_into_postgres_and_back(
    source: Store, backend: str, tmp_path: Path
) -> None:
    other = "postgres" if backend == "sqlite" else "sqlite"
    with fresh_store(other, str(tmp_path / "other")) as elsewhere:
        state.import_(elsewhere, state.export(source))
        assert raw_rows(elsewhere.engine) == raw_rows(source.engine)
        state.reset(source, keep_demo=False)
        state.import_(source, state.export(elsewhere))
        assert state.export(source)["tables"] == state.export(elsewhere)["tables"]


def test_a_refused_import_changes_nothing(source: Store, target: Store) -> None:
    insert_rows(target, synthetic_rows(per_table=2, seed=3))
    before = raw_rows(target.engine)
    good = state.export(source)
    broken_value = json.loads(json.dumps(good))
    broken_value["tables"]["images"][-1]["created_at"] = "not a time"
    with pytest.raises(state.StateFormatError, match=r"tables\.images\[3\]\.created_at"):
        state.import_(target, broken_value)
    mismatch = {**good, "schema_revision": "0001"}
    with pytest.raises(state.SchemaMismatch):
        state.import_(target, mismatch)
    assert raw_rows(target.engine) == before


def test_rows_that_break_a_constraint_are_refused_and_roll_back(
    source: Store, target: Store
) -> None:
    insert_rows(target, synthetic_rows(per_table=2, seed=3))
    before = raw_rows(target.engine)
    orphan = json.loads(json.dumps(state.export(source)))
    orphan["tables"]["accounts"] = []  # every key, image and share now points nowhere
    with pytest.raises(state.StateFormatError, match="the rows break a rule of the schema"):
        state.import_(target, orphan)
    duplicate = json.loads(json.dumps(state.export(source)))
    duplicate["tables"]["accounts"].append(duplicate["tables"]["accounts"][0])
    with pytest.raises(state.StateFormatError, match="the rows break a rule of the schema"):
        state.import_(target, duplicate)
    assert raw_rows(target.engine) == before


def test_snapshot_restore_brings_back_exactly_what_was_saved(source: Store) -> None:
    saved = raw_rows(source.engine)
    info = state.save_snapshot(source, "before-change", now=NOW)
    assert (info.name, info.created_at) == ("before-change", NOW) and info.size_bytes > 0
    state.reset(source, keep_demo=False)
    insert_rows(source, synthetic_rows(per_table=2, seed=11))
    assert raw_rows(source.engine) != saved
    state.restore_snapshot(source, "before-change")
    assert raw_rows(source.engine) == saved
    assert [s.name for s in state.list_snapshots(source)] == ["before-change"]


def test_snapshots_are_kept_out_of_the_state_they_save(source: Store) -> None:
    state.save_snapshot(source, "one", now=NOW)
    state.save_snapshot(source, "two", now=NOW)
    assert "imageshare_snapshots" not in state.export(source)["tables"]
    state.restore_snapshot(source, "one")
    state.reset(source, keep_demo=False)
    with source.engine.connect() as conn:
        assert len(conn.execute(select(imageshare_snapshots)).all()) == 2
    assert {s.name for s in state.list_snapshots(source)} == {"one", "two"}


def test_snapshot_names_conflicts_replace_and_delete(source: Store) -> None:
    state.save_snapshot(source, "base", now=NOW)
    with pytest.raises(state.StateSnapshotExists, match="'base' already exists"):
        state.save_snapshot(source, "base", now=NOW)
    state.reset(source, keep_demo=False)
    state.save_snapshot(source, "base", now=NOW, replace=True)
    insert_rows(source, synthetic_rows(per_table=1, seed=5))
    state.restore_snapshot(source, "base")
    assert all(rows == [] for rows in raw_rows(source.engine).values())
    state.delete_snapshot(source, "base")
    with pytest.raises(state.StateSnapshotNotFound, match="'base' does not exist"):
        state.restore_snapshot(source, "base")
    with pytest.raises(state.StateSnapshotNotFound):
        state.delete_snapshot(source, "base")


@pytest.mark.parametrize("bad", ["", "../etc", "a b", "-dash", "x" * 129, "name\n"])
def test_a_snapshot_name_outside_the_rules_is_refused(target: Store, bad: str) -> None:
    with pytest.raises(state.InvalidStateSnapshotName):
        state.save_snapshot(target, bad, now=NOW)


def test_reset_empties_every_table_and_keeps_the_demo_accounts_if_asked(
    backend: str, tmp_path: Path
) -> None:
    with fresh_store(backend, str(tmp_path)) as store:
        with store.unit_of_work(write=True) as uow:
            demo, _ = create_account(uow, site="china", now=NOW, demo=True)
            uow.commit()
        insert_rows(store, synthetic_rows(per_table=4, seed=1))
        before = _by_table(store)
        demos = [row for row in before["accounts"] if row["is_demo"]]
        demo_keys = [
            key
            for key in before["access_keys"]
            if key["account_id"] in {row["id"] for row in demos} and key["user_name"] is None
        ]
        assert state.reset(store) in {row["id"] for row in demos}
        after = _by_table(store)
        assert _sorted(after["accounts"]) == _sorted(demos) and demo.id in _ids(after["accounts"])
        assert _sorted(after["access_keys"]) == _sorted(demo_keys)
        assert all(not rows for name, rows in after.items() if name not in _DEMO_TABLES)
        assert state.reset(store, keep_demo=False) is None
        assert all(not rows for rows in raw_rows(store.engine).values())


_DEMO_TABLES = {accounts.name, access_keys.name}


def _by_table(store: Store) -> dict[str, list[dict[str, Any]]]:
    with store.engine.connect() as conn:
        return {
            table.name: [dict(row._mapping) for row in conn.execute(select(table))]
            for table in state_tables()
        }


def _sorted(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)


def _ids(rows: list[dict[str, Any]]) -> set[Any]:
    return {row["id"] for row in rows}


def test_reset_keeps_the_demo_keys_but_not_its_ram_user_keys(backend: str, tmp_path: Path) -> None:
    with fresh_store(backend, str(tmp_path)) as store:
        with store.unit_of_work(write=True) as uow:
            demo, root_key = create_account(uow, site="china", now=NOW, demo=True)
            ram_key = {**root_key.__dict__, "id": "LTAIramuserkey", "user_name": "alice"}
            uow.access_keys.add(AccessKey(**ram_key))
            uow.commit()
        state.reset(store)
        assert [row[0] for row in raw_rows(store.engine)["access_keys"]] == [root_key.id]
