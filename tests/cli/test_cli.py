"""The admin CLI: scriptable through --json, helpful on errors, --help everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from imageshare.cli import cli


@pytest.fixture
def new_db(tmp_path: Path) -> list[str]:
    return ["--database", f"sqlite:///{tmp_path}/cli.db"]


@pytest.fixture
def db(new_db: list[str]) -> list[str]:
    """A database `db upgrade` made: admin commands never make one themselves."""
    run("db", "upgrade", *new_db)
    return new_db


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_accounts_create_json_and_list(db: list[str]) -> None:
    created = json.loads(run("accounts", "create", "--site", "international", "--json", *db))
    assert set(created) == {"AccountId", "Site", "AccessKeyId", "AccessKeySecret"}
    assert isinstance(created["AccountId"], int) and str(created["AccountId"]).startswith("1")
    assert created["Site"] == "international"
    listed = json.loads(run("accounts", "list", "--json", *db))
    assert [a["AccountId"] for a in listed] == [created["AccountId"]]
    assert str(created["AccountId"]) in run("accounts", "list", *db)


def test_keys_lifecycle(db: list[str]) -> None:
    account = json.loads(run("accounts", "create", "--json", *db))["AccountId"]
    key = json.loads(run("keys", "create", "--account", str(account), "--json", *db))
    assert key["AccountId"] == account and len(key["AccessKeySecret"]) == 30

    def statuses() -> dict[str, str]:
        listed = json.loads(run("keys", "list", "--account", str(account), "--json", *db))
        return {k["AccessKeyId"]: k["Status"] for k in listed}

    assert statuses()[key["AccessKeyId"]] == "Active"
    run("keys", "disable", key["AccessKeyId"], *db)
    assert statuses()[key["AccessKeyId"]] == "Inactive"
    run("keys", "enable", key["AccessKeyId"], *db)
    assert statuses()[key["AccessKeyId"]] == "Active"
    run("keys", "delete", key["AccessKeyId"], *db)
    assert key["AccessKeyId"] not in statuses()
    assert len(statuses()) == 1


def test_errors_say_what_to_do(db: list[str]) -> None:
    result = CliRunner().invoke(cli, ["keys", "disable", "LTAInope", *db])
    assert result.exit_code == 1
    assert "does not exist" in result.output and "keys list" in result.output
    result = CliRunner().invoke(cli, ["keys", "create", "--account", "1000000000000000", *db])
    assert result.exit_code == 1 and "accounts list" in result.output


def test_db_upgrade_is_repeatable(new_db: list[str]) -> None:
    assert "Upgraded database from empty" in run("db", "upgrade", *new_db)
    assert "up to date" in run("db", "upgrade", *new_db)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=lambda p: " ".join(p) or "imageshare")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    output = run(*path, "--help")
    assert "Usage:" in output
    assert len(output.splitlines()) > 3
