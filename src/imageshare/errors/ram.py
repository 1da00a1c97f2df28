"""RAM (ram 2015-05-01) and STS (sts 2015-04-01) errors, with the codes and messages their API
references give.

* ClientError                              400
  + InvalidEntityName                      400 InvalidParameter.<Kind>Name.InvalidChars / .Length
  + InvalidPolicyType                      400 InvalidParameter.PolicyType
  + MalformedPolicyDocument                400 MalformedPolicyDocument (+ why)
  + PolicyDocumentTooLong                  400 InvalidParameter.<Parameter>.Length
  + InvalidAccessKeyStatus                 400 InvalidParameter.Status
  + InvalidMaxSessionDuration              400 InvalidParameter.MaxSessionDuration
  + InvalidRoleArn                         400 InvalidParameter.RoleArn
  + InvalidSessionName                     400 InvalidParameter.RoleSessionName
  + InvalidDurationSeconds                 400 InvalidParameter.DurationSeconds
  + InvalidSessionPolicy                   400 InvalidParameter.PolicyGrammar
  + SessionPolicyTooLong                   400 InvalidParameter.PolicySize
* NotFound                                 404
  + EntityNotExist                         404 EntityNotExist.<Kind>
  + AttachmentNotExist                     404 EntityNotExist.<Kind>.Policy
  + AccessKeyNotExist                      404 EntityNotExist.User.AccessKey
* Conflict                                 409
  + EntityAlreadyExists                    409 EntityAlreadyExists.<Kind>
  + AttachmentAlreadyExists                409 EntityAlreadyExists.<Kind>.Policy
  + MemberAlreadyExists                    409 EntityAlreadyExists.User.Group
  + DeleteConflict                         409 DeleteConflict.<Kind>.<What>
  + LimitExceeded                          409 LimitExceeded.<What>

The kind-parameterised classes set their code per instance: RAM spells the entity into the
code (EntityNotExist.User, EntityNotExist.Role ...), and a class per spelling would only
repeat itself. ``CODES`` lists every code that can be produced, for the docs check.
"""

from __future__ import annotations

from imageshare.errors import ClientError, NotFound, ServiceError

__all__ = [
    "CODES",
    "AccessKeyNotExist",
    "AttachmentAlreadyExists",
    "AttachmentNotExist",
    "DeleteConflict",
    "EntityAlreadyExists",
    "EntityNotExist",
    "InvalidAccessKeyStatus",
    "InvalidDurationSeconds",
    "InvalidEntityName",
    "InvalidMaxSessionDuration",
    "MalformedPolicyDocument",
    "PolicyDocumentTooLong",
    "SessionPolicyTooLong",
    "InvalidPolicyType",
    "InvalidRoleArn",
    "InvalidSessionName",
    "InvalidSessionPolicy",
    "LimitExceeded",
    "MemberAlreadyExists",
]

KINDS = ("User", "Group", "Role", "Policy")


class _Coded(ServiceError):
    """An error whose wire code is chosen when it is raised."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # type: ignore[misc]


class InvalidEntityName(ClientError, _Coded):
    def __init__(self, parameter: str, *, too_long: bool) -> None:
        if too_long:
            code, why = f"InvalidParameter.{parameter}.Length", "beyond the length limit"
        else:
            code, why = f"InvalidParameter.{parameter}.InvalidChars", "contains invalid chars"
        _Coded.__init__(self, code, f'The parameter - "{parameter}" {why}.')


class InvalidPolicyType(ClientError):
    code = "InvalidParameter.PolicyType"
    message_template = 'The parameter - "PolicyType" is incorrect. Use "System" or "Custom".'


class MalformedPolicyDocument(ClientError):
    code = "MalformedPolicyDocument"
    message_template = 'The parameter - "{parameter}" is not a valid policy: {reason}'


class PolicyDocumentTooLong(ClientError, _Coded):
    def __init__(self, parameter: str, limit: int) -> None:
        message = f'The parameter - "{parameter}" beyond the length limit ({limit} characters).'
        _Coded.__init__(self, f"InvalidParameter.{parameter}.Length", message)


class InvalidAccessKeyStatus(ClientError):
    code = "InvalidParameter.Status"
    message_template = 'The parameter - "Status" must be "Active" or "Inactive".'


class InvalidMaxSessionDuration(ClientError):
    code = "InvalidParameter.MaxSessionDuration"
    message_template = (
        'The parameter - "MaxSessionDuration" must be between {low} and {high} seconds.'
    )


class InvalidRoleArn(ClientError):
    code = "InvalidParameter.RoleArn"
    message_template = (
        'The parameter - "RoleArn" is invalid: expected acs:ram::<account>:role/<name>.'
    )


class InvalidSessionName(ClientError):
    code = "InvalidParameter.RoleSessionName"
    message_template = (
        "The parameter RoleSessionName is wrongly formed: use {low} to {high} letters, digits "
        "and . @ - _"
    )


class InvalidDurationSeconds(ClientError):
    code = "InvalidParameter.DurationSeconds"
    message_template = (
        "The Min/Max value of DurationSeconds is {low}/{high} seconds "
        "(the maximum is the role's MaxSessionDuration)."
    )


class InvalidSessionPolicy(ClientError):
    code = "InvalidParameter.PolicyGrammar"
    message_template = "The parameter Policy has not passed grammar check: {reason}"


class SessionPolicyTooLong(ClientError):
    code = "InvalidParameter.PolicySize"
    message_template = "The size of Policy must be smaller than {limit} bytes."


class EntityNotExist(NotFound, _Coded):
    def __init__(self, kind: str, name: str) -> None:
        _Coded.__init__(
            self, f"EntityNotExist.{kind}", f"The {kind.lower()} does not exist: {name}"
        )


class AttachmentNotExist(NotFound, _Coded):
    def __init__(self, kind: str, policy: str) -> None:
        message = f"The indicate policy of the {kind.lower()} does not exist: {policy}"
        _Coded.__init__(self, f"EntityNotExist.{kind}.Policy", message)


class AccessKeyNotExist(NotFound):
    code = "EntityNotExist.User.AccessKey"
    message_template = "The user access key does not exist: {key}"


class Conflict(ServiceError):
    http_status = 409


class EntityAlreadyExists(Conflict, _Coded):
    def __init__(self, kind: str, name: str) -> None:
        message = f"The {kind.lower()} does already EXIST: {name}"
        _Coded.__init__(self, f"EntityAlreadyExists.{kind}", message)


class AttachmentAlreadyExists(Conflict, _Coded):
    def __init__(self, kind: str, policy: str) -> None:
        message = f"The {kind.lower()} has already been attached the policy {policy}."
        _Coded.__init__(self, f"EntityAlreadyExists.{kind}.Policy", message)


class MemberAlreadyExists(Conflict):
    code = "EntityAlreadyExists.User.Group"
    message_template = "The user has already joined the group."


class DeleteConflict(Conflict, _Coded):
    def __init__(self, kind: str, what: str, message: str) -> None:
        _Coded.__init__(self, f"DeleteConflict.{kind}.{what}", message)


class LimitExceeded(Conflict, _Coded):
    def __init__(self, what: str, message: str) -> None:
        _Coded.__init__(self, f"LimitExceeded.{what}", message)


_NAMED = ("UserName", "NewUserName", "GroupName", "RoleName", "PolicyName")
CODES: tuple[str, ...] = (
    *(f"InvalidParameter.{p}.{w}" for p in _NAMED for w in ("InvalidChars", "Length")),
    "InvalidParameter.PolicyDocument.Length",
    "InvalidParameter.AssumeRolePolicyDocument.Length",
    *(f"EntityNotExist.{k}" for k in KINDS),
    *(f"EntityAlreadyExists.{k}" for k in KINDS),
    *(f"EntityNotExist.{k}.Policy" for k in ("User", "Group", "Role")),
    *(f"EntityAlreadyExists.{k}.Policy" for k in ("User", "Group", "Role")),
    "DeleteConflict.User.AccessKey",
    "DeleteConflict.User.Group",
    "DeleteConflict.User.Policy",
    "DeleteConflict.Role.Policy",
    "DeleteConflict.Policy.User",
    "DeleteConflict.Policy.Group",
    "DeleteConflict.Policy.Role",
    "DeleteConflict.Policy.Version",
    "LimitExceeded.User.AccessKey",
    "LimitExceeded.Policy.Version",
)
