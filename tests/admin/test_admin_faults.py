"""The fault-rule admin endpoints over real HTTP (docs/admin.md, "Fault rules"), with the
official SDK seeing the rules applied; reset clears them, a snapshot keeps them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alibabacloud_ecs20140526 import models as ecs
from state_support import admin_call, admin_server
from support.errors import tea_error

from imageshare.testing.server import RunningServer
from imageshare.testing.world import AccountKeys, World

REGION = "cn-hangzhou"


@pytest.fixture(scope="module")
def admin(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with admin_server(backend, str(tmp_path_factory.mktemp(f"faults-{backend}"))) as server:
        yield server


@pytest.fixture
def world(admin: RunningServer) -> Iterator[World]:
    yield World(admin.endpoint, admin.store)
    admin.reset()


def _describe(world: World, who: AccountKeys) -> Any:
    request = ecs.DescribeImagesRequest(region_id=REGION, image_owner_alias="self")
    return world.ecs(who).describe_images(request)


def test_add_list_and_remove_a_rule(admin: RunningServer, world: World) -> None:
    who = world.account()
    body = {"action": "ecs:DescribeImages", "account": who.id, "error": "Throttling.User"}
    added = admin_call(admin, "POST", "faults", {**body, "count": 1})
    assert added.status == 201
    assert added.body["effect"] == "error" and added.body["remaining"] == 1
    assert (added.body["status"], added.body["error"]) == (400, "Throttling.User")
    assert tea_error(lambda: _describe(world, who)).code == "Throttling.User"
    listed = admin_call(admin, "GET", "faults").body["faults"]
    assert [(r["id"], r["seen"], r["fired"], r["remaining"]) for r in listed] == [
        (added.body["id"], 1, 1, 0)
    ]
    assert _describe(world, who).body.total_count == 0, "its one call is used up"
    assert admin_call(admin, "DELETE", f"faults/{added.body['id']}").body == {"removed": 1}
    assert admin_call(admin, "GET", "faults").body == {"faults": []}


def test_clear_removes_every_rule(admin: RunningServer, world: World) -> None:
    for action in ("ecs:DescribeImages", "ecs:CopyImage", "swas-open:*"):
        assert admin_call(admin, "POST", "faults", {"action": action}).status == 201
    assert admin_call(admin, "DELETE", "faults").body == {"removed": 3}
    assert admin_call(admin, "GET", "faults").body == {"faults": []}


def test_reset_clears_the_rules_and_a_snapshot_keeps_them(
    admin: RunningServer, world: World
) -> None:
    who = world.account()
    admin_call(admin, "POST", "faults", {"action": "ecs:DescribeImages", "account": who.id})
    admin_call(admin, "POST", "snapshots", {"name": "with-a-fault", "replace": True})
    assert admin_call(admin, "POST", "reset").status == 200
    assert admin_call(admin, "GET", "faults").body == {"faults": []}
    admin_call(admin, "POST", "snapshots/with-a-fault/restore")
    assert tea_error(lambda: _describe(world, who)).code == "ServiceUnavailable"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"action": "ecs:NoSuchAction"}, "no action ecs:NoSuchAction"),
        ({"action": "DescribeImages"}, "product:Action"),
        ({"count": 2}, '"action"'),
        ({"action": "ecs:DescribeImages", "count": "2"}, "count must be an integer"),
        ({"action": "ecs:DescribeImages", "count": 0}, "count must be at least 1"),
        ({"action": "ecs:DescribeImages", "fail_operation": 1}, "true or false"),
        ({"action": "ecs:DescribeImages", "colour": "red"}, "unknown field 'colour'"),
        ({"action": "ecs:DescribeImages", "error": "My.Code"}, "needs a status"),
        ({"action": "ecs:DescribeImages", "error": "E", "status": 200, "message": "m"}, "400"),
        ({"action": "ecs:DescribeImages", "delay_ms": 5, "error": "InternalError"}, "one effect"),
        ({"action": "ecs:DescribeImages", "account": 42}, "16-digit"),
        ([], '"action"'),
    ],
)
def test_bad_rules_are_refused_with_what_to_do(admin: RunningServer, body: Any, says: str) -> None:
    reply = admin_call(admin, "POST", "faults", body)
    assert (reply.status, reply.body["code"]) == (400, "InvalidFaultRule")
    assert says in reply.body["message"]
    assert admin_call(admin, "GET", "faults").body == {"faults": []}


def test_removing_a_rule_that_is_not_there_is_404(admin: RunningServer) -> None:
    for name in ("12345", "abc"):
        reply = admin_call(admin, "DELETE", f"faults/{name}")
        assert (reply.status, reply.body["code"]) == (404, "FaultRuleNotFound")


def test_the_fault_endpoints_need_the_token(admin: RunningServer) -> None:
    assert admin_call(admin, "GET", "faults", token=None).status == 401
    assert admin_call(admin, "POST", "faults", {"action": "ecs:*"}, token="wrong").status == 401
    assert admin_call(admin, "PUT", "faults", {}).status == 405
