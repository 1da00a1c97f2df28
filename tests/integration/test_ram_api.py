"""The RAM API (ram 2015-05-01) through the official SDK: users, keys, groups, policies,
roles, and their documented errors."""

from __future__ import annotations

from functools import partial

import pytest
from alibabacloud_ram20150501 import models as m
from alibabacloud_swas_open20200601 import models as swas
from support import ram
from support.errors import tea_error
from support.world import AccountKeys, World


def _user(world: World, owner: AccountKeys, **fields: str) -> str:
    user_name = ram.name("u")
    world.ram(owner).create_user(m.CreateUserRequest(user_name=user_name, **fields))
    return user_name


def test_user_lifecycle(world: World) -> None:
    owner = world.account()
    client = world.ram(owner)
    name = _user(world, owner, display_name="Alice", comments="ci")
    user = client.get_user(m.GetUserRequest(user_name=name)).body.user
    assert (user.user_name, user.display_name, user.comments) == (name, "Alice", "ci")
    assert user.user_id.isdigit() and user.create_date.endswith("Z")

    renamed = ram.name("v")
    update = m.UpdateUserRequest(user_name=name, new_user_name=renamed, new_comments="moved")
    updated = client.update_user(update).body.user
    assert (updated.user_name, updated.comments, updated.user_id) == (
        renamed,
        "moved",
        user.user_id,
    )
    error = tea_error(lambda: client.get_user(m.GetUserRequest(user_name=name)))
    assert (error.code, error.status) == ("EntityNotExist.User", 404)

    client.delete_user(m.DeleteUserRequest(user_name=renamed))
    error = tea_error(lambda: client.delete_user(m.DeleteUserRequest(user_name=renamed)))
    assert error.code == "EntityNotExist.User"


@pytest.mark.parametrize(
    ("bad", "code"),
    [("bad name!", "InvalidParameter.UserName.InvalidChars"),
     ("x" * 65, "InvalidParameter.UserName.Length")],
)  # fmt: skip
def test_user_name_rules(world: World, bad: str, code: str) -> None:
    client = world.ram(world.account())
    error = tea_error(partial(client.create_user, m.CreateUserRequest(user_name=bad)))
    assert (error.code, error.status) == (code, 400)
    assert '"UserName"' in error.message


def test_user_names_are_unique_per_account(world: World) -> None:
    owner = world.account()
    client = world.ram(owner)
    name = _user(world, owner)
    error = tea_error(lambda: client.create_user(m.CreateUserRequest(user_name=name)))
    assert (error.code, error.status) == ("EntityAlreadyExists.User", 409)
    other = world.account()
    world.ram(other).create_user(m.CreateUserRequest(user_name=name))  # names are per account


def test_list_users_pages_with_a_marker(world: World) -> None:
    owner = world.account()
    names = sorted(_user(world, owner) for _ in range(5))
    client, seen, marker = world.ram(owner), [], None
    while True:
        body = client.list_users(m.ListUsersRequest(marker=marker, max_items=2)).body
        seen += [u.user_name for u in body.users.user]
        if not body.is_truncated:
            break
        marker = body.marker
    assert seen == names


def test_access_keys_limit_status_and_deletion(world: World) -> None:
    owner = world.account()
    name, alice = ram.user(world, owner, system=("AliyunSWASReadOnlyAccess",))
    client = world.ram(owner)
    second = client.create_access_key(m.CreateAccessKeyRequest(user_name=name)).body.access_key
    error = tea_error(lambda: client.create_access_key(m.CreateAccessKeyRequest(user_name=name)))
    assert (error.code, error.status) == ("LimitExceeded.User.AccessKey", 409)
    listed = client.list_access_keys(m.ListAccessKeysRequest(user_name=name)).body
    assert {k.access_key_id for k in listed.access_keys.access_key} == {
        alice.key_id,
        second.access_key_id,
    }

    client.update_access_key(
        m.UpdateAccessKeyRequest(user_name=name, user_access_key_id=alice.key_id, status="Inactive")
    )
    error = tea_error(lambda: world.swas(alice).list_regions(swas.ListRegionsRequest()))
    assert error.code == "InvalidAccessKeyId.Inactive"
    bad = m.UpdateAccessKeyRequest(user_name=name, user_access_key_id=alice.key_id, status="Off")
    assert tea_error(lambda: client.update_access_key(bad)).code == "InvalidParameter.Status"

    error = tea_error(lambda: client.delete_user(m.DeleteUserRequest(user_name=name)))
    assert (error.code, error.status) == ("DeleteConflict.User.AccessKey", 409)
    for key_id in (alice.key_id, second.access_key_id):
        client.delete_access_key(
            m.DeleteAccessKeyRequest(user_name=name, user_access_key_id=key_id)
        )
    error = tea_error(lambda: world.swas(alice).list_regions(swas.ListRegionsRequest()))
    assert error.code == "InvalidAccessKeyId.NotFound"
    missing = m.DeleteAccessKeyRequest(user_name=name, user_access_key_id=alice.key_id)
    assert tea_error(lambda: client.delete_access_key(missing)).code == (
        "EntityNotExist.User.AccessKey"
    )


def test_a_user_manages_its_own_keys_without_naming_itself(world: World) -> None:
    owner = world.account()
    _, alice = ram.user(world, owner, system=("AliyunRAMFullAccess",))
    keys = world.ram(alice).list_access_keys(m.ListAccessKeysRequest()).body.access_keys
    assert [k.access_key_id for k in keys.access_key] == [alice.key_id]
    error = tea_error(lambda: world.ram(owner).list_access_keys(m.ListAccessKeysRequest()))
    assert error.code == "MissingParameter"


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


def test_groups_and_membership(world: World) -> None:
    owner = world.account()
    client, group, user_name = world.ram(owner), ram.name("g"), _user(world, owner)
    created = client.create_group(m.CreateGroupRequest(group_name=group, comments="ops")).body.group
    assert (created.group_name, created.comments) == (group, "ops")
    error = tea_error(lambda: client.create_group(m.CreateGroupRequest(group_name=group)))
    assert error.code == "EntityAlreadyExists.Group"
    member = m.AddUserToGroupRequest(group_name=group, user_name=user_name)
    client.add_user_to_group(member)
    assert (
        tea_error(lambda: client.add_user_to_group(member)).code == "EntityAlreadyExists.User.Group"
    )
    error = tea_error(lambda: client.delete_user(m.DeleteUserRequest(user_name=user_name)))
    assert error.code == "DeleteConflict.User.Group"
    missing = m.AddUserToGroupRequest(group_name="no-such-group", user_name=user_name)
    assert tea_error(lambda: client.add_user_to_group(missing)).code == "EntityNotExist.Group"


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


def test_ram_denials_are_no_permission_with_detail(world: World) -> None:
    owner = world.account()
    _, reader = ram.user(world, owner, system=("AliyunRAMReadOnlyAccess",))
    client = world.ram(reader)
    assert client.list_users(m.ListUsersRequest()).body.users.user
    error = tea_error(lambda: client.create_user(m.CreateUserRequest(user_name="mallory")))
    assert (error.code, error.status) == ("NoPermission", 403)
    detail = error.data["AccessDeniedDetail"]
    assert (detail["AuthAction"], detail["NoPermissionType"]) == ("ram:CreateUser", "ImplicitDeny")
