"""`imageshare world check | load`: every problem by line, summaries that can be copied from,
JSON for scripts, and a refused load that leaves the database as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support.databases import database_url
from world_support import docs_world, line_of, row_counts

from imageshare.cli import cli
from imageshare.cli.common import open_store


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "world.yaml"
    path.write_text(docs_world())
    return path


def test_check_accepts_the_documented_example(example: Path) -> None:
    result = _run("world", "check", str(example))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{example} is a valid world: 3 accounts, 2 SWAS images, 1 ECD images, 2 shares.\n"
    )


def test_check_reports_every_problem_by_line_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    text = docs_world().replace("AliyunSWASReadOnlyAccess", "AliyunSWASReadOnlyAcess")
    text = text.replace(
        "instance: web-builder\n          id:", "instance: web-buidler\n          id:"
    )
    path.write_text(text)
    result = _run("world", "check", str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"Error: {path} is not a valid world file:"
    assert lines[1:] == [
        f"{path}:{line_of(text, 'AliyunSWASReadOnlyAcess')}: accounts[0].ram.users[1]"
        '.policies[0]: unknown policy "AliyunSWASReadOnlyAcess": not a system policy, nor '
        'declared in this account\'s ram.policies (did you mean "AliyunSWASReadOnlyAccess"?)',
        f"{path}:{line_of(text, 'web-buidler')}: accounts[0].swas.images[0].instance: "
        'no instance "web-buidler" in this account\'s swas',
    ]


def test_check_of_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("world", "check", str(tmp_path / "nowhere.yaml"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_load_prints_keys_and_ids_whole_then_refuses_a_second_load(
    example: Path, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path}/cli.db"
    result = _run("world", "load", str(example), "--database", database)
    assert result.exit_code == 0, result.output
    # Tables are never cut, even at rich's 80 columns for a pipe: ids are copied from them.
    for whole in (
        "LTAIacme0000000000000001", "acme-root-secret-0000000000001", "1000000000000001",
        "m-acmegoldenweb0000001", "m-acmedesigner00001", "1000000000000002",
    ):  # fmt: skip
        assert whole in result.output
    assert "RAM groups: 1" in result.output and "shares: 3" in result.output
    store = open_store(database)
    try:
        before = row_counts(store)
        again = _run("world", "load", str(example), "--database", database)
        assert again.exit_code == 1
        assert f"{example} was not loaded (the database is unchanged):" in again.output
        assert f"{example}:{line_of(docs_world(), 'id: 1000000000000001')}: accounts[0].id" in (
            again.output
        )
        assert row_counts(store) == before
    finally:
        store.dispose()


def test_load_json_on_each_backend(backend: str, example: Path, tmp_path: Path) -> None:
    with database_url(backend, str(tmp_path)) as url:
        result = _run("world", "load", str(example), "--json", "--database", url)
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)  # stderr says when a new database is made
        accounts = {a["Name"]: a for a in document["Accounts"]}
        assert accounts["acme"]["AccountId"] == 1000000000000001
        assert {(k["AccessKeyId"], k["UserName"]) for k in accounts["acme"]["AccessKeys"]} == {
            ("LTAIacme0000000000000001", None),
            ("LTAIacmebot0000000000001", "release-bot"),
            ("LTAIacmeaudit00000000001", "auditor"),
        }
        initech = accounts["initech"]
        assert initech["Site"] == "international" and len(initech["AccessKeys"]) == 1
        shared = {i["Name"]: i["SharedWith"] for i in document["Images"]}
        assert shared["designer-golden"] == [1000000000000002, initech["AccountId"]]
        assert document["Counts"]["RAM users"] == 2
        listed = _run("accounts", "list", "--json", "--database", url)
        ids = {a["AccountId"] for a in json.loads(listed.output)}
        assert ids == {1000000000000001, 1000000000000002, initech["AccountId"]}
