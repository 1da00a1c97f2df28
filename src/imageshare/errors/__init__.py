"""Errors reported to API callers: a class per wire code, translated to HTTP once, in the pipeline.

* ServiceError                          500 InternalError
  x ClientError                         400
    + MissingParameter                  400 MissingParameter
    + InvalidParameter                  400 InvalidParameter
    + IdempotentParameterMismatch       400 IdempotentParameterMismatch
    + Throttled                         400 Throttling.User
    + InvalidVersion                    400 InvalidVersion
    + UnsupportedHTTPMethod             400 UnsupportedHTTPMethod
    + RequestBodyTooLarge               400 RequestBodyTooLarge
    + MalformedHTTPRequest              400 MalformedHTTPRequest
    + RequestURITooLong                 400 RequestURITooLong
    + RequestHeaderTooLarge             400 RequestHeaderTooLarge
  x AuthenticationError                 400 (errors/authentication.py)
    + IncompleteSignature               400 IncompleteSignature
    + InvalidSignatureMethod            400 InvalidSignatureMethod
    + SignatureDoesNotMatch             400 SignatureDoesNotMatch
    + SignatureNonceUsed                400 SignatureNonceUsed
    + TimestampExpired                  400 InvalidTimeStamp.Expired
    + TimestampFormat                   400 InvalidTimeStamp.Format
    + AccessKeyInactive                 400 InvalidAccessKeyId.Inactive
    + SecurityTokenMalformed            400 InvalidSecurityToken.Malformed
    + SecurityTokenExpired              400 InvalidSecurityToken.Expired
    + SecurityTokenMismatch             400 InvalidSecurityToken.MismatchWithAccessKey
  x NotFound                            404
    + AccessKeyNotFound                 404 InvalidAccessKeyId.NotFound
    + ActionNotFound                    404 InvalidAction.NotFound
    + PathNotFound                      404 InvalidPath
  x Forbidden                           403 Forbidden.RAM (with AccessDeniedDetail)
    + NoPermission                      403 NoPermission (RAM and STS's own denials)
  + ServiceUnavailable                  503 ServiceUnavailable
  + InjectedFault                       the rule's: an error a fault rule chose (docs/testing.md)

Product errors live in their own modules (images, ecd, ecs, ram, location) and are re-exported
here, as are the authentication errors (authentication.py: the gateway's, drawn above).
"""

from __future__ import annotations

from typing import ClassVar

from imageshare.values import frozen


class ServiceError(Exception):
    """Base class for every error the API reports to a caller."""

    #: Wire error code, e.g. "InvalidImageId.NotFound".
    code: ClassVar[str] = "InternalError"
    #: HTTP status of the error response.
    http_status: ClassVar[int] = 500
    #: Default message, ``str.format``-ed with the constructor's keyword arguments.
    message_template: ClassVar[str] = "The request processing has failed due to some unknown error."

    #: RAM denials only: the body's AccessDeniedDetail.
    access_denied_detail: AccessDeniedDetail | None = None

    def __init__(self, message: str | None = None, **fields: object) -> None:
        self.message = message or self.message_template.format(**fields)
        super().__init__(self.message)


class InternalError(ServiceError):
    pass


class ClientError(ServiceError):
    http_status = 400


class MissingParameter(ClientError):
    code = "MissingParameter"
    message_template = (
        'The input parameter "{name}" that is mandatory '
        "for processing this request is not supplied."
    )


_NAME_SHOWN = 200


class InvalidParameter(ClientError):
    code = "InvalidParameter"
    message_template = 'The specified parameter "{name}" is not valid. {reason}'

    def __init__(self, message: str | None = None, *, name: str = "", reason: str = "") -> None:
        if len(name) > _NAME_SHOWN:  # a 5,000-character name is not echoed whole
            name = name[:_NAME_SHOWN] + "..."
        super().__init__(message, name=name, reason=reason)
        self.message = self.message.rstrip()
        self.args = (self.message,)


class IdempotentParameterMismatch(ClientError):
    code = "IdempotentParameterMismatch"
    message_template = (
        "The request uses the same client token as a previous, but non-identical request."
    )


class InvalidVersion(ClientError):
    code = "InvalidVersion"
    # The first sentence is the gateway's; the rest is imageshare's (docs/protocol.md): a test
    # that reaches a product imageshare does not serve must say which call it was.
    message_template = (
        'Specified parameter Version is not valid: no product has version "{version}". '
        'imageshare does not emulate that product (action "{action}"); '
        "`imageshare actions` lists the products and actions it does."
    )


class UnsupportedHTTPMethod(ClientError):
    code = "UnsupportedHTTPMethod"
    message_template = 'The HTTP method "{method}" is not supported: RPC requests use GET or POST.'


class RequestBodyTooLarge(ClientError):
    code = "RequestBodyTooLarge"
    message_template = "The request body is over {limit} bytes; no action takes that much."


# The HTTP server's own refusals (http/guarded.py), answered before any application code runs.
# Alibaba Cloud documents no code for them; 400 like RequestBodyTooLarge (its front ends' HTML
# pages say 414 and 400; an SDK reads any 4xx envelope the same way).
class MalformedHTTPRequest(ClientError):
    code = "MalformedHTTPRequest"
    message_template = "The request is not well-formed HTTP/1.1, so it was not read."


class RequestURITooLong(ClientError):
    code = "RequestURITooLong"
    message_template = (
        "The request target (path and query string) is over {limit} bytes: "
        "send the parameters in an application/x-www-form-urlencoded POST body instead."
    )


class RequestHeaderTooLarge(ClientError):
    code = "RequestHeaderTooLarge"
    message_template = "The request headers are over {limit} bytes."


class NotFound(ServiceError):
    http_status = 404


class AccessKeyNotFound(NotFound):
    code = "InvalidAccessKeyId.NotFound"
    message_template = "Specified access key is not found."


class ActionNotFound(NotFound):
    code = "InvalidAction.NotFound"
    message_template = (
        'Specified api "{action}" is not found for version "{version}", '
        "please check your url and method. "
        "imageshare does not emulate it: `imageshare actions --product {product}` "
        "lists the actions it does."
    )


class PathNotFound(NotFound):
    code = "InvalidPath"
    message_template = 'Nothing is served at "{path}": RPC requests go to "/".'


@frozen
class AccessDeniedDetail:
    """Why RAM denied a call: the body's AccessDeniedDetail (``wire()``)."""

    auth_action: str  # "swas-open:AddCustomImageShareAccount"
    principal_type: str  # PrincipalType's value: "SubUser", "AssumedRoleUser"
    principal_owner_id: int
    principal_display_name: str  # a RAM user's UserId, a role session's role:session
    no_permission_type: str  # Decision's value: "ImplicitDeny", "ExplicitDeny"

    def wire(self) -> dict[str, str]:
        return {
            "AuthAction": self.auth_action,
            "AuthPrincipalType": self.principal_type,
            "AuthPrincipalOwnerId": str(self.principal_owner_id),
            "AuthPrincipalDisplayName": self.principal_display_name,
            "PolicyType": "AccountLevelIdentityBasedPolicy",
            "NoPermissionType": self.no_permission_type,
            "EncodedDiagnosticMessage": "",
        }


class Forbidden(ServiceError):
    """A RAM denial; ``access_denied_detail`` (when RAM policies decided it) becomes the body's
    AccessDeniedDetail. Each product answers with its own class (``Product.denial``)."""

    code = "Forbidden.RAM"
    http_status = 403
    message_template = (
        "User not authorized to operate on the specified resource, or this API doesn't support RAM."
    )

    def __init__(
        self, message: str | None = None, *, detail: AccessDeniedDetail | None = None
    ) -> None:
        super().__init__(message)
        self.access_denied_detail = detail


class NoPermission(Forbidden):
    code = "NoPermission"
    message_template = "You are not authorized to do this action. You should be authorized by RAM."


# --- The service's state: unavailable, throttled, or a fault a test asked for -------------


class ServiceUnavailable(ServiceError):
    code = "ServiceUnavailable"
    http_status = 503
    message_template = "The request has failed due to a temporary failure of the server."


class Throttled(ClientError):
    """More calls of an operation than its documented (or configured) rate allows for one
    account (docs/testing.md, "Throttling"): the gateway's code for a per-user limit."""

    code = "Throttling.User"
    message_template = "Request was denied due to user flow control."


class InjectedFault(ServiceError):
    """The error a fault rule answers (docs/testing.md, "Faults"): any code, status and
    message, so the code is set per instance (a class per code a user may pick cannot be)."""

    def __init__(self, code: str, http_status: int, message: str) -> None:
        super().__init__(message)
        self.code = code  # type: ignore[misc]
        self.http_status = http_status  # type: ignore[misc]


# Authentication and product errors subclass the bases above, so they are imported last.
from imageshare.errors.authentication import *  # noqa: E402, F403
from imageshare.errors.ecd import *  # noqa: E402, F403
from imageshare.errors.ecs import *  # noqa: E402, F403
from imageshare.errors.ecs_instances import *  # noqa: E402, F403
from imageshare.errors.ecs_lifecycle import *  # noqa: E402, F403
from imageshare.errors.ecs_tags import *  # noqa: E402, F403
from imageshare.errors.images import *  # noqa: E402, F403
from imageshare.errors.location import *  # noqa: E402, F403
from imageshare.errors.ram import *  # noqa: E402, F403
