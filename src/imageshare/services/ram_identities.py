"""RAM users, their access keys, and groups: the identities an account owner hands out."""

from __future__ import annotations

import re
from datetime import datetime

from imageshare.domain import ids, ram
from imageshare.domain.accounts import AccessKey
from imageshare.domain.ram import Holder, RamGroup, RamUser
from imageshare.errors import (
    AccessKeyNotExist,
    DeleteConflict,
    EntityAlreadyExists,
    EntityNotExist,
    InvalidAccessKeyStatus,
    InvalidEntityName,
    LimitExceeded,
    MemberAlreadyExists,
)
from imageshare.store.uow import UnitOfWork
from imageshare.values import frozen


def check_name(parameter: str, value: str, limit: int, pattern: re.Pattern[str]) -> None:
    """:raises InvalidEntityName: too long, or characters the pattern does not allow."""
    if len(value) > limit:
        raise InvalidEntityName(parameter, too_long=True)
    if not pattern.fullmatch(value):  # "$" alone lets a trailing newline through
        raise InvalidEntityName(parameter, too_long=False)


@frozen
class UserProfile:
    display_name: str = ""
    comments: str = ""
    email: str = ""
    mobile_phone: str = ""


def create_user(
    uow: UnitOfWork, account_id: int, name: str, profile: UserProfile, now: datetime
) -> RamUser:
    """:raises InvalidEntityName, EntityAlreadyExists:"""
    check_name("UserName", name, ram.USER_NAME_MAX, ram.USER_NAME)
    # RAM shows the user name where no display name was given.
    display = profile.display_name or name
    user = RamUser(
        ram.new_entity_id(), account_id, name, display, profile.comments, profile.email,
        profile.mobile_phone, now, now,
    )  # fmt: skip
    if not uow.ram_users.add(user):
        raise EntityAlreadyExists("User", name)
    return user


def get_user(uow: UnitOfWork, account_id: int, name: str) -> RamUser:
    """:raises InvalidEntityName, EntityNotExist:"""
    check_name("UserName", name, ram.USER_NAME_MAX, ram.USER_NAME)
    user = uow.ram_users.get(account_id, name)
    if user is None:
        raise EntityNotExist("User", name)
    return user


def list_users(uow: UnitOfWork, account_id: int, after: str | None, limit: int) -> list[RamUser]:
    """Up to ``limit`` of the account's users by name, after the name ``after``."""
    return uow.ram_users.page(account_id, after, limit)


def update_user(
    uow: UnitOfWork, account_id: int, name: str, new_name: str | None, changes: UserProfile,
    now: datetime,
) -> RamUser:  # fmt: skip
    """Change the fields given (empty means unchanged); a rename carries the keys along.

    :raises InvalidEntityName, EntityNotExist, EntityAlreadyExists:
    """
    user = get_user(uow, account_id, name)
    values: dict[str, object] = {k: v for k, v in changes.__dict__.items() if v}
    if new_name and new_name != name:
        check_name("NewUserName", new_name, ram.USER_NAME_MAX, ram.USER_NAME)
        if uow.ram_users.get(account_id, new_name) is not None:
            raise EntityAlreadyExists("User", new_name)
        values["name"] = new_name
        uow.ram_users.rename_keys(account_id, name, new_name)
    uow.ram_users.update(user.id, **values, updated_at=now)
    return get_user(uow, account_id, new_name or name)


def delete_user(uow: UnitOfWork, account_id: int, name: str) -> None:
    """:raises EntityNotExist, DeleteConflict: the user still has keys, groups or policies."""
    user = get_user(uow, account_id, name)
    if uow.ram_users.count_keys(account_id, name):
        message = "The user CAN NOT has any access key while deleting the user."
        raise DeleteConflict("User", "AccessKey", message)
    if uow.ram_users.in_any_group(user.id):
        message = "The user CAN NOT be in any group while deleting the user."
        raise DeleteConflict("User", "Group", message)
    if uow.ram_attachments.of([Holder("User", user.id)]):
        message = "The user CAN NOT has any attached policy while deleting the user."
        raise DeleteConflict("User", "Policy", message)
    uow.ram_users.delete(user.id)


def create_access_key(uow: UnitOfWork, account_id: int, name: str, now: datetime) -> AccessKey:
    """:raises EntityNotExist, LimitExceeded: a RAM user holds at most two keys."""
    get_user(uow, account_id, name)
    if uow.ram_users.count_keys(account_id, name) >= ram.ACCESS_KEYS_PER_USER:
        message = "The access key count of the user access keys beyond the current limits."
        raise LimitExceeded("User.AccessKey", message)
    key = AccessKey(
        ids.new_access_key_id(), account_id, name, ids.new_access_key_secret(), "Active", now
    )
    uow.access_keys.add(key)
    return key


def user_keys(uow: UnitOfWork, account_id: int, name: str) -> list[AccessKey]:
    """:raises EntityNotExist:"""
    get_user(uow, account_id, name)
    return [k for k in uow.access_keys.for_account(account_id) if k.user_name == name]


def _user_key(uow: UnitOfWork, account_id: int, name: str, key_id: str) -> AccessKey:
    for key in user_keys(uow, account_id, name):
        if key.id == key_id:
            return key
    raise AccessKeyNotExist(key=key_id)


def update_access_key(
    uow: UnitOfWork, account_id: int, name: str, key_id: str, status: str
) -> None:
    """:raises InvalidAccessKeyStatus, EntityNotExist, AccessKeyNotExist:"""
    if status not in ("Active", "Inactive"):
        raise InvalidAccessKeyStatus()
    uow.access_keys.set_status(_user_key(uow, account_id, name, key_id).id, status)


def delete_access_key(uow: UnitOfWork, account_id: int, name: str, key_id: str) -> None:
    """:raises EntityNotExist, AccessKeyNotExist:"""
    uow.access_keys.delete(_user_key(uow, account_id, name, key_id).id)


def create_group(
    uow: UnitOfWork, account_id: int, name: str, comments: str, now: datetime
) -> RamGroup:
    """:raises InvalidEntityName, EntityAlreadyExists:"""
    check_name("GroupName", name, ram.GROUP_NAME_MAX, ram.GROUP_NAME)
    group = RamGroup(ram.new_entity_id(), account_id, name, comments, now, now)
    if not uow.ram_groups.add(group):
        raise EntityAlreadyExists("Group", name)
    return group


def get_group(uow: UnitOfWork, account_id: int, name: str) -> RamGroup:
    """:raises InvalidEntityName, EntityNotExist:"""
    check_name("GroupName", name, ram.GROUP_NAME_MAX, ram.GROUP_NAME)
    group = uow.ram_groups.get(account_id, name)
    if group is None:
        raise EntityNotExist("Group", name)
    return group


def add_user_to_group(
    uow: UnitOfWork, account_id: int, group_name: str, user_name: str, now: datetime
) -> None:
    """:raises EntityNotExist, MemberAlreadyExists:"""
    group = get_group(uow, account_id, group_name)
    user = get_user(uow, account_id, user_name)
    if not uow.ram_groups.add_member(group.id, user.id, now):
        raise MemberAlreadyExists()
