"""The clock's admin endpoints over real HTTP and ``imageshare clock`` on the database: the
same changes, the same answers, the same refusals; the SDK sees the time they set."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from state_support import admin_call, admin_server

from imageshare.cli import cli
from imageshare.domain.times import utcnow
from imageshare.testing.server import RunningServer
from imageshare.testing.world import World


@pytest.fixture(scope="module")
def admin(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with admin_server(backend, str(tmp_path_factory.mktemp(f"clock-{backend}"))) as server:
        yield server


@pytest.fixture(autouse=True)
def real_time_after(admin: RunningServer) -> Iterator[None]:
    yield
    assert admin_call(admin, "POST", "clock/reset").status == 200


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.removesuffix("Z"))


def test_show_freeze_advance_resume_reset(admin: RunningServer) -> None:
    shown = admin_call(admin, "GET", "clock").body
    assert shown["frozen"] is False and shown["offset_seconds"] == 0.0
    assert abs(_moment(shown["now"]) - utcnow()) < timedelta(seconds=5)

    frozen = admin_call(admin, "POST", "clock/freeze").body
    assert frozen["frozen"] is True
    advanced = admin_call(admin, "POST", "clock/advance", {"minutes": 10, "seconds": 5}).body
    assert _moment(advanced["now"]) - _moment(frozen["now"]) == timedelta(minutes=10, seconds=5)
    assert admin_call(admin, "GET", "clock").body["now"] == advanced["now"]

    resumed = admin_call(admin, "POST", "clock/resume").body
    assert resumed["frozen"] is False and resumed["now"] == advanced["now"]
    assert resumed["offset_seconds"] == pytest.approx(605, abs=5)

    back = admin_call(admin, "POST", "clock/reset").body
    assert (back["frozen"], back["offset_seconds"]) == (False, 0.0)


def test_the_api_answers_on_the_clock_the_admin_set(admin: RunningServer) -> None:
    world = World(admin.endpoint, admin.store)
    who = world.account()
    frozen = _moment(admin_call(admin, "POST", "clock/freeze").body["now"])
    admin_call(admin, "POST", "clock/advance", {"hours": 5})
    identity = world.sts(who).get_caller_identity().body  # signed with the real time
    assert identity.account_id == str(who.id)
    assert world.clock.now() == frozen + timedelta(hours=5)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "InvalidBody"),
        ({"days": 1}, 400, "InvalidBody"),
        ([10], 400, "InvalidBody"),
        ({"minutes": "10"}, 400, "InvalidClockStep"),
        ({"seconds": -1}, 400, "InvalidClockStep"),
        ({"hours": 1e9}, 400, "InvalidClockStep"),
    ],
)
def test_a_bad_step_is_refused_and_changes_nothing(
    admin: RunningServer, body: Any, status: int, code: str
) -> None:
    before = admin_call(admin, "POST", "clock/freeze").body["now"]
    reply = admin_call(admin, "POST", "clock/advance", body)
    assert (reply.status, reply.body["code"]) == (status, code)
    assert "minutes" in reply.body["message"]
    assert admin_call(admin, "GET", "clock").body["now"] == before


def test_the_clock_needs_the_token_and_its_methods(admin: RunningServer) -> None:
    assert admin_call(admin, "GET", "clock", token=None).status == 401
    assert admin_call(admin, "POST", "clock/freeze", token="wrong-token-0123456789").status == 401
    reply = admin_call(admin, "GET", "clock/freeze")
    assert (reply.status, reply.headers.get("allow")) == (405, "POST")
    assert admin_call(admin, "POST", "clock/rewind").status == 404


def _cli(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["clock", *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def test_the_clock_commands(tmp_path: Path) -> None:
    database = ["--database", f"sqlite:///{tmp_path}/clock.db"]
    CliRunner().invoke(cli, ["db", "upgrade", *database], catch_exceptions=False)
    frozen = _cli("freeze", *database)
    advanced = _cli("advance", "--hours", "1", "--minutes", "30", *database)
    assert _moment(advanced["now"]) - _moment(frozen["now"]) == timedelta(hours=1, minutes=30)
    assert _cli("show", *database)["now"] == advanced["now"]
    assert _cli("resume", *database)["frozen"] is False
    assert _cli("reset", *database)["offset_seconds"] == 0.0
    text = CliRunner().invoke(cli, ["clock", "show", *database], catch_exceptions=False)
    assert "running, real time +0s" in text.stdout
    refused = CliRunner().invoke(cli, ["clock", "advance", "--seconds", "-5", *database])
    assert refused.exit_code == 2 and "only moves forward" in refused.output
