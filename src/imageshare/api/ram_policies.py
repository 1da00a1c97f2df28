"""RAM policies and their attachment to users, groups and roles (ram 2015-05-01)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from imageshare.api.models import PolicyText, RpcRequest
from imageshare.api.products import RAM
from imageshare.api.ram_params import MaxItems, listing, principal_resource
from imageshare.api.registry import Action, Call
from imageshare.domain import ram
from imageshare.domain.principal import Principal
from imageshare.domain.ram import Holder
from imageshare.domain.times import wire_time
from imageshare.services import ram_identities, ram_roles
from imageshare.services import ram_policies as service


class CreatePolicyRequest(RpcRequest):
    policy_name: str
    policy_document: PolicyText
    description: str = ""


class GetPolicyRequest(RpcRequest):
    policy_name: str
    policy_type: str


class ListPoliciesRequest(RpcRequest):
    policy_type: str | None = None
    marker: str | None = None
    max_items: MaxItems = ram.LIST_MAX_ITEMS_DEFAULT


class DeletePolicyRequest(RpcRequest):
    policy_name: str
    cascading_delete: bool = False


class CreatePolicyVersionRequest(RpcRequest):
    policy_name: str
    policy_document: PolicyText
    set_as_default: bool = False
    rotate_strategy: str = "None"


class UserPolicyRequest(RpcRequest):
    policy_name: str
    policy_type: str
    user_name: str


class GroupPolicyRequest(RpcRequest):
    policy_name: str
    policy_type: str
    group_name: str


class RolePolicyRequest(RpcRequest):
    policy_name: str
    policy_type: str
    role_name: str


class ListPoliciesForUserRequest(RpcRequest):
    user_name: str


def _dates(created: datetime, updated: datetime) -> dict[str, str]:
    return {"CreateDate": wire_time(created), "UpdateDate": wire_time(updated)}


def policy_view(view: service.PolicyView) -> dict[str, Any]:
    return {
        "PolicyName": view.name,
        "PolicyType": view.type,
        "Description": view.description,
        "DefaultVersion": view.default_version,
        "AttachmentCount": view.attachment_count,
        **_dates(view.created_at, view.updated_at),
    }


def create_policy(call: Call, req: CreatePolicyRequest) -> dict[str, Any]:
    policy = service.create_policy(
        call.uow, call.principal.account_id, req.policy_name, req.policy_document,
        req.description, call.now,
    )  # fmt: skip
    view = {
        "PolicyName": policy.name,
        "PolicyType": ram.CUSTOM,
        "Description": policy.description,
        "DefaultVersion": policy.default_version,
        "CreateDate": wire_time(policy.created_at),
    }
    return {"Policy": view}


def get_policy(call: Call, req: GetPolicyRequest) -> dict[str, Any]:
    account = call.principal.account_id
    view = service.get_policy(call.uow, account, req.policy_name, req.policy_type)
    default = {
        "VersionId": view.default_version,
        "IsDefaultVersion": True,
        "PolicyDocument": view.document,
        "CreateDate": wire_time(view.updated_at),
    }
    policy = {**policy_view(view), "PolicyDocument": view.document}
    return {"Policy": policy, "DefaultPolicyVersion": default}


def list_policies(call: Call, req: ListPoliciesRequest) -> dict[str, Any]:
    account = call.principal.account_id
    views = service.list_policies(call.uow, account, req.policy_type, req.marker, req.max_items + 1)
    page, more = listing(views, req.max_items, lambda v: v.name)
    return {"Policies": {"Policy": [policy_view(v) for v in page]}, **more}


def delete_policy(call: Call, req: DeletePolicyRequest) -> dict[str, Any]:
    account = call.principal.account_id
    service.delete_policy(call.uow, account, req.policy_name, req.cascading_delete)
    return {}


def create_policy_version(call: Call, req: CreatePolicyVersionRequest) -> dict[str, Any]:
    rotate = req.rotate_strategy == "DeleteOldestNonDefaultVersionWhenLimitExceeded"
    version, is_default = service.create_policy_version(
        call.uow, call.principal.account_id, req.policy_name, req.policy_document,
        req.set_as_default, rotate, call.now,
    )  # fmt: skip
    view = {
        "VersionId": version.version_id,
        "IsDefaultVersion": is_default,
        "PolicyDocument": version.document,
        "CreateDate": wire_time(version.created_at),
    }
    return {"PolicyVersion": view}


def _holder(call: Call, req: Any) -> Holder:
    """The user, group or role the request names; each must exist in the caller's account."""
    account, uow = call.principal.account_id, call.uow
    if isinstance(req, UserPolicyRequest):
        return Holder("User", ram_identities.get_user(uow, account, req.user_name).id)
    if isinstance(req, GroupPolicyRequest):
        return Holder("Group", ram_identities.get_group(uow, account, req.group_name).id)
    return Holder("Role", ram_roles.get_role(uow, account, req.role_name).id)


def attach(call: Call, req: Any) -> dict[str, Any]:
    policy = (req.policy_type, req.policy_name)
    service.check_policy_type(req.policy_type)
    service.attach(call.uow, call.principal.account_id, _holder(call, req), policy, call.now)
    return {}


def detach(call: Call, req: Any) -> dict[str, Any]:
    service.check_policy_type(req.policy_type)
    holder = _holder(call, req)
    service.detach(call.uow, call.principal.account_id, holder, (req.policy_type, req.policy_name))
    return {}


def list_policies_for_user(call: Call, req: ListPoliciesForUserRequest) -> dict[str, Any]:
    account = call.principal.account_id
    user = ram_identities.get_user(call.uow, account, req.user_name)
    policies = []
    for attachment in service.attached(call.uow, Holder("User", user.id)):
        view = service.get_policy(call.uow, account, attachment.policy_name, attachment.policy_type)
        policies.append(
            {
                "PolicyName": view.name,
                "PolicyType": view.type,
                "Description": view.description,
                "DefaultVersion": view.default_version,
                "AttachDate": wire_time(attachment.attached_at),
            }
        )
    return {"Policies": {"Policy": policies}}


def _policy_arn(principal: Principal, req: Any) -> str:
    policy_type = getattr(req, "policy_type", ram.CUSTOM)
    return ram.policy_resource(principal.account_id, req.policy_name, policy_type)


def _holder_arn(principal: Principal, req: Any) -> str:
    account = principal.account_id
    if isinstance(req, GroupPolicyRequest):
        return ram.group_resource(account, req.group_name)
    if isinstance(req, RolePolicyRequest):
        return ram.role_resource(account, req.role_name)
    return ram.user_resource(account, req.user_name)


def _attachment_arns(principal: Principal, req: Any) -> tuple[str, ...]:
    """Attaching and detaching need permission on both the holder and the policy."""
    return (_holder_arn(principal, req), _policy_arn(principal, req))


ACTIONS = (
    Action(
        product=RAM,
        name="CreatePolicy",
        request=CreatePolicyRequest,
        handler=create_policy,
        resource=principal_resource("policy"),
        mutating=True,
    ),
    Action(
        product=RAM,
        name="GetPolicy",
        request=GetPolicyRequest,
        handler=get_policy,
        resource=_policy_arn,
    ),
    Action(
        product=RAM,
        name="ListPolicies",
        request=ListPoliciesRequest,
        handler=list_policies,
        resource=principal_resource("policy"),
    ),
    Action(
        product=RAM,
        name="DeletePolicy",
        request=DeletePolicyRequest,
        handler=delete_policy,
        resource=_policy_arn,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="CreatePolicyVersion",
        request=CreatePolicyVersionRequest,
        handler=create_policy_version,
        resource=_policy_arn,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="AttachPolicyToUser",
        request=UserPolicyRequest,
        handler=attach,
        resource=_attachment_arns,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="DetachPolicyFromUser",
        request=UserPolicyRequest,
        handler=detach,
        resource=_attachment_arns,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="AttachPolicyToGroup",
        request=GroupPolicyRequest,
        handler=attach,
        resource=_attachment_arns,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="AttachPolicyToRole",
        request=RolePolicyRequest,
        handler=attach,
        resource=_attachment_arns,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="DetachPolicyFromRole",
        request=RolePolicyRequest,
        handler=detach,
        resource=_attachment_arns,
        mutating=True,
    ),
    Action(
        product=RAM,
        name="ListPoliciesForUser",
        request=ListPoliciesForUserRequest,
        handler=list_policies_for_user,
        resource=principal_resource("policy"),
    ),
)
