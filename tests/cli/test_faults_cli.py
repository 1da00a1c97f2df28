"""``imageshare faults``: add, list, remove and clear rules straight on the database, with a
running server applying them to official-SDK calls from its next call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models as ecs
from click.testing import CliRunner
from support.errors import tea_error

from imageshare.cli import cli
from imageshare.testing.server import serve_in_thread
from imageshare.testing.world import World


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    database = ["--database", f"sqlite:///{tmp_path}/faults.db"]
    run("db", "upgrade", *database)
    return database


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def fail(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code != 0, result.output
    return result.exit_code, result.output


def test_add_list_remove_and_clear(db: list[str]) -> None:
    [added] = json.loads(run("faults", "add", "ecs:DescribeImages", "--count", "2", "--json", *db))
    assert (added["effect"], added["error"], added["status"], added["remaining"]) == (
        "error",
        "ServiceUnavailable",
        503,
        2,
    )
    run("faults", "add", "swas-open:*", "--delay-ms", "150", "--account", "1234567890123456", *db)
    run("faults", "add", "ecs:CopyImage", "--fail-operation", "--region", "cn-beijing", *db)
    listed = json.loads(run("faults", "list", "--json", *db))
    assert [(r["action"], r["effect"]) for r in listed] == [
        ("ecs:DescribeImages", "error"),
        ("swas-open:*", "delay"),
        ("ecs:CopyImage", "fail-operation"),
    ]
    assert listed[1]["delay_ms"] == 150 and listed[1]["account"] == 1234567890123456
    assert "3 fault rules" in run("faults", "list", *db)
    assert run("faults", "remove", str(added["id"]), *db) == f"removed fault rule {added['id']}\n"
    assert run("faults", "clear", *db) == "removed 2 fault rules\n"
    assert json.loads(run("faults", "list", "--json", *db)) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ecs:DescribeImagez"], "no action ecs:DescribeImagez"),
        (["DescribeImages"], "product:Action"),
        (["ecs:DescribeImages", "--error", "Mine"], "needs a status and a message"),
        (["ecs:DescribeImages", "--delay-ms", "5", "--timeout-ms", "5"], "one effect"),
        (["ecs:DescribeImages", "--probability", "1.5"], "probability"),
        (["ecs:DescribeImages", "--count", "-1"], "count must be at least 1"),
    ],
)
def test_bad_rules_are_usage_errors_that_say_why(db: list[str], args: list[str], says: str) -> None:
    code, output = fail("faults", "add", *args, *db)
    assert code == 2 and says in output
    assert json.loads(run("faults", "list", "--json", *db)) == []


def test_removing_a_missing_rule_fails(db: list[str]) -> None:
    code, output = fail("faults", "remove", "7", *db)
    assert code == 1 and "no fault rule 7" in output


def test_the_help_explains_with_examples() -> None:
    text = run("faults", "add", "--help")
    for words in ("product:Action", "--fail-operation", "--probability", "Examples:"):
        assert words in text


def test_a_running_server_applies_a_rule_added_from_the_command_line(db: list[str]) -> None:
    with serve_in_thread(db[1]) as server:
        world = World(server.endpoint, server.store)
        who = world.account()
        run("faults", "add", "ecs:DescribeImages", "--account", str(who.id), "--count", "1", *db)
        request = ecs.DescribeImagesRequest(region_id="cn-hangzhou", image_owner_alias="self")
        error = tea_error(lambda: world.ecs(who).describe_images(request))
        assert (error.code, error.status) == ("ServiceUnavailable", 503)
        assert world.ecs(who).describe_images(request).body.total_count == 0
