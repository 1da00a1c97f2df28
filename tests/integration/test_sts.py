"""STS (sts 2015-04-01) through the official SDK: who the caller is, and AssumeRole's rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from alibabacloud_ram20150501 import models as m
from alibabacloud_sts20150401 import models as sts
from alibabacloud_swas_open20200601 import models as swas
from support import ram
from support.errors import tea_error
from support.world import AccountKeys, World


def test_get_caller_identity_for_each_kind_of_caller(world: World) -> None:
    owner = world.account()
    root = world.sts(owner).get_caller_identity().body
    assert (root.identity_type, root.arn) == ("Account", f"acs:ram::{owner.id}:root")
    assert root.account_id == str(owner.id)

    name, alice = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    user = world.sts(alice).get_caller_identity().body  # needs no permission
    assert (user.identity_type, user.arn) == ("RAMUser", f"acs:ram::{owner.id}:user/{name}")
    assert user.user_id == user.principal_id and user.user_id.isdigit()

    role_arn = ram.role(world, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    session = (
        world.sts(alice)
        .assume_role(sts.AssumeRoleRequest(role_arn=role_arn, role_session_name="build-42"))
        .body
    )
    role_name = role_arn.rsplit("/", 1)[1]
    assert session.assumed_role_user.arn == (
        f"acs:ram::{owner.id}:assumed-role/{role_name.lower()}/build-42"
    )
    assert session.credentials.expiration.endswith("Z")
    keys = ram.session(world, alice, role_arn)
    assumed = world.sts(keys).get_caller_identity().body
    assert assumed.identity_type == "AssumedRoleUser"
    assert assumed.principal_id == f"{assumed.role_id}:{assumed.arn.rsplit('/', 1)[1]}"


@dataclass(frozen=True)
class AssumeRoleCaller:
    owner: AccountKeys
    alice: AccountKeys
    role_arn: str


@pytest.fixture(scope="module")
def assume_role_caller(server: World) -> AssumeRoleCaller:
    """A RAM user allowed to assume roles, and a role its account trusts."""
    owner = server.account()
    _, alice = ram.user(server, owner, system=("AliyunSTSAssumeRoleAccess",))
    return AssumeRoleCaller(
        owner, alice, ram.role(server, owner, ram.trust(f"acs:ram::{owner.id}:root"))
    )


ASSUME_ROLE_ERRORS: list[tuple[dict[str, Any], str, int]] = [
    ({"role_arn": "arn:aws:iam::1:role/x"}, "InvalidParameter.RoleArn", 400),
    ({"role_session_name": "a"}, "InvalidParameter.RoleSessionName", 400),
    ({"role_session_name": "abc*abc"}, "InvalidParameter.RoleSessionName", 400),
    ({"duration_seconds": 899}, "InvalidParameter.DurationSeconds", 400),
    ({"duration_seconds": 3601}, "InvalidParameter.DurationSeconds", 400),
    ({"policy": "{}"}, "InvalidParameter.PolicyGrammar", 400),
    ({"policy": ram.document(ram.allow("x" * 2100))}, "InvalidParameter.PolicySize", 400),
    ({"role_arn": "acs:ram::{owner}:role/nobody"}, "EntityNotExist.Role", 404),
]


@pytest.mark.parametrize(("change", "code", "status"), ASSUME_ROLE_ERRORS)
def test_assume_role_parameter_errors(
    world: World,
    assume_role_caller: AssumeRoleCaller,
    change: dict[str, Any],
    code: str,
    status: int,
) -> None:
    caller = assume_role_caller
    if "role_arn" in change:  # "{owner}": the caller's own account, made by the fixture
        change = {**change, "role_arn": change["role_arn"].format(owner=caller.owner.id)}
    fields = {"role_arn": caller.role_arn, "role_session_name": "ok-name", **change}
    request = sts.AssumeRoleRequest(**fields)
    error = tea_error(partial(world.sts(caller.alice).assume_role, request))
    assert (error.code, error.status) == (code, status), change


def test_deleting_a_role_ends_its_sessions(world: World) -> None:
    owner = world.account()
    _, alice = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    role_arn = ram.role(
        world, owner, ram.trust(f"acs:ram::{owner.id}:root"), "AliyunSWASFullAccess"
    )
    keys = ram.session(world, alice, role_arn)
    assert world.swas(keys).list_regions(swas.ListRegionsRequest()).body.regions

    role_name = role_arn.rsplit("/", 1)[1]
    client = world.ram(owner)
    client.detach_policy_from_role(
        m.DetachPolicyFromRoleRequest(
            policy_type="System", policy_name="AliyunSWASFullAccess", role_name=role_name
        )
    )
    client.delete_role(m.DeleteRoleRequest(role_name=role_name))
    error = tea_error(lambda: world.swas(keys).list_regions(swas.ListRegionsRequest()))
    assert (error.code, error.status) == ("InvalidSecurityToken.Malformed", 400)


def test_a_role_session_can_assume_a_role_that_trusts_its_role(world: World) -> None:
    owner = world.account()
    _, alice = ram.user(world, owner, system=("AliyunSTSAssumeRoleAccess",))
    first = ram.role(
        world, owner, ram.trust(f"acs:ram::{owner.id}:root"), "AliyunSTSAssumeRoleAccess"
    )
    second = ram.role(world, owner, ram.trust(first), "AliyunSWASReadOnlyAccess")
    hop = ram.session(world, ram.session(world, alice, first), second)
    assert world.swas(hop).list_regions(swas.ListRegionsRequest()).body.regions
    error = tea_error(lambda: ram.session(world, alice, second))
    assert error.code == "NoPermission", "the second role trusts only the first role"
