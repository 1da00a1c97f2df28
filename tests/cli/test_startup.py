"""Start-up that fails early and clearly: one line saying what to fix, before anything is
printed, written or created; admin commands never make a database; `serve` says loudly
when it makes one."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from imageshare.cli import cli


def _invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def _one_line_error(result: Result, *expected: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for text in expected:
        assert text in lines[0], lines[0]


def test_a_taken_port_stops_serve_before_anything_is_written(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        database = f"sqlite:///{tmp_path}/db.sqlite"
        result = _invoke("serve", "--port", port, "--database", database)
    _one_line_error(result, f"127.0.0.1:{port}", "in use", "--port")
    assert list(tmp_path.iterdir()) == [], "no database, no ledger"


BAD_DATABASES = [
    ("not a url", "is not a database URL"),
    ("mysql+nodriver://u@h/db", "unknown database driver"),
    ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open the database"),
]


@pytest.mark.parametrize(("url", "says"), BAD_DATABASES)
@pytest.mark.parametrize(
    "command", [("serve", "--port", "0"), ("accounts", "list"), ("db", "upgrade")]
)
def test_a_bad_database_is_one_line(command: tuple[str, ...], url: str, says: str) -> None:
    _one_line_error(
        _invoke(*command, "--database", url), says, "sqlite:///FILE" if "URL" in says else ""
    )


@pytest.mark.parametrize("command", [("serve", "--port", "0"), ("db", "upgrade")])
def test_a_missing_directory_is_one_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    database = f"sqlite:///{tmp_path}/nowhere/db.sqlite"
    _one_line_error(
        _invoke(*command, "--database", database), f"{tmp_path}/nowhere", "does not exist"
    )


@pytest.mark.parametrize(
    "command",
    [
        ("accounts", "list"),
        ("keys", "list", "--account", "1000000000000001"),
        ("state", "export"),
        ("ecd", "desktops", "list", "--account", "1000000000000001"),
    ],
)
def test_admin_commands_never_create_a_database(tmp_path: Path, command: tuple[str, ...]) -> None:
    database = f"sqlite:///{tmp_path}/imageshare.db"
    result = _invoke(*command, "--database", database)
    _one_line_error(result, f"no database at {tmp_path}/imageshare.db", "imageshare db upgrade")
    assert list(tmp_path.iterdir()) == []


def test_db_upgrade_says_loudly_it_made_a_new_database(tmp_path: Path) -> None:
    result = _invoke("db", "upgrade", "--database", f"sqlite:///{tmp_path}/new.db")
    assert result.exit_code == 0, result.output
    assert f"Created a NEW, EMPTY database at {tmp_path}/new.db" in result.stderr
    again = _invoke("db", "upgrade", "--database", f"sqlite:///{tmp_path}/new.db")
    assert "Created" not in again.output


def test_an_unknown_log_level_stops_serve_before_anything_is_written(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path}/db.sqlite"
    env = {"IMAGESHARE_LOG_LEVEL": "loud"}
    result = _invoke("serve", "--port", "0", "--database", database, env=env)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "log-level" in result.output and "loud" in result.output
    assert list(tmp_path.iterdir()) == []
