"""STS (sts 2015-04-01): AssumeRole and GetCallerIdentity."""

from __future__ import annotations

from typing import Any

from imageshare.api.models import PolicyText, RpcRequest
from imageshare.api.products import STS
from imageshare.api.registry import Action, Call
from imageshare.domain.principal import Principal, PrincipalType
from imageshare.domain.times import wire_time
from imageshare.services import sts as service


class AssumeRoleRequest(RpcRequest):
    role_arn: str
    role_session_name: str
    duration_seconds: int | None = None
    policy: PolicyText | None = None


class GetCallerIdentityRequest(RpcRequest):
    pass


def assume_role(call: Call, req: AssumeRoleRequest) -> dict[str, Any]:
    request = service.SessionRequest(
        req.role_arn, req.role_session_name, req.duration_seconds, req.policy
    )
    session = service.assume_role(call.uow, call.principal, request, call.now)
    token = session.token
    return {
        "Credentials": {
            "AccessKeyId": token.access_key_id,
            "AccessKeySecret": token.secret,
            "SecurityToken": token.token,
            "Expiration": wire_time(token.expires_at),
        },
        "AssumedRoleUser": {"Arn": session.arn, "AssumedRoleId": session.assumed_role_id},
    }


_IDENTITY_TYPES = {
    PrincipalType.ROOT: "Account",
    PrincipalType.USER: "RAMUser",
    PrincipalType.ROLE: "AssumedRoleUser",
}


def get_caller_identity(call: Call, _req: GetCallerIdentityRequest) -> dict[str, Any]:
    principal = call.principal
    body: dict[str, Any] = {
        "AccountId": str(principal.account_id),
        "Arn": principal.arn,
        "IdentityType": _IDENTITY_TYPES[principal.type],
        "PrincipalId": str(principal.account_id),
    }
    if principal.type is PrincipalType.USER:
        body["UserId"] = body["PrincipalId"] = principal.user_id
    elif principal.type is PrincipalType.ROLE:
        body["RoleId"] = principal.role_id
        body["PrincipalId"] = f"{principal.role_id}:{principal.session_name}"
    return body


def _target_role(_principal: Principal, req: AssumeRoleRequest) -> str:
    # The caller needs sts:AssumeRole on the role's own ARN, whichever account holds it.
    return req.role_arn


ACTIONS = (
    Action(
        product=STS,
        name="AssumeRole",
        request=AssumeRoleRequest,
        handler=assume_role,
        resource=_target_role,
        mutating=True,
    ),
    Action(
        product=STS,
        name="GetCallerIdentity",
        request=GetCallerIdentityRequest,
        handler=get_caller_identity,
        requires_permission=False,
    ),
)
