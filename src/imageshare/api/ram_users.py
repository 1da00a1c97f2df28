"""RAM users, their access keys, and groups (ram 2015-05-01)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from imageshare.api.models import RpcRequest
from imageshare.api.products import RAM
from imageshare.api.ram_params import MaxItems, listing, principal_resource
from imageshare.api.registry import Action, Call
from imageshare.domain import ram
from imageshare.domain.accounts import AccessKey
from imageshare.domain.principal import Principal, PrincipalType
from imageshare.domain.ram import RamUser
from imageshare.domain.times import wire_time
from imageshare.errors import MissingParameter
from imageshare.services import ram_identities as service

# RAM documents DisplayName and Comments as at most 128 characters; it gives no length for
# Email and MobilePhone ("<country code>-<number>"): 128 and 32 here (docs/hostile-input.md).
DisplayName = Annotated[str, Field(max_length=128)]
Comments = Annotated[str, Field(max_length=ram.COMMENTS_MAX)]
Email = Annotated[str, Field(max_length=128)]
MobilePhone = Annotated[str, Field(max_length=32)]


class CreateUserRequest(RpcRequest):
    user_name: str
    display_name: DisplayName = ""
    comments: Comments = ""
    email: Email = ""
    mobile_phone: MobilePhone = ""


class UserRequest(RpcRequest):
    user_name: str


class UpdateUserRequest(RpcRequest):
    user_name: str
    new_user_name: str | None = None
    new_display_name: DisplayName = ""
    new_comments: Comments = ""
    new_email: Email = ""
    new_mobile_phone: MobilePhone = ""


class ListUsersRequest(RpcRequest):
    marker: str | None = None
    max_items: MaxItems = ram.LIST_MAX_ITEMS_DEFAULT


class OwnKeysRequest(RpcRequest):
    # Optional on the wire: a RAM user calling without it means itself.
    user_name: str | None = None


class AccessKeyRequest(OwnKeysRequest):
    user_access_key_id: str


class UpdateAccessKeyRequest(AccessKeyRequest):
    status: str


class CreateGroupRequest(RpcRequest):
    group_name: str
    comments: Comments = ""


class GroupMemberRequest(RpcRequest):
    group_name: str
    user_name: str


def user_view(user: RamUser) -> dict[str, Any]:
    return {
        "UserId": user.id,
        "UserName": user.name,
        "DisplayName": user.display_name,
        "Comments": user.comments,
        "Email": user.email,
        "MobilePhone": user.mobile_phone,
        "CreateDate": wire_time(user.created_at),
        "UpdateDate": wire_time(user.updated_at),
    }


def key_view(key: AccessKey) -> dict[str, Any]:
    return {
        "AccessKeyId": key.id,
        "Status": key.status,
        "CreateDate": wire_time(key.created_at),
    }


def create_user(call: Call, req: CreateUserRequest) -> dict[str, Any]:
    profile = service.UserProfile(req.display_name, req.comments, req.email, req.mobile_phone)
    user = service.create_user(
        call.uow, call.principal.account_id, req.user_name, profile, call.now
    )
    return {"User": user_view(user)}


def get_user(call: Call, req: UserRequest) -> dict[str, Any]:
    return {"User": user_view(service.get_user(call.uow, call.principal.account_id, req.user_name))}


def update_user(call: Call, req: UpdateUserRequest) -> dict[str, Any]:
    changes = service.UserProfile(
        req.new_display_name, req.new_comments, req.new_email, req.new_mobile_phone
    )
    user = service.update_user(
        call.uow, call.principal.account_id, req.user_name, req.new_user_name, changes, call.now
    )
    return {"User": user_view(user)}


def delete_user(call: Call, req: UserRequest) -> dict[str, Any]:
    service.delete_user(call.uow, call.principal.account_id, req.user_name)
    return {}


def list_users(call: Call, req: ListUsersRequest) -> dict[str, Any]:
    users = service.list_users(call.uow, call.principal.account_id, req.marker, req.max_items + 1)
    page, more = listing(users, req.max_items, lambda u: u.name)
    return {"Users": {"User": [user_view(u) for u in page]}, **more}


def _key_owner(call: Call, req: OwnKeysRequest) -> str:
    """:raises MissingParameter: the root identity must name the user."""
    if req.user_name:
        return req.user_name
    if call.principal.type is PrincipalType.USER:
        return call.principal.name
    raise MissingParameter(name="UserName")


def create_access_key(call: Call, req: OwnKeysRequest) -> dict[str, Any]:
    owner = _key_owner(call, req)
    key = service.create_access_key(call.uow, call.principal.account_id, owner, call.now)
    return {"AccessKey": {**key_view(key), "AccessKeySecret": key.secret}}


def list_access_keys(call: Call, req: OwnKeysRequest) -> dict[str, Any]:
    keys = service.user_keys(call.uow, call.principal.account_id, _key_owner(call, req))
    return {"AccessKeys": {"AccessKey": [key_view(k) for k in keys]}}


def update_access_key(call: Call, req: UpdateAccessKeyRequest) -> dict[str, Any]:
    account = call.principal.account_id
    owner, key_id = _key_owner(call, req), req.user_access_key_id
    service.update_access_key(call.uow, account, owner, key_id, req.status)
    return {}


def delete_access_key(call: Call, req: AccessKeyRequest) -> dict[str, Any]:
    account = call.principal.account_id
    owner, key_id = _key_owner(call, req), req.user_access_key_id
    service.delete_access_key(call.uow, account, owner, key_id)
    return {}


def create_group(call: Call, req: CreateGroupRequest) -> dict[str, Any]:
    account = call.principal.account_id
    group = service.create_group(call.uow, account, req.group_name, req.comments, call.now)
    view = {
        "GroupId": group.id,
        "GroupName": group.name,
        "Comments": group.comments,
        "CreateDate": wire_time(group.created_at),
    }
    return {"Group": view}


def add_user_to_group(call: Call, req: GroupMemberRequest) -> dict[str, Any]:
    account = call.principal.account_id
    service.add_user_to_group(call.uow, account, req.group_name, req.user_name, call.now)
    return {}


def _user_arn(principal: Principal, req: Any) -> str:
    # Key actions without UserName act on the calling user.
    return ram.user_resource(principal.account_id, req.user_name or principal.name or "*")


def _group_arn(principal: Principal, req: Any) -> str:
    return ram.group_resource(principal.account_id, req.group_name)


def _member_arns(principal: Principal, req: GroupMemberRequest) -> tuple[str, ...]:
    return (_user_arn(principal, req), _group_arn(principal, req))


ACTIONS = (
    Action(
        product=RAM,
        name="CreateUser",
        request=CreateUserRequest,
        handler=create_user,
        resource=principal_resource("user"),
        mutating=True,
    ),
    Action(product=RAM, name="GetUser", request=UserRequest, handler=get_user, resource=_user_arn),
    Action(
        product=RAM,
        name="UpdateUser",
        request=UpdateUserRequest,
        handler=update_user,
        resource=_user_arn,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="DeleteUser",
        request=UserRequest,
        handler=delete_user,
        resource=_user_arn,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="ListUsers",
        request=ListUsersRequest,
        handler=list_users,
        resource=principal_resource("user"),
    ),
    Action(
        product=RAM,
        name="CreateAccessKey",
        request=OwnKeysRequest,
        handler=create_access_key,
        resource=_user_arn,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="ListAccessKeys",
        request=OwnKeysRequest,
        handler=list_access_keys,
        resource=_user_arn,
    ),
    Action(
        product=RAM,
        name="UpdateAccessKey",
        request=UpdateAccessKeyRequest,
        handler=update_access_key,
        resource=_user_arn,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="DeleteAccessKey",
        request=AccessKeyRequest,
        handler=delete_access_key,
        resource=_user_arn,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="CreateGroup",
        request=CreateGroupRequest,
        handler=create_group,
        resource=principal_resource("group"),
        mutating=True,
    ),
    Action(
        product=RAM,
        name="AddUserToGroup",
        request=GroupMemberRequest,
        handler=add_user_to_group,
        resource=_group_arn,
        mutating=True,
    ),
)
