"""The RAM API (ram 2015-05-01) through the official SDK: users, access keys, groups, the
denials of RAM actions, and their documented errors (policies and roles:
test_ram_policies_and_roles)."""

from __future__ import annotations

from functools import partial

import pytest
from alibabacloud_ram20150501 import models as m
from alibabacloud_swas_open20200601 import models as swas
from support import ram
from support.errors import tea_error
from support.ram import bare_user as _user
from support.world import World


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


def test_ram_denials_are_no_permission_with_detail(world: World) -> None:
    owner = world.account()
    _, reader = ram.user(world, owner, system=("AliyunRAMReadOnlyAccess",))
    client = world.ram(reader)
    assert client.list_users(m.ListUsersRequest()).body.users.user
    error = tea_error(lambda: client.create_user(m.CreateUserRequest(user_name="mallory")))
    assert (error.code, error.status) == ("NoPermission", 403)
    detail = error.data["AccessDeniedDetail"]
    assert (detail["AuthAction"], detail["NoPermissionType"]) == ("ram:CreateUser", "ImplicitDeny")
