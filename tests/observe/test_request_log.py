"""The request log through the official SDKs: a line per call with who, what and how it ended,
in text and JSON; never a secret, signature or token; escaped caller text."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest
from alibabacloud_sts20150401 import models as sts
from alibabacloud_swas_open20200601 import models as swas
from support import ram
from support.logs import Records, attached
from support.raw import rpc_params, send
from support.server import running_server
from support.world import World
from Tea.exceptions import TeaException

from imageshare.http.requestlog import REQUEST_LOGGER, JsonFormatter, TextFormatter

ADMIN_TOKEN = "observe-admin-token-0123456789"


class Lines(Records):
    def json(self) -> list[dict[str, object]]:
        formatter = JsonFormatter()
        return [json.loads(formatter.format(r)) for r in self.records]

    def text(self) -> str:
        formatter = TextFormatter()
        return "\n".join(formatter.format(r) for r in self.records)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = f"sqlite:///{tmp_path_factory.mktemp('log') / 'log.db'}"
    with running_server(url, admin_token=ADMIN_TOKEN) as (endpoint, store):
        yield World(endpoint, store)


@pytest.fixture
def lines() -> Iterator[Lines]:
    with attached(Lines(), REQUEST_LOGGER) as handler:
        yield handler


def test_a_line_per_call_with_who_what_and_how_it_ended(world: World, lines: Lines) -> None:
    owner = world.account()
    ok = world.swas(owner).list_regions(swas.ListRegionsRequest())
    with pytest.raises(TeaException) as failed:
        world.swas(owner).list_custom_image_share_accounts(
            swas.ListCustomImageShareAccountsRequest(region_id="cn-hangzhou", image_id="m-nope")
        )
    first, second = lines.json()
    assert first["request_id"] == ok.body.request_id
    assert (first["product"], first["version"], first["action"]) == (
        "swas-open",
        "2020-06-01",
        "ListRegions",
    )
    assert (first["account_id"], first["principal_type"], first["principal_name"]) == (
        owner.id,
        "Account",
        "root",
    )
    assert (first["source_ip"], first["status"], first["error_code"]) == ("127.0.0.1", 200, "")
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] > 0
    assert str(first["time"]).endswith("Z") and first["level"] == "INFO"
    assert second["request_id"] == failed.value.data["RequestId"]
    assert (second["action"], second["status"]) == ("ListCustomImageShareAccounts", 404)
    assert second["error_code"] == failed.value.code


def test_ram_users_and_role_sessions_are_named(world: World, lines: Lines) -> None:
    owner = world.account()
    name, alice = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    world.sts(alice).get_caller_identity()
    role_arn = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    keys = ram.session(world, alice, role_arn)
    session_name = world.sts(keys).get_caller_identity().body.arn.rsplit("/", 1)[1]
    callers = [
        (line["principal_type"], line["principal_name"])
        for line in lines.json()
        if line["action"] == "GetCallerIdentity"
    ]
    role_name = role_arn.rsplit("/", 1)[1]
    assert callers == [("SubUser", name), ("AssumedRoleUser", f"{role_name}:{session_name}")]


def test_no_secret_signature_or_token_in_any_line(world: World, lines: Lines) -> None:
    owner = world.account()
    _, alice = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    request = sts.AssumeRoleRequest(role_arn=role_arn, role_session_name="s1")
    credentials = world.sts(alice).assume_role(request).body.credentials
    session = ram.session(world, alice, role_arn)
    world.sts(session).get_caller_identity()
    signed = rpc_params(owner.key_id, owner.secret, "ListRegions", "2020-06-01", [])
    assert send(world.endpoint, signed).status == 200
    signature = dict(signed)["Signature"]
    both = lines.text() + "\n".join(json.dumps(line) for line in lines.json())
    assert len(lines.records) >= 8
    for secret in (
        owner.secret,
        alice.secret,
        credentials.access_key_secret,
    ):
        assert secret not in both
    for token in (credentials.security_token, session.security_token, signature, ADMIN_TOKEN):
        assert token and token not in both


def test_callers_text_cannot_break_a_line(world: World, lines: Lines) -> None:
    owner = world.account()
    action = 'List"Regions\nforged=line status=200 ' + "x" * 500
    signed = rpc_params(owner.key_id, owner.secret, action, "2020-06-01", [])
    assert send(world.endpoint, signed).status == 404
    text = lines.text()
    assert "\n" not in text and "forged=line" in text
    (line,) = lines.json()
    assert line["action"] == action[:64] and line["error_code"] == "InvalidAction.NotFound"
    quoted = re.search(r' action=("(?:[^"\\]|\\.)*") account_id=', text)
    assert quoted and json.loads(quoted.group(1)) == action[:64]
    assert " source_ip=127.0.0.1 status=404 error_code=InvalidAction.NotFound " in text


def test_the_log_is_silent_below_its_level(world: World, lines: Lines) -> None:
    logging.getLogger(REQUEST_LOGGER).setLevel(logging.WARNING)
    world.swas(world.account()).list_regions(swas.ListRegionsRequest())
    assert lines.records == []


def test_lines_are_json_objects_or_key_value_text(world: World, lines: Lines) -> None:
    world.swas(world.account()).list_regions(swas.ListRegionsRequest())
    text = lines.text()
    time, level, *pairs = text.split(" ")
    assert time.endswith("Z") and level == "INFO"
    fields = dict(pair.split("=", 1) for pair in pairs)
    assert list(fields) == [k for k in lines.json()[0] if k not in ("time", "level")]
    assert (fields["action"], fields["error_code"], fields["status"]) == ("ListRegions", "-", "200")
