"""Reading world files (pure): the documented and the Node example worlds parse, read_world
names its file and refuses what is not UTF-8, policy documents become JSON text, and a
problem's path reads as written (every problem of an invalid file: test_world_schema)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from world_support import ROOT, docs_world, line_of

from imageshare.world import WorldFile, WorldInvalid, parse_world, read_world
from imageshare.world.checks_ram import document_text
from imageshare.world.problems import render_path


def test_the_documented_example_is_a_valid_world() -> None:
    text = docs_world()
    world = parse_world(text, "docs.yaml")
    accounts = {account.name: account for account in world.spec.accounts}
    assert list(accounts) == ["acme", "globex", "initech"]
    assert accounts["initech"].access_keys is None and accounts["initech"].id is None
    # Where each part was written is kept for the loader's messages.
    assert world.lines.line(("shares", 1)) == line_of(text, "ecd_image: acme/designer-golden")
    assert world.lines.line(("accounts", 0, "ram", "users", 1, "policies", 0)) == line_of(
        text, "policies: [AliyunSWASReadOnlyAccess]"
    )


def test_the_node_example_world_is_valid() -> None:
    world = read_world(ROOT / "examples" / "node" / "world.yaml")
    assert isinstance(world, WorldFile) and len(world.spec.accounts) >= 2


def test_read_world_names_the_file_and_refuses_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\naccounts:\n  - nam: a\n")
    with pytest.raises(WorldInvalid) as info:
        read_world(path)
    assert str(info.value).splitlines() == [
        f'{path}:3: accounts[0]: "name" is required',
        f'{path}:3: accounts[0].nam: unknown field "nam" (did you mean "name"?)',
    ]
    path.write_bytes(b"version: 1\n\xff\xfe\n")
    with pytest.raises(WorldInvalid, match="not UTF-8"):
        read_world(path)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"Version": 1, "Statement": []}, {"Version": "1", "Statement": []}),
        ({"Version": "1"}, {"Version": "1"}),
        ({"Version": True}, {"Version": True}),  # not the number 1: left for the parser to refuse
        ({"Version": 2}, {"Version": 2}),
    ],
)
def test_policy_documents_become_json(document: object, expected: object) -> None:
    assert json.loads(str(document_text(document))) == expected


def test_policy_documents_as_text_are_kept_and_others_refused() -> None:
    assert document_text('{"Version": "1"}') == '{"Version": "1"}'
    assert document_text(["not", "a", "document"]) is None


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), ""),
        (("version",), "version"),
        (("accounts", 0), "accounts[0]"),
        (
            ("accounts", 2, "ram", "users", 10, "policies", 0),
            "accounts[2].ram.users[10].policies[0]",
        ),
    ],
)
def test_paths_read_as_written(path: tuple[str | int, ...], text: str) -> None:
    assert render_path(path) == text
