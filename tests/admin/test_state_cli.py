"""``imageshare state``: the same operations as the admin endpoints, straight on the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from state_support import Rows, insert_rows, raw_rows, synthetic_rows

from imageshare.cli import cli
from imageshare.store.database import Store
from imageshare.store.engine import make_engine


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    """A database `db upgrade` made: admin commands never make one themselves."""
    database = ["--database", f"sqlite:///{tmp_path}/state.db"]
    run("db", "upgrade", *database)
    return database


def run(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout  # stderr says when a new database is made


def fail(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 0, result.output
    return result.output


def _store(db: list[str]) -> Store:
    return Store(make_engine(db[1]))


def _fill(db: list[str], seed: int) -> None:
    run("db", "upgrade", *db)
    store = _store(db)
    insert_rows(store, synthetic_rows(per_table=3, seed=seed))
    store.dispose()


def _rows(db: list[str]) -> Rows:
    store = _store(db)
    try:
        return raw_rows(store.engine)
    finally:
        store.dispose()


def test_export_to_a_file_and_import_it_elsewhere(db: list[str], tmp_path: Path) -> None:
    _fill(db, seed=1)
    out = tmp_path / "state.json"
    run("state", "export", "--output", str(out), *db)
    other = ["--database", f"sqlite:///{tmp_path}/other.db"]
    message = run("state", "import", str(out), "--yes", *other)
    assert message.startswith("Imported ") and "rows" in message
    assert _rows(other) == _rows(db)
    assert (
        json.loads(run("state", "export", *other))["tables"]
        == json.loads(out.read_text())["tables"]
    )


def test_import_reads_stdin_and_refuses_bad_documents(db: list[str]) -> None:
    _fill(db, seed=2)
    before = _rows(db)
    assert "is not JSON" in fail("state", "import", "-", "--yes", *db)
    document = json.loads(run("state", "export", *db))
    document["schema_revision"] = "0001"
    result = CliRunner().invoke(cli, ["state", "import", "-", "--yes", *db], json.dumps(document))
    assert result.exit_code == 1 and "schema revision '0001'" in result.output
    assert _rows(db) == before


def test_destructive_commands_ask_first(db: list[str]) -> None:
    _fill(db, seed=3)
    before = _rows(db)
    result = CliRunner().invoke(cli, ["state", "reset", *db], input="n\n")
    assert result.exit_code == 1 and "Continue?" in result.output
    assert _rows(db) == before
    assert "State reset." in run("state", "reset", *db, input="y\n")
    assert all(not rows for rows in _rows(db).values())


def test_snapshot_list_restore_and_delete(db: list[str]) -> None:
    _fill(db, seed=4)
    saved = _rows(db)
    assert "Saved snapshot base" in run("state", "snapshot", "base", *db)
    assert "already exists" in fail("state", "snapshot", "base", *db)
    listed = json.loads(run("state", "snapshots", "--json", *db))
    assert [entry["Name"] for entry in listed] == ["base"] and listed[0]["SizeBytes"] > 0
    assert "base" in run("state", "snapshots", *db)
    run("state", "reset", "--drop-demo", "--yes", *db)
    run("state", "restore", "base", "--yes", *db)
    assert _rows(db) == saved
    assert "Deleted snapshot base" in run("state", "delete-snapshot", "base", *db)
    assert "does not exist" in fail("state", "restore", "base", "--yes", *db)
    assert "is not valid" in fail("state", "snapshot", "no/slash", *db)
