"""A world file's ``faults:`` (docs/world-files.md, "Fault rules"): the documented snippet
loads and the official SDK meets its rules; bad rules are reported at their lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_ecs20140526.client import Client
from support.errors import tea_error
from support.server import running_server
from world_support import DOCS, fresh_store, load_text, sdk_config

from imageshare.world import WorldRefused, parse_world
from imageshare.world.problems import WorldInvalid, render_path


def snippet() -> str:
    found = re.search(r"<!-- world-faults -->\n```yaml\n(.+?)```", DOCS.read_text(), re.DOTALL)
    assert found, "docs/world-files.md lost its fault-rule example"
    return found.group(1)


def test_the_documented_rules_load_and_apply(backend: str, tmp_path: Path) -> None:
    with fresh_store(backend, str(tmp_path)) as store:
        [account] = load_text(store, snippet()).accounts
        with store.unit_of_work() as uow:
            rules = uow.faults.all()
        assert [(r.product, r.action, r.effect) for r in rules] == [
            ("ecs", "DescribeImages", "error"),
            ("ecs", "CopyImage", "error"),
            ("swas-open", "*", "delay"),
        ]
        assert rules[0].account_id == 1000000000000077 and rules[0].remaining == 2
        assert (rules[1].code, rules[1].http_status, rules[1].seed) == ("Throttling.User", 400, 7)
        assert (rules[2].region, rules[2].delay_ms) == ("cn-shanghai", 1500)
        url = store.engine.url.render_as_string(hide_password=False)
        with running_server(url) as (endpoint, _):
            [key] = account.keys
            client = Client(sdk_config(endpoint, key.id, key.secret))
            request = ecs.DescribeImagesRequest(region_id="cn-hangzhou", image_owner_alias="self")
            for _ in range(2):
                error = tea_error(lambda: client.describe_images(request))
                assert error.code == "ServiceUnavailable"
            assert client.describe_images(request).body.total_count == 0


BAD = """\
version: 1
accounts:
  - name: a
faults:
  - action: ecs:DescribeImages
    account: nobody
  - action: DescribeImages
  - action: ecs:DescribeImages
    error: Made.Up
  - action: ecs:DescribeImages
    delay_ms: 5
    timeout_ms: 5
  - action: ecs:DescribeImages
    colour: red
"""


def test_bad_rules_are_reported_at_their_lines() -> None:
    with pytest.raises(WorldInvalid) as info:
        parse_world(BAD)
    found = [(p.line, render_path(p.path), p.message) for p in info.value.problems]
    assert [(line, path) for line, path, _ in found] == [(14, "faults[4].colour")]
    fixed = BAD.replace("    colour: red\n", "")
    with pytest.raises(WorldInvalid) as info:
        parse_world(fixed)
    found = [(p.line, render_path(p.path), p.message) for p in info.value.problems]
    assert [(line, path) for line, path, _ in found] == [
        (6, "faults[0].account"),
        (7, "faults[1]"),
        (8, "faults[2]"),
        (10, "faults[3]"),
    ]
    assert '"nobody" is neither an account name' in found[0][2]
    assert "product:Action" in found[1][2]
    assert "needs a status and a message" in found[2][2]
    assert "one effect" in found[3][2]


def test_an_action_no_product_has_is_refused_when_loaded(backend: str, tmp_path: Path) -> None:
    text = "version: 1\nfaults:\n  - action: ecs:NoSuchThing\n"
    with fresh_store(backend, str(tmp_path)) as store:
        with pytest.raises(WorldRefused) as info:
            load_text(store, text)
        [problem] = info.value.problems
        assert (problem.line, "no action ecs:NoSuchThing" in problem.message) == (3, True)
        with store.unit_of_work() as uow:
            assert uow.faults.all() == []
