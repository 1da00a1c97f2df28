"""`imageshare ecd desktops`: desktops for CreateImage, scriptable through --json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from imageshare.cli import cli
from imageshare.cli.common import open_store
from imageshare.services.accounts import AdminError
from imageshare.services.ecd_desktops import create_desktop


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    """A database `db upgrade` made: admin commands never make one themselves."""
    database = ["--database", f"sqlite:///{tmp_path}/cli.db"]
    run("db", "upgrade", *database)
    return database


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _account(db: list[str]) -> int:
    account_id: int = json.loads(run("accounts", "create", "--json", *db))["AccountId"]
    return account_id


def test_create_and_list_desktops(db: list[str]) -> None:
    account = _account(db)
    plain = json.loads(
        run("ecd", "desktops", "create", "--account", str(account), "--region", "cn-hangzhou",
            "--json", *db)
    )  # fmt: skip
    assert set(plain) == {"DesktopId"} and re.match(r"^ecd-[a-z0-9]{17}$", plain["DesktopId"])
    secret = json.loads(
        run("ecd", "desktops", "create", "--account", str(account), "--region", "cn-shanghai",
            "--os-type", "LINUX", "--encrypted", "--json", *db)
    )  # fmt: skip
    listed = json.loads(run("ecd", "desktops", "list", "--account", str(account), "--json", *db))
    assert [(d["DesktopId"], d["RegionId"], d["OsType"], d["Encrypted"]) for d in listed] == [
        (plain["DesktopId"], "cn-hangzhou", "Windows", False),
        (secret["DesktopId"], "cn-shanghai", "Linux", True),
    ]
    table = run("ecd", "desktops", "list", "--account", str(account), *db)
    assert plain["DesktopId"] in table and "cn-shanghai" in table
    made = run("ecd", "desktops", "create", "--account", str(account), "--region", "us-east-1", *db)
    assert re.search(r"ecd-[a-z0-9]{17}", made) and "Windows" in made
    store = open_store(db[1])
    try:
        with store.unit_of_work() as uow:
            desktop = uow.ecd_desktops.get(account, "cn-shanghai", secret["DesktopId"])
        assert desktop is not None and desktop.encrypted
    finally:
        store.dispose()


def test_desktop_errors_say_what_to_do(db: list[str]) -> None:
    missing = ["ecd", "desktops", "create", "--account", "1000000000000000", "--region",
               "cn-hangzhou", *db]  # fmt: skip
    result = CliRunner().invoke(cli, missing)
    assert result.exit_code == 1 and "accounts list" in result.output
    account = str(_account(db))
    result = CliRunner().invoke(
        cli, ["ecd", "desktops", "create", "--account", account, "--region", "cn-qingdao", *db]
    )
    assert result.exit_code == 2 and "cn-hangzhou" in result.output
    assert json.loads(run("ecd", "desktops", "list", "--account", account, "--json", *db)) == []


def test_the_service_behind_the_command_checks_what_click_cannot(db: list[str]) -> None:
    account = _account(db)
    store = open_store(db[1])
    try:
        with store.unit_of_work(write=True) as uow:
            for region, os_type, says in (
                ("cn-qingdao", "Windows", "not offered in region 'cn-qingdao'"),
                ("cn-hangzhou", "macOS", "unknown OS type 'macOS'"),
            ):
                with pytest.raises(AdminError, match=says):
                    create_desktop(
                        uow,
                        account_id=account,
                        region_id=region,
                        os_type=os_type,
                        now=uow.clock.now(),
                    )
            assert uow.ecd_desktops.for_account(account) == []
    finally:
        store.dispose()
