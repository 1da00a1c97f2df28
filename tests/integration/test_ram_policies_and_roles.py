"""RAM policies and roles (ram 2015-05-01) through the official SDK: custom policies and their
versions, the policy documents refused, system policies listed and attached to a user, roles
with their trust policies and attached policies, and their documented errors (users, keys and
groups: test_ram_api)."""

from __future__ import annotations

from functools import partial

import pytest
from alibabacloud_ram20150501 import models as m
from support import ram
from support.errors import tea_error
from support.ram import bare_user as _user
from support.world import World


def test_custom_policies_and_their_versions(world: World) -> None:
    owner = world.account()
    client, name = world.ram(owner), ram.name("p")
    first = ram.document(ram.allow("swas-open:List*"))
    created = client.create_policy(m.CreatePolicyRequest(policy_name=name, policy_document=first))
    assert (created.body.policy.policy_type, created.body.policy.default_version) == (
        "Custom",
        "v1",
    )

    second = ram.document(ram.allow("swas-open:*"))
    version = m.CreatePolicyVersionRequest(
        policy_name=name, policy_document=second, set_as_default=True
    )
    assert client.create_policy_version(version).body.policy_version.version_id == "v2"
    got = client.get_policy(m.GetPolicyRequest(policy_name=name, policy_type="Custom")).body
    assert got.default_policy_version.policy_document == second
    assert got.policy.default_version == "v2"

    for _ in range(3):
        client.create_policy_version(
            m.CreatePolicyVersionRequest(policy_name=name, policy_document=first)
        )
    error = tea_error(lambda: client.create_policy_version(
        m.CreatePolicyVersionRequest(policy_name=name, policy_document=first)
    ))  # fmt: skip
    assert (error.code, error.status) == ("LimitExceeded.Policy.Version", 409)
    rotate = m.CreatePolicyVersionRequest(
        policy_name=name,
        policy_document=first,
        rotate_strategy="DeleteOldestNonDefaultVersionWhenLimitExceeded",
    )
    assert client.create_policy_version(rotate).body.policy_version.version_id == "v6"

    error = tea_error(lambda: client.delete_policy(m.DeletePolicyRequest(policy_name=name)))
    assert error.code == "DeleteConflict.Policy.Version"
    client.delete_policy(m.DeletePolicyRequest(policy_name=name, cascading_delete=True))
    error = tea_error(
        lambda: client.get_policy(m.GetPolicyRequest(policy_name=name, policy_type="Custom"))
    )
    assert (error.code, error.status) == ("EntityNotExist.Policy", 404)


BAD_POLICY_DOCUMENTS = [
    ("{not json", "MalformedPolicyDocument"),
    ('{"Version": "2", "Statement": []}', "MalformedPolicyDocument"),
    (
        ram.document({"Effect": "Maybe", "Action": "*", "Resource": "*"}),
        "MalformedPolicyDocument",
    ),
    (ram.document(ram.allow("*", Condition={"Nope": {"a": "b"}})), "MalformedPolicyDocument"),
    (ram.document(ram.allow("x" * 7000)), "InvalidParameter.PolicyDocument.Length"),
]


@pytest.mark.parametrize(
    ("text", "code"),
    BAD_POLICY_DOCUMENTS,
    ids=["not-json", "version-2", "effect-maybe", "unknown-condition", "too-long"],
)
def test_bad_policy_documents_are_refused_when_created(world: World, text: str, code: str) -> None:
    client = world.ram(world.account())
    request = m.CreatePolicyRequest(policy_name=ram.name("p"), policy_document=text)
    error = tea_error(partial(client.create_policy, request))
    assert (error.code, error.status) == (code, 400), text[:40]
    assert "PolicyDocument" in error.message


def test_system_policies_are_listed_and_attachable(world: World) -> None:
    owner = world.account()
    client = world.ram(owner)
    body = client.list_policies(m.ListPoliciesRequest(policy_type="System", max_items=1000)).body
    names = {p.policy_name for p in body.policies.policy}
    assert {
        "AdministratorAccess", "ReadOnlyAccess", "AliyunSWASFullAccess", "AliyunSWASReadOnlyAccess",
        "AliyunECDFullAccess", "AliyunECDReadOnlyAccess", "AliyunECSFullAccess",
        "AliyunECSReadOnlyAccess", "AliyunRAMFullAccess", "AliyunSTSAssumeRoleAccess",
    } <= names  # fmt: skip
    user_name = _user(world, owner)
    attach = m.AttachPolicyToUserRequest(
        policy_type="System", policy_name="ReadOnlyAccess", user_name=user_name
    )
    client.attach_policy_to_user(attach)
    error = tea_error(lambda: client.attach_policy_to_user(attach))
    assert (error.code, error.status) == ("EntityAlreadyExists.User.Policy", 409)
    attached = client.list_policies_for_user(m.ListPoliciesForUserRequest(user_name=user_name))
    assert [p.policy_name for p in attached.body.policies.policy] == ["ReadOnlyAccess"]
    got = client.get_policy(m.GetPolicyRequest(policy_name="ReadOnlyAccess", policy_type="System"))
    assert got.body.policy.attachment_count == 1

    error = tea_error(lambda: client.delete_user(m.DeleteUserRequest(user_name=user_name)))
    assert error.code == "DeleteConflict.User.Policy"
    detach = m.DetachPolicyFromUserRequest(
        policy_type="System", policy_name="ReadOnlyAccess", user_name=user_name
    )
    client.detach_policy_from_user(detach)
    assert tea_error(lambda: client.detach_policy_from_user(detach)).code == (
        "EntityNotExist.User.Policy"
    )
    unknown = m.AttachPolicyToUserRequest(
        policy_type="System", policy_name="Nope", user_name=user_name
    )
    assert tea_error(lambda: client.attach_policy_to_user(unknown)).code == "EntityNotExist.Policy"
    wrong_type = m.AttachPolicyToUserRequest(
        policy_type="Sys", policy_name="x", user_name=user_name
    )
    assert tea_error(lambda: client.attach_policy_to_user(wrong_type)).code == (
        "InvalidParameter.PolicyType"
    )


def test_roles(world: World) -> None:
    owner = world.account()
    client, name = world.ram(owner), ram.name("r")
    trust = ram.trust(f"acs:ram::{owner.id}:root")
    create = m.CreateRoleRequest(
        role_name=name, assume_role_policy_document=trust, max_session_duration=7200
    )
    role = client.create_role(create).body.role
    assert role.arn == f"acs:ram::{owner.id}:role/{name}"
    assert (role.max_session_duration, role.assume_role_policy_document) == (7200, trust)
    assert tea_error(lambda: client.create_role(create)).code == "EntityAlreadyExists.Role"
    got = client.get_role(m.GetRoleRequest(role_name=name.upper())).body.role
    assert got.role_id == role.role_id, "role names are found ignoring case"
    listed = client.list_roles(m.ListRolesRequest()).body.roles.role
    assert [r.role_name for r in listed] == [name]

    too_long = m.CreateRoleRequest(
        role_name=ram.name("r"), assume_role_policy_document=trust, max_session_duration=60
    )
    assert tea_error(lambda: client.create_role(too_long)).code == (
        "InvalidParameter.MaxSessionDuration"
    )
    bad_trust = m.CreateRoleRequest(role_name=ram.name("r"), assume_role_policy_document="{}")
    assert tea_error(lambda: client.create_role(bad_trust)).code == "MalformedPolicyDocument"

    attach = m.AttachPolicyToRoleRequest(
        policy_type="System", policy_name="AliyunECSFullAccess", role_name=name
    )
    client.attach_policy_to_role(attach)
    error = tea_error(lambda: client.delete_role(m.DeleteRoleRequest(role_name=name)))
    assert (error.code, error.status) == ("DeleteConflict.Role.Policy", 409)
    detach = m.DetachPolicyFromRoleRequest(
        policy_type="System", policy_name="AliyunECSFullAccess", role_name=name
    )
    client.detach_policy_from_role(detach)
    client.delete_role(m.DeleteRoleRequest(role_name=name))
    assert tea_error(lambda: client.get_role(m.GetRoleRequest(role_name=name))).code == (
        "EntityNotExist.Role"
    )
