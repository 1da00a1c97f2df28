"""RAM roles (ram 2015-05-01): the trust policy decides who may assume one through STS."""

from __future__ import annotations

from typing import Any

from imageshare.api.models import PolicyText, RpcRequest
from imageshare.api.products import RAM
from imageshare.api.ram_params import MaxItems, listing, principal_resource
from imageshare.api.registry import Action, Call
from imageshare.domain import ram
from imageshare.domain.principal import Principal
from imageshare.domain.ram import RamRole
from imageshare.domain.times import wire_time
from imageshare.services import ram_roles as service


class CreateRoleRequest(RpcRequest):
    role_name: str
    assume_role_policy_document: PolicyText
    description: str = ""
    max_session_duration: int = ram.SESSION_DURATION_DEFAULT


class RoleRequest(RpcRequest):
    role_name: str


class ListRolesRequest(RpcRequest):
    marker: str | None = None
    max_items: MaxItems = ram.LIST_MAX_ITEMS_DEFAULT


def role_view(role: RamRole) -> dict[str, Any]:
    return {
        "RoleId": role.id,
        "RoleName": role.name,
        "Arn": ram.role_arn(role.account_id, role.name),
        "Description": role.description,
        "MaxSessionDuration": role.max_session_duration,
        "CreateDate": wire_time(role.created_at),
        "UpdateDate": wire_time(role.updated_at),
    }


def create_role(call: Call, req: CreateRoleRequest) -> dict[str, Any]:
    spec = service.RoleSpec(
        req.role_name, req.assume_role_policy_document, req.description, req.max_session_duration
    )
    role = service.create_role(call.uow, call.principal.account_id, spec, call.now)
    return {"Role": {**role_view(role), "AssumeRolePolicyDocument": role.trust_policy}}


def get_role(call: Call, req: RoleRequest) -> dict[str, Any]:
    role = service.get_role(call.uow, call.principal.account_id, req.role_name)
    return {"Role": {**role_view(role), "AssumeRolePolicyDocument": role.trust_policy}}


def list_roles(call: Call, req: ListRolesRequest) -> dict[str, Any]:
    roles = service.list_roles(call.uow, call.principal.account_id, req.marker, req.max_items + 1)
    page, more = listing(roles, req.max_items, lambda r: r.name)
    return {"Roles": {"Role": [role_view(r) for r in page]}, **more}


def delete_role(call: Call, req: RoleRequest) -> dict[str, Any]:
    service.delete_role(call.uow, call.principal.account_id, req.role_name)
    return {}


def _role_arn(principal: Principal, req: Any) -> str:
    return ram.role_resource(principal.account_id, req.role_name)


ACTIONS = (
    Action(
        product=RAM,
        name="CreateRole",
        request=CreateRoleRequest,
        handler=create_role,
        resource=principal_resource("role"),
        mutating=True,
    ),
    Action(product=RAM, name="GetRole", request=RoleRequest, handler=get_role, resource=_role_arn),
    Action(
        product=RAM,
        name="ListRoles",
        request=ListRolesRequest,
        handler=list_roles,
        resource=principal_resource("role"),
    ),
    Action(
        product=RAM,
        name="DeleteRole",
        request=RoleRequest,
        handler=delete_role,
        resource=_role_arn,
        mutating=True,
    ),
)
